"""The agents' panel on the admin's home (cms.admin_home): new experience feedback on the
bricolages the agent wrote. The wiki itself is edited through its own views, not in the admin."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext
from wagtail import hooks

from cms import roles
from cms.admin_home import LINE_HOOK, Line

from . import permissions
from .models import Feedback

RECENT_FEEDBACK = datetime.timedelta(days=30)


def _feedback_on_mine(user, mairie):
    """(feedback by others on the user's bricolages in the last 30 days, the latest one's bricolage or None)."""
    recent = (Feedback.objects.filter(bricolage__author=user, updated_at__gte=timezone.now() - RECENT_FEEDBACK)
              .exclude(author=user).order_by("-updated_at"))
    latest = recent.values_list("bricolage_id", flat=True).first()
    return recent.count(), latest


@hooks.register(LINE_HOOK)
def agent_home_line():
    return Line(key="bricolages:feedback-on-mine", role=roles.AGENTS, order=40, per_user=True,
                count=_feedback_on_mine,
                label=lambda value: ngettext("%(n)d retour d'expérience sur vos bricolages ce mois-ci",
                                             "%(n)d retours d'expérience sur vos bricolages ce mois-ci", value[0])
                % {"n": value[0]},
                url=lambda user, mairie, value: (reverse("bricolages:detail", args=[value[1]]) + "#retours"
                                                 if value[1] else reverse("bricolages:list")),
                allowed=lambda user, mairie: permissions.user_can_view_bricolages(user))
