from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    """The engine every participatory app uses: supports, comments, follows, notifications,
    reports, tags, quartiers and the audit log."""

    name = "participation"
    verbose_name = _("Participation")

    def ready(self):
        from django_comments_xtd.models import XtdComment

        from cms import roles
        from cms.api.registry import register_endpoint
        from cms.cache import renew_on_create
        from cms.demo import register_demo
        from cms.mairie_setup import register_set_up
        from cms.sections import register_account_link, register_account_panel

        from . import demo, notification_kinds, privacy, registry, setup, views
        from .models import AuditEntry

        registry.register_participatory(XtdComment, key="django_comments_xtd.xtdcomment",
                                        is_visible=_comment_is_visible, parent_of=_comment_target)
        register_account_link(10, _("Notifications"), "notifications")
        register_account_panel(10, "participation/_preferences_panel.html", views.preferences_panel)
        # The engine's own verbs, whatever app the target belongs to.
        notification_kinds.register_notification_verbs(notification_kinds.ANY_APP, {
            "reply": notification_kinds.Kind.REPLY, "comment": notification_kinds.Kind.FOLLOWED,
            "moderation": notification_kinds.Kind.MODERATION})
        register_endpoint("participation-comments", "/api/participation/comments/")
        register_endpoint("participation-notifications", "/api/participation/notifications/")
        register_endpoint("participation-notification-preferences", "/api/participation/notification-preferences/")
        register_endpoint("participation-quartiers", "/api/participation/quartiers/")
        register_demo(5, "participation", demo.seed)
        register_set_up(5, "quartiers", setup.set_up, options={"quartiers": setup.quartier_names})
        privacy.register()
        # Every audit-logged act (moderation, automatic hiding, status decisions) shows at once on
        # the cached pages of its mairie.
        renew_on_create(AuditEntry)
        roles.grant(roles.ORGANISERS, "participation.view_auditentry", "participation.view_report")


def _comment_target(comment):
    from .services import comment_target

    return comment_target(comment)


def _comment_is_visible(user, comment):
    from . import registry
    from .services import comment_target

    if not comment.is_public or comment.is_removed:
        return False
    target = comment_target(comment)
    return target is not None and registry.is_visible(user, target)
