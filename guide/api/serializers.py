from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import Carnet, CarnetItem, CarnetShare, Service


def _stream(stream):
    return [dict(block.value) for block in stream] if stream else []


class ServiceOutput(serializers.ModelSerializer):
    """A service's public face: never its agents."""

    class Meta:
        model = Service
        fields = ["slug", "name", "description", "place", "hours", "phone", "email"]


class DemarcheSummaryOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    intro = serializers.CharField()
    url = serializers.CharField(source="site_path")


class SituationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    slug = serializers.CharField()
    intro = serializers.CharField()
    body = serializers.CharField()
    url = serializers.CharField(source="site_path")
    notes = serializers.SerializerMethodField()
    postits = serializers.SerializerMethodField()
    demarches = serializers.SerializerMethodField()

    def get_notes(self, page) -> list[dict]:
        return _stream(page.notes)

    def get_postits(self, page) -> list[dict]:
        return _stream(page.postits)

    def get_demarches(self, page) -> list[dict]:
        return DemarcheSummaryOutput(page.demarches(), many=True).data


class DemarcheOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    slug = serializers.CharField()
    situation = serializers.SerializerMethodField()
    intro = serializers.CharField()
    what = serializers.CharField()
    who = serializers.CharField()
    where_when = serializers.CharField()
    documents = serializers.SerializerMethodField()
    cost = serializers.CharField()
    delay = serializers.CharField()
    service = ServiceOutput(allow_null=True)
    steps = serializers.SerializerMethodField()
    notes = serializers.SerializerMethodField()
    postits = serializers.SerializerMethodField()
    url = serializers.CharField(source="site_path")

    def get_situation(self, page) -> int | None:
        parent = page.get_parent()
        return parent.pk if parent is not None else None

    def get_documents(self, page) -> list[dict]:
        return page.document_list()

    def get_steps(self, page) -> list[dict]:
        return _stream(page.steps)

    def get_notes(self, page) -> list[dict]:
        return _stream(page.notes)

    def get_postits(self, page) -> list[dict]:
        return _stream(page.postits)


class AttachedDocumentOutput(serializers.Serializer):
    """The file the owner attached to a document (its content: GET …/items/{item_id}/document/)."""

    name = serializers.CharField(source="document_name")
    content_type = serializers.CharField(source="document_type")
    size = serializers.IntegerField(source="document_size")
    added_at = serializers.DateTimeField(source="document_added_at")


class CarnetItemOutput(serializers.ModelSerializer):
    document = serializers.SerializerMethodField()

    class Meta:
        model = CarnetItem
        fields = ["id", "name", "detail", "optional", "state", "updated_at", "document"]

    @extend_schema_field(AttachedDocumentOutput(allow_null=True))
    def get_document(self, item) -> dict | None:
        return AttachedDocumentOutput(item).data if item.document else None


class DocumentInput(serializers.Serializer):
    document = serializers.FileField(help_text="A scan or photo of the document: a PDF or an image (PNG, JPEG, GIF, "
                                               "WebP), at most GUIDE_DOCUMENT_MAX_BYTES (10 MB).")


class CarnetShareOutput(serializers.ModelSerializer):
    service = serializers.CharField(source="service.slug")
    service_name = serializers.CharField(source="service.name")
    active = serializers.BooleanField(source="is_active")

    class Meta:
        model = CarnetShare
        fields = ["id", "service", "service_name", "granted_at", "at_counter", "active", "revoked_at"]


class CarnetOutput(serializers.ModelSerializer):
    demarche = serializers.IntegerField(source="demarche_id", allow_null=True)
    items = CarnetItemOutput(many=True)
    shares = CarnetShareOutput(many=True)
    without_account = serializers.BooleanField(read_only=True,
                                               help_text="Opened at the counter for someone without an account, "
                                                         "not attached to one yet.")

    class Meta:
        model = Carnet
        fields = ["id", "title", "demarche", "status", "created_at", "closed_at", "next_appointment",
                  "appointment_place", "agent_note", "items", "shares", "without_account"]


class CounterOpenInput(serializers.Serializer):
    """An agent at the counter opens a carnet: for an account (`resident_email`), or, with
    `without_account`, for someone without one (`holder_label`: a first name or initials, optional)."""

    demarche = serializers.IntegerField(min_value=1, max_value=2**62)
    without_account = serializers.BooleanField(default=False)
    resident_email = serializers.EmailField(required=False, allow_blank=True, default="")
    holder_label = serializers.CharField(max_length=40, required=False, allow_blank=True, default="",
                                         help_text="Without an account: what the person chose to give, never an "
                                                   "address or an ID number.")
    consent = serializers.BooleanField(help_text="The person agreed, asked by the agent, that the carnet be shared "
                                                 "with the agent's service (required: true).")


class CounterOpenOutput(serializers.Serializer):
    carnet = CarnetOutput()
    claim_code = serializers.CharField(allow_null=True, help_text=(
        "Without an account: the claim code, given here once and never again (only its hash is stored); "
        "print it on the liaison sheet. null for a carnet opened for an account."))
    code_url = serializers.URLField(allow_null=True, help_text="Where the person types the code.")


class ClaimInput(serializers.Serializer):
    code = serializers.CharField(max_length=64, help_text="The claim code of the liaison sheet, e.g. "
                                                          "\"ABCD-EFGH-JKMN-PQRS\" (case, spaces and dashes aside).")


class CarnetOpenInput(serializers.Serializer):
    demarche = serializers.IntegerField(min_value=1, max_value=2**62)


class ItemStateInput(serializers.Serializer):
    state = serializers.ChoiceField(choices=CarnetItem.State.choices)


class ShareInput(serializers.Serializer):
    service = serializers.SlugField(max_length=60)


class AgentPartInput(serializers.Serializer):
    next_appointment = serializers.DateTimeField(required=False, allow_null=True, default=None)
    appointment_place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    agent_note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
