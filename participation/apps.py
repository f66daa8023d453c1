from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    """The engine every participatory app uses: supports, comments, follows, notifications,
    reports, tags, quartiers and the audit log."""

    name = "participation"
    verbose_name = _("Participation")
