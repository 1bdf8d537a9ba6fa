"""Staff screens under /staff/<organisation>/: thin views over the selectors and services.

Every view but `staff_home` takes the organisation from the URL and goes through `staff_view`,
which requires a signed-in member of that organisation (anyone else: 404 and a log line)."""

from onestop.backoffice.views.base import staff_view
from onestop.backoffice.views.cases import (
    attachment_download,
    attachment_publish,
    case_act,
    case_detail,
    case_document,
    case_id_card_show,
    case_national_id_show,
    counter_entry,
)
from onestop.backoffice.views.dashboard import dashboard
from onestop.backoffice.views.inbox import bulk_action, inbox, inbox_export, staff_home
from onestop.backoffice.views.members import invitation, member_edit, members, staff_start
from onestop.backoffice.views.notifications import (
    notification_defaults,
    notification_retry,
    notification_settings,
)
from onestop.backoffice.views.organisation import (
    audit_export,
    audit_log,
    catalogue,
    poster,
    reply_templates,
    routing_rules,
)
from onestop.backoffice.views.privacy import data_subject

__all__ = [
    "attachment_download", "attachment_publish", "audit_export", "audit_log", "bulk_action",
    "case_act", "case_detail", "case_document", "case_id_card_show", "case_national_id_show",
    "catalogue", "counter_entry", "dashboard", "data_subject", "inbox", "inbox_export",
    "invitation", "member_edit", "members", "notification_defaults", "notification_retry",
    "notification_settings", "poster", "reply_templates", "routing_rules", "staff_home",
    "staff_start", "staff_view",
]  # fmt: skip
