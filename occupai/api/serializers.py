"""Input and output serializers apart: inputs parse, outputs present; rules live in services."""

import json

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cms import roles
from cms.api.fields import IdRelatedField
from participation.models import Quartier

from ..models import CallPage, Event, Proposal, Space

# --- outputs ------------------------------------------------------------------------------------


class SpaceOutput(serializers.ModelSerializer):
    setting = serializers.SerializerMethodField()
    equipment = serializers.ListField(source="equipment_list", child=serializers.CharField())

    class Meta:
        model = Space
        fields = ["id", "name", "description", "location", "capacity", "is_indoor", "setting",
                  "accessibility_notes", "equipment"]

    def get_setting(self, space) -> str:
        return str(space.setting_label)


class PhaseOutput(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()


class NextPhaseOutput(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    at = serializers.DateTimeField()


class CallOutput(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    phase = serializers.SerializerMethodField()
    next_phase = serializers.SerializerMethodField()
    spaces = SpaceOutput(many=True, read_only=True)
    supports_left = serializers.SerializerMethodField()
    proposals_count = serializers.SerializerMethodField()

    class Meta:
        model = CallPage
        fields = ["id", "title", "slug", "url", "intro", "description", "eligibility", "phase", "next_phase",
                  "submission_opens_at", "submission_closes_at", "voting_opens_at", "voting_closes_at",
                  "results_at", "event_starts_on", "event_ends_on", "vote_budget", "selection_count",
                  "show_counts_during_voting", "spaces", "supports_left", "proposals_count"]

    def get_url(self, call) -> str:
        return self.context["request"].build_absolute_uri(call.site_path)

    @extend_schema_field(PhaseOutput)
    def get_phase(self, call):
        return {"key": str(call.state.phase), "label": str(call.state.label)}

    @extend_schema_field(NextPhaseOutput(allow_null=True))
    def get_next_phase(self, call):
        state = call.state
        if state.next_phase is None:
            return None
        return {"key": str(state.next_phase), "label": str(state.next_label),
                "at": serializers.DateTimeField().to_representation(state.next_at)}

    def get_supports_left(self, call) -> int | None:
        """Supports the requesting resident has left in this call (None when anonymous)."""
        from participation.models import SupportAllowance

        user = self.context["request"].user
        if not user.is_authenticated:
            return None
        key = f"occupai.call:{call.pk}"
        if "allowances" in self.context:  # the list's: every call's spent supports read in one query
            used = self.context["allowances"].get(key)
        else:
            used = SupportAllowance.objects.filter(user=user, context=key).values_list("used", flat=True).first()
        return max(call.vote_budget - (used or 0), 0)

    def get_proposals_count(self, call) -> int:
        if hasattr(call, "public_proposals_count"):  # annotated by the API's queryset
            return call.public_proposals_count
        return call.proposals.filter(status__in=Proposal.PUBLIC_STATUSES, is_hidden=False).count()


class SlotSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()


class EventOutput(serializers.ModelSerializer):
    proposal = serializers.IntegerField(source="proposal_id")
    call = serializers.IntegerField(source="call_id")
    title = serializers.CharField(source="proposal.title")
    kind = serializers.CharField(source="proposal.kind")
    proposer = serializers.CharField(source="proposal.shown_name")
    space = SpaceOutput()
    url = serializers.SerializerMethodField()
    uid = serializers.CharField()

    class Meta:
        model = Event
        fields = ["id", "proposal", "call", "title", "kind", "proposer", "space", "starts_at", "ends_at", "url",
                  "uid", "sequence"]

    def get_url(self, event) -> str:
        return self.context["request"].build_absolute_uri(event.get_absolute_url())


class ProposalOutput(serializers.ModelSerializer):
    call = serializers.IntegerField(source="call_id")
    needs = serializers.ListField(child=serializers.ChoiceField(choices=Proposal.Need.choices), read_only=True)
    kind_label = serializers.CharField(source="get_kind_display")
    proposer_type_label = serializers.CharField(source="get_proposer_type_display")
    proposer = serializers.CharField(source="shown_name")
    status_label = serializers.CharField(source="get_status_display")
    status_reason = serializers.SerializerMethodField()
    preferred_spaces = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    slots = SlotSerializer(many=True, read_only=True)
    quartier = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    image = serializers.SerializerMethodField()
    supports_count = serializers.SerializerMethodField()
    supported = serializers.SerializerMethodField()
    is_mine = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    event = serializers.SerializerMethodField()

    class Meta:
        model = Proposal
        fields = ["id", "call", "title", "description", "kind", "kind_label", "proposer_type",
                  "proposer_type_label", "proposer", "quartier", "expected_audience", "needs", "needs_details",
                  "accessibility", "image", "image_alt", "preferred_spaces", "slots", "status", "status_label",
                  "status_reason", "supports_count", "comments_count", "supported", "is_mine", "url", "event",
                  "is_hidden", "submitted_at", "created_at", "updated_at"]

    def _user(self):
        return self.context["request"].user

    def _organiser(self, proposal):
        return roles.is_organiser_of(self._user(), proposal.call.mairie)

    def get_status_reason(self, proposal) -> str:
        """Public for decisions after the vote; the author and organisers also see refusals."""
        if proposal.status == Proposal.Status.NOT_SELECTED or self._organiser(proposal) or (
                proposal.author_id and proposal.author_id == self._user().pk):
            return proposal.status_reason
        return ""

    def get_image(self, proposal) -> str | None:
        return self.context["request"].build_absolute_uri(proposal.image.url) if proposal.image else None

    def get_supports_count(self, proposal) -> int | None:
        """None when the support rule hides counts from this user (a call's vote, but not from its organisers)."""
        return proposal.supports_count if proposal.support_rule().counts_visible_to(self._user()) else None

    def get_supported(self, proposal) -> bool:
        return proposal.pk in self.context.get("supported_ids", set())

    def get_is_mine(self, proposal) -> bool:
        user = self._user()
        return bool(user.is_authenticated and proposal.author_id == user.pk)

    def get_url(self, proposal) -> str:
        return self.context["request"].build_absolute_uri(proposal.get_absolute_url())

    @extend_schema_field(EventOutput(allow_null=True))
    def get_event(self, proposal):
        from ..selectors import programme_is_public

        event = getattr(proposal, "event", None) if proposal.status == Proposal.Status.SELECTED else None
        if event is None or not (programme_is_public(proposal.call) or self._organiser(proposal)):
            return None
        return EventOutput(event, context=self.context).data


class ProgrammeOutput(serializers.Serializer):
    call = serializers.IntegerField()
    published = serializers.BooleanField()
    results_at = serializers.DateTimeField()
    ics = serializers.URLField()
    events = EventOutput(many=True)


# --- inputs -------------------------------------------------------------------------------------


class SlotsField(serializers.ListField):
    """A list of {starts_at, ends_at}; in a multipart form, one field holding that list as JSON."""

    child = SlotSerializer()

    def to_internal_value(self, data):
        if isinstance(data, list) and len(data) == 1 and isinstance(data[0], str):
            data = data[0]
        if isinstance(data, str):
            try:
                data = json.loads(data)
            except ValueError:
                raise serializers.ValidationError(_("Créneaux illisibles : envoyez une liste JSON.")) from None
        return super().to_internal_value(data)


class ProposalInput(serializers.Serializer):
    call = IdRelatedField(queryset=CallPage.objects.none(), required=False,
                          help_text=_("L'appel à projets (à la création)."))
    title = serializers.CharField(max_length=120)
    description = serializers.CharField(max_length=5000)
    kind = serializers.ChoiceField(choices=Proposal.Kind.choices)
    proposer_type = serializers.ChoiceField(choices=Proposal.ProposerType.choices,
                                            default=Proposal.ProposerType.RESIDENT)
    proposer_name = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    author_anonymous = serializers.BooleanField(required=False, default=False)
    quartier = serializers.SlugRelatedField(slug_field="slug", queryset=Quartier.objects.none(), required=False,
                                            allow_null=True, default=None)
    expected_audience = serializers.IntegerField(min_value=1, max_value=10000)
    needs = serializers.ListField(child=serializers.ChoiceField(choices=Proposal.Need.choices), required=False,
                                  default=list, max_length=len(Proposal.Need.choices))
    needs_details = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    accessibility = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    image = serializers.ImageField(required=False, allow_null=True)
    image_alt = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    preferred_spaces = IdRelatedField(many=True, queryset=Space.objects.none(), required=False, default=list)
    slots = SlotsField(required=False, default=list, max_length=5)
    submit = serializers.BooleanField(
        required=False, default=True,
        help_text=_("Déposer pour validation (par défaut) ; false enregistre un brouillon."))

    def __init__(self, *args, mairie=None, **kwargs):
        super().__init__(*args, **kwargs)
        if mairie is not None:
            self.fields["call"].queryset = CallPage.objects.live().filter(mairie=mairie)
            self.fields["quartier"].queryset = Quartier.objects.filter(mairie=mairie)
            self.fields["preferred_spaces"].child_relation.queryset = Space.objects.filter(mairie=mairie)

    def service_kwargs(self):
        data = dict(self.validated_data)
        spaces = data.pop("preferred_spaces", None)
        slots = data.pop("slots", None)
        submit = data.pop("submit", False)
        data.pop("call", None)
        if "image" in data and data["image"] is None:
            data["image"] = None
        slots = [(s["starts_at"], s["ends_at"]) for s in slots] if slots is not None else None
        return {"fields": data, "spaces": spaces, "slots": slots, "submit": submit}


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)


class ScheduleInput(serializers.Serializer):
    space = IdRelatedField(queryset=Space.objects.none())
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()

    def __init__(self, *args, mairie=None, **kwargs):
        super().__init__(*args, **kwargs)
        if mairie is not None:
            self.fields["space"].queryset = Space.objects.filter(mairie=mairie)
