"""Input and output serializers, apart. Public outputs (issues, draws, sessions, outcomes) name
no personal field; only ComplaintOutput does, and only agents and organisers of the mairie get it."""

import json

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cms.api.fields import IdField
from participation import selectors as engine_selectors
from participation.models import Quartier

from .. import drawing, selectors
from ..models import Complaint, Draw, HackathonSession, Outcome, RecurringIssue


class _MairieScoped(serializers.Serializer):
    """Primary keys of quartiers and issues must belong to the request's mairie."""

    def _mairie(self):
        return self.context["mairie"]

    def validate_quartier(self, value):
        if value is not None and value.mairie_id != self._mairie().pk:
            raise serializers.ValidationError(_("Ce quartier n'est pas dans cette mairie."))
        return value

    def validate_issue(self, value):
        if value is not None and value.mairie_id != self._mairie().pk:
            raise serializers.ValidationError(_("Ce sujet appartient à une autre mairie."))
        return value


TAGS = serializers.ListField(child=serializers.CharField(max_length=100), required=False, max_length=10)


# --- complaints (agents and organisers only) ---------------------------------------------------


class ComplaintInput(_MairieScoped):
    """Residents send subject, full_text and optionally quartier, scan, postal_address; agents
    recording a letter also send received_on, channel, the contact and a public summary."""

    received_on = serializers.DateField(required=False)
    channel = serializers.ChoiceField(choices=Complaint.Channel.choices, required=False)
    subject = serializers.CharField(max_length=200)
    full_text = serializers.CharField(max_length=20000, required=False, allow_blank=True)
    scan = serializers.FileField(required=False, allow_null=True)
    quartier = serializers.PrimaryKeyRelatedField(queryset=Quartier.objects.all(), required=False, allow_null=True)
    tags = TAGS
    author_account = serializers.CharField(
        max_length=254, required=False, allow_blank=True,
        help_text="Agents: the username or email of the writer's confirmed account, to put the letter in their "
                  "own complaints (GET /api/hackathon/complaints/mine/).")
    contact_name = serializers.CharField(max_length=160, required=False, allow_blank=True)
    contact_email = serializers.EmailField(required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    postal_address = serializers.CharField(max_length=500, required=False, allow_blank=True)
    public_summary = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    issue = serializers.PrimaryKeyRelatedField(queryset=RecurringIssue.objects.all(), required=False, allow_null=True)


class ComplaintPatch(_MairieScoped):
    issue = serializers.PrimaryKeyRelatedField(queryset=RecurringIssue.objects.all(), required=False, allow_null=True)
    public_summary = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    quartier = serializers.PrimaryKeyRelatedField(queryset=Quartier.objects.all(), required=False, allow_null=True)
    tags = TAGS


class ComplaintOutput(serializers.ModelSerializer):
    channel = serializers.CharField(read_only=True, help_text="paper | email | in_person | online")
    subject = serializers.SerializerMethodField()
    full_text = serializers.SerializerMethodField()
    contact = serializers.SerializerMethodField()
    scan_url = serializers.SerializerMethodField()
    quartier = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    tags = serializers.SerializerMethodField()
    summary_approved = serializers.SerializerMethodField()

    class Meta:
        model = Complaint
        fields = ["id", "channel", "received_on", "subject", "full_text", "scan_url", "contact", "quartier", "tags",
                  "issue", "public_summary", "summary_approved", "personal_data_purged_at", "created_at"]

    def _personal(self, obj):
        return getattr(obj, "personal", None)

    def get_subject(self, obj) -> str | None:
        personal = self._personal(obj)
        return personal.subject if personal else None

    def get_full_text(self, obj) -> str | None:
        personal = self._personal(obj)
        return personal.full_text if personal else None

    @extend_schema_field(serializers.DictField(child=serializers.CharField(), allow_null=True))
    def get_contact(self, obj):
        personal = self._personal(obj)
        if personal is None:
            return None
        return {"name": personal.contact_name, "email": personal.email, "phone": personal.contact_phone,
                "postal_address": personal.postal_address,
                "account": personal.author.username if personal.author_id else None}

    def get_scan_url(self, obj) -> str | None:
        personal = self._personal(obj)
        return reverse("hackathon:complaint-scan", args=[obj.pk]) if personal and personal.scan else None

    def get_tags(self, obj) -> list[str]:
        return [tag.name for tag in obj.tags.all()]

    def get_summary_approved(self, obj) -> bool:
        return obj.summary_is_public


class SuggestionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    complaints_count = serializers.IntegerField()
    score = serializers.FloatField()


# --- recurring issues (public) -----------------------------------------------------------------


class IssueOutput(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text="open | drawn | solved | archived")
    quartier = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    tags = serializers.SerializerMethodField()
    me_too_count = serializers.IntegerField(source="supports_count", read_only=True)
    recurrence = serializers.IntegerField(read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)
    summaries = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()

    class Meta:
        model = RecurringIssue
        fields = ["id", "title", "description", "status", "quartier", "tags", "complaints_count", "me_too_count",
                  "recurrence", "comments_count", "url", "summaries", "timeline", "created_at", "updated_at"]

    def get_tags(self, obj) -> list[str]:
        return [tag.name for tag in obj.tags.all()]

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_summaries(self, obj):
        if not self.context.get("detail"):
            return []
        return [{"text": c.public_summary, "received": c.received_on.strftime("%Y-%m"), "channel": c.channel}
                for c in selectors.public_summaries(obj)[:50]]

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_timeline(self, obj):
        if not self.context.get("detail"):
            return []
        return [{"date": e.created_at, "label": e.label, "note": e.reason, "action": e.action}
                for e in engine_selectors.public_timeline(obj)]


class IssueInput(_MairieScoped):
    title = serializers.CharField(max_length=160)
    description = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    quartier = serializers.PrimaryKeyRelatedField(queryset=Quartier.objects.all(), required=False, allow_null=True)
    tags = TAGS
    complaints = serializers.ListField(child=IdField(), required=False, max_length=200)


class IssuePatch(serializers.Serializer):
    title = serializers.CharField(max_length=160, required=False)
    description = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    tags = TAGS
    status = serializers.CharField(max_length=12, required=False, help_text="open | solved | archived")
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True)


# --- draws (public) ------------------------------------------------------------------------


class DrawOutput(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text="frozen | drawn")
    mairie = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    month = serializers.SerializerMethodField()
    record = serializers.SerializerMethodField()
    record_canonical = serializers.CharField(source="record_json", read_only=True)
    winner = serializers.SerializerMethodField()
    redrawn_by = serializers.SerializerMethodField()
    procedure = serializers.SerializerMethodField()
    links = serializers.SerializerMethodField()

    class Meta:
        model = Draw
        fields = ["id", "mairie", "month", "sequence", "status", "record", "record_canonical", "list_hash",
                  "entropy_source", "entropy_available_at", "opened_at", "entropy_value", "seed", "winner",
                  "drawn_at", "redraw_of", "redraw_reason", "redraw_kind", "redrawn_by", "closed_reason", "closed_at",
                  "procedure", "links"]

    def get_month(self, obj) -> str:
        return obj.month_label

    @extend_schema_field(serializers.DictField())
    def get_record(self, obj):
        return json.loads(obj.record_json)

    @extend_schema_field(serializers.DictField(allow_null=True))
    def get_winner(self, obj):
        return {"id": obj.winner_id, "title": obj.winner.title} if obj.winner_id else None

    def get_redrawn_by(self, obj) -> int | None:
        redraw = getattr(obj, "redraw", None)
        return redraw.pk if redraw else None

    def get_procedure(self, obj) -> str:
        return drawing.PROCEDURE

    @extend_schema_field(serializers.DictField(child=serializers.CharField()))
    def get_links(self, obj):
        links = {"page": obj.get_absolute_url(), "record": reverse("hackathon:draw-record", args=[obj.pk]),
                 "verify": reverse("hackathon-api-draw-verify", args=[obj.pk])}
        if obj.is_drawn:
            links["script"] = reverse("hackathon:draw-script", args=[obj.pk])
        return links


class DrawOpenInput(serializers.Serializer):
    month = serializers.RegexField(r"^\d{4}-\d{2}$", required=False)
    entropy_source = serializers.CharField(max_length=500, help_text="A future public event, named precisely.")
    entropy_available_at = serializers.DateTimeField(
        help_text="When the value becomes public: strictly after the opening; the draw runs no earlier.")


class DrawRunInput(serializers.Serializer):
    entropy_value = serializers.CharField(max_length=500, allow_blank=True, trim_whitespace=False)


class DrawRedrawInput(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)
    kind = serializers.ChoiceField(choices=Draw.RedrawKind.choices, default=Draw.RedrawKind.INCIDENT,
                                   help_text="incident: once a month; void_winner: the drawn subject became void")
    entropy_source = serializers.CharField(max_length=500)
    entropy_available_at = serializers.DateTimeField()


class DrawCloseInput(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class VerifyOutput(serializers.Serializer):
    draw = serializers.IntegerField()
    matches = serializers.BooleanField()
    drawn = serializers.BooleanField()
    canonical = serializers.BooleanField()
    list_hash = serializers.CharField()
    published_list_hash = serializers.CharField()
    list_hash_matches = serializers.BooleanField()
    entropy_value = serializers.CharField(required=False)
    seed = serializers.CharField(required=False)
    published_seed = serializers.CharField(required=False)
    r = serializers.IntegerField(required=False)
    total_weight = serializers.IntegerField(required=False)
    winner_id = serializers.IntegerField(required=False)
    winner_title = serializers.CharField(required=False)
    published_winner_id = serializers.IntegerField(required=False)
    status = serializers.CharField()
    sequence = serializers.IntegerField()
    replaces = serializers.IntegerField(required=False, help_text="The draw this redraw replaces.")
    replaces_list_hash = serializers.CharField(required=False)
    replaces_matches = serializers.BooleanField(required=False, help_text="The predecessor named in the record is "
                                                "the draw this one is linked to, with the same list hash.")
    reason = serializers.CharField(required=False, help_text="The redraw's public reason.")
    redraw_kind = serializers.CharField(required=False)
    closed_reason = serializers.CharField(required=False)


# --- sessions and outcomes (public) --------------------------------------------------------


class OutcomeOutput(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text="decided | in_progress | implemented")
    issue = serializers.SerializerMethodField()

    class Meta:
        model = Outcome
        fields = ["id", "session", "issue", "decision", "carried_by", "due_on", "status", "published_at",
                  "updated_at"]

    @extend_schema_field(serializers.DictField())
    def get_issue(self, obj):
        return {"id": obj.issue_id, "title": obj.issue.title}


class SessionOutput(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text="planned | cancelled")
    issue = serializers.SerializerMethodField()
    registrations = serializers.SerializerMethodField()
    my_registration = serializers.SerializerMethodField()
    outcome = serializers.SerializerMethodField()
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = HackathonSession
        fields = ["id", "draw", "issue", "title", "starts_at", "ends_at", "place", "capacity", "programme", "tools",
                  "status", "registrations", "my_registration", "outcome", "url"]

    @extend_schema_field(serializers.DictField())
    def get_issue(self, obj):
        return {"id": obj.issue_id, "title": obj.issue.title}

    @extend_schema_field(serializers.DictField(child=serializers.IntegerField()))
    def get_registrations(self, obj):
        return selectors.session_counts(obj)

    @extend_schema_field(serializers.DictField(allow_null=True))
    def get_my_registration(self, obj):
        request = self.context.get("request")
        registration = selectors.registration_of(request.user, obj) if request else None
        if registration is None:
            return None
        return {"status": registration.status, "position": selectors.waiting_position(registration)}

    @extend_schema_field(OutcomeOutput(allow_null=True))
    def get_outcome(self, obj):
        outcome = getattr(obj, "outcome", None)  # prefetched, with its issue, by selectors.sessions_for
        return OutcomeOutput(outcome).data if outcome else None


class SessionInput(serializers.Serializer):
    draw = serializers.PrimaryKeyRelatedField(queryset=Draw.objects.all())
    title = serializers.CharField(max_length=160)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=200)
    capacity = serializers.IntegerField(min_value=1, max_value=2000)
    programme = serializers.CharField(max_length=6000, required=False, allow_blank=True)
    tools = serializers.CharField(max_length=4000, required=False, allow_blank=True)


class RegistrationOutput(serializers.Serializer):
    status = serializers.CharField(allow_null=True)
    position = serializers.IntegerField(allow_null=True)
    registrations = serializers.DictField(child=serializers.IntegerField())


class OutcomeInput(serializers.Serializer):
    session = serializers.PrimaryKeyRelatedField(queryset=HackathonSession.objects.all())
    decision = serializers.CharField(max_length=4000)
    carried_by = serializers.CharField(max_length=200)
    due_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class OutcomeAdvanceInput(serializers.Serializer):
    status = serializers.CharField(max_length=12, help_text="in_progress | implemented (the next step)")
    note = serializers.CharField(max_length=2000)


class OwnComplaintOutput(serializers.Serializer):
    """A resident's own complaint, for its author: what they wrote and what became of it (never the agents'
    notes, nor anyone else's data)."""

    id = serializers.IntegerField()
    mairie = serializers.CharField(source="mairie.slug")
    channel = serializers.CharField(help_text="paper | email | in_person | online")
    received_on = serializers.DateField()
    subject = serializers.CharField(source="personal.subject")
    full_text = serializers.CharField(source="personal.full_text")
    issue = serializers.SerializerMethodField(help_text="The recurring issue it joined, or null")
    created_at = serializers.DateTimeField()

    @extend_schema_field(serializers.DictField(allow_null=True))
    def get_issue(self, complaint):
        issue = complaint.issue
        if issue is None:
            return None
        if not issue.is_public():  # grouped into an issue the agents have not made public (yet)
            return {"id": None, "title": None, "status": None, "status_label": None}
        return {"id": issue.pk, "title": issue.title, "status": issue.status, "status_label": issue.get_status_display()}
