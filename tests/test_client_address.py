"""One client address everywhere: the audit trail reads it as the rate limits and the sign-in
lockouts do (tests of those in test_tracking.py and test_backoffice_auth.py)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory, override_settings

from onestop.core.audit import audit_record
from onestop.core.models import AuditAction


@pytest.mark.django_db
@override_settings(ONESTOP_TRUSTED_PROXY_COUNT=1)
def test_the_audit_trail_records_the_forwarded_client_as_ipv4(rf: RequestFactory) -> None:
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="::ffff:198.51.100.20")
    request.user = AnonymousUser()
    entry = audit_record(request=request, action=AuditAction.EXPORT, object_type="test")
    assert entry.ip_address == "198.51.100.20"


@pytest.mark.django_db
def test_the_audit_trail_records_a_dual_stack_ipv4_client_as_ipv4(rf: RequestFactory) -> None:
    request = rf.get("/", REMOTE_ADDR="::ffff:203.0.113.5")
    request.user = AnonymousUser()
    entry = audit_record(request=request, action=AuditAction.EXPORT, object_type="test")
    entry.refresh_from_db()
    assert entry.ip_address == "203.0.113.5"
