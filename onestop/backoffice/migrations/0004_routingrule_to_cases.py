"""Routing rules now belong to the cases app (cases 0006 took the model and its rows)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("backoffice", "0003_routing_rule_unique_on_both_databases"),
        ("cases", "0006_routingrule_from_backoffice"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="RoutingRule")],
            database_operations=[],
        ),
    ]
