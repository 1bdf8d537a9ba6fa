"""Routing rules move from the back office to the cases domain: the model changes app in
Django's state only (the rows stay), then its table takes the cases app's name."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0005_event_log"),
        ("backoffice", "0003_routing_rule_unique_on_both_databases"),
        ("catalog", "0001_initial"),
        ("organisations", "0004_officers_may_complete"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="RoutingRule",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("village_no", models.CharField(blank=True, help_text="เว้นว่างเพื่อใช้กับทุกพื้นที่", max_length=10, verbose_name="หมู่ที่")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="สร้างเมื่อ")),
                        ("department", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="organisations.department", verbose_name="ส่งให้กอง/สำนัก")),
                        ("organisation", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="routing_rules", to="organisations.organisation", verbose_name="องค์กร")),
                        ("request_type", models.ForeignKey(blank=True, help_text="เว้นว่างเพื่อใช้กับทุกประเภท", null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="catalog.requesttype", verbose_name="ประเภทคำร้อง")),
                    ],
                    options={
                        "verbose_name": "กฎการส่งต่อคำร้อง",
                        "verbose_name_plural": "กฎการส่งต่อคำร้อง",
                        "ordering": ["organisation", "request_type", "village_no", "pk"],
                        "db_table": "backoffice_routingrule",
                        "constraints": [
                            models.UniqueConstraint(condition=models.Q(("request_type__isnull", False)), fields=("organisation", "request_type", "village_no"), name="routing_rule_unique"),
                            models.UniqueConstraint(condition=models.Q(("request_type__isnull", True)), fields=("organisation", "village_no"), name="routing_rule_unique_any_type"),
                            models.CheckConstraint(condition=models.Q(("request_type__isnull", True), ("village_no", ""), _negated=True), name="routing_rule_not_empty"),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name="routingrule", table=None),
    ]
