"""The Service lab's writes. HTML views, the API, management commands and the demo seeder all go
through these functions, imported from here: complaints and recurring issues (`complaints`), the
monthly draw (`draws`), hackathon sessions, outcomes and letters (`sessions`)."""

from .complaints import (
    SCAN_IMAGE_FORMATS,
    SCAN_KINDS,
    _recount,
    absolute_url,
    complaint_group,
    complaint_personal_erase,
    complaint_record,
    complaint_submit,
    complaint_update,
    complaints_purge,
    issue_create,
    issue_update,
    me_too_add,
    me_too_withdraw,
    scan_check,
)
from .draws import (
    ENTROPY_MAX_LENGTH,
    build_record,
    draw_close,
    draw_open,
    draw_redraw,
    draw_run,
    draw_verify,
    eligible_issues,
    month_start,
)
from .sessions import (
    letter_mark_sent,
    outcome_advance,
    outcome_publish,
    session_create,
    session_register,
    session_unregister,
    session_update,
)

__all__ = [
    "ENTROPY_MAX_LENGTH", "SCAN_IMAGE_FORMATS", "SCAN_KINDS", "_recount", "absolute_url", "build_record", "complaint_group",
    "complaint_personal_erase", "complaint_record", "complaint_submit", "complaint_update", "complaints_purge",
    "draw_close", "draw_open", "draw_redraw", "draw_run", "draw_verify", "eligible_issues", "issue_create", "issue_update",
    "letter_mark_sent", "me_too_add", "me_too_withdraw", "month_start", "outcome_advance", "outcome_publish",
    "scan_check", "session_create", "session_register", "session_unregister", "session_update",
]
