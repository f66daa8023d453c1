from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cms.api.fields import IdField

from .. import anonymity
from ..models import AuditEntry, Notification, Quartier, Report
from ..notification_kinds import Delivery, Kind


class TargetField(serializers.CharField):
    """A participatory object named as "<app_label>.<model>:<pk>", e.g. "bureau.project:42"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 120)
        kwargs.setdefault("help_text", _("Objet visé, sous la forme « bureau.project:42 »."))
        super().__init__(**kwargs)


class TargetInput(serializers.Serializer):
    target = TargetField()


class CommentInput(serializers.Serializer):
    target = TargetField()
    text = serializers.CharField(max_length=3000, trim_whitespace=True)
    parent = IdField(required=False, allow_null=True)


class CommentOutput(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    author = serializers.SerializerMethodField()
    text = serializers.CharField(source="comment")
    submitted_at = serializers.DateTimeField(source="submit_date")
    parent = serializers.SerializerMethodField()
    level = serializers.IntegerField()

    def get_author(self, comment) -> str:
        return comment.user.public_name if comment.user_id else comment.user_name

    def get_parent(self, comment) -> int | None:
        return comment.parent_id if comment.parent_id != comment.pk else None


class ReportInput(serializers.Serializer):
    target = TargetField()
    reason = serializers.ChoiceField(choices=Report.Reason.choices)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class ModerationInput(serializers.Serializer):
    target = TargetField()
    reason = serializers.CharField(max_length=1000, allow_blank=True, required=False, default="")


class NotificationOutput(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "verb", "title", "message", "url", "created_at", "read_at"]


def _delivery_fields(**options):
    return {kind.value: serializers.ChoiceField(choices=Delivery.choices, help_text=kind.label, **options)
            for kind in Kind}


NotificationPreferencesOutput = type("NotificationPreferencesOutput", (serializers.Serializer,), {
    "__doc__": "How each kind of notification is emailed: immediately, in a daily digest, or never (the "
               "on-site notification is always made).",
    "__module__": __name__, **_delivery_fields()})


class _PreferencesInputBase(serializers.Serializer):
    def validate(self, attrs):
        unknown = sorted(set(self.initial_data) - set(self.fields)) if isinstance(self.initial_data, dict) else []
        if unknown:
            raise serializers.ValidationError({str(name)[:40]: [_("Type de notification inconnu.")]
                                               for name in unknown})
        if not attrs:
            raise serializers.ValidationError(_("Choisissez au moins un type de notification."))
        return attrs


NotificationPreferencesInput = type("NotificationPreferencesInput", (_PreferencesInputBase,), {
    "__doc__": "The kinds to change (any subset, at least one); the others keep their choice.",
    "__module__": __name__, **_delivery_fields(required=False)})


class ReadInput(serializers.Serializer):
    ids = serializers.ListField(child=IdField(), required=False, max_length=500)


class QuartierOutput(serializers.ModelSerializer):
    class Meta:
        model = Quartier
        fields = ["id", "name", "slug"]


class TimelineOutput(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField()

    class Meta:
        model = AuditEntry
        fields = ["action", "label", "reason", "created_at", "actor"]

    def get_actor(self, entry) -> str | None:
        """Who acted, as the viewer may see them: an anonymous author stays anonymous."""
        request = self.context.get("request")
        return anonymity.actor_name(entry, viewer=getattr(request, "user", None), item=self.context.get("target"))


class SupportOutput(serializers.Serializer):
    supports_count = serializers.IntegerField(allow_null=True)
    supports_left = serializers.IntegerField(allow_null=True)
    supported = serializers.BooleanField()
