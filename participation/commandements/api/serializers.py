from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .. import rules
from ..models import Amendment


class CommandementOutput(serializers.Serializer):
    number = serializers.IntegerField()
    title = serializers.CharField()
    mairie_commitment = serializers.CharField()
    resident_commitment = serializers.CharField()
    pictogram_url = serializers.SerializerMethodField()
    pictogram_alt = serializers.CharField()
    version = serializers.SerializerMethodField(help_text=_("Version de la charte où cette formulation est apparue."))
    contributions_count = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_pictogram_url(self, obj):
        if not obj.pictogram_id:
            return None
        try:
            url = obj.pictogram.get_rendition("fill-192x192").url
        except Exception:  # a missing or unreadable source file: fall back to the original
            url = obj.pictogram.file.url
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url

    def get_version(self, obj) -> int | None:
        wording = self.context.get("wordings", {}).get(obj.number)
        return wording.version.number if wording else None

    def get_contributions_count(self, obj) -> int:
        return self.context.get("contributions", {}).get(obj.number, 0)

    def get_url(self, obj) -> str:
        return obj.page.subpage_path("commandement", obj.number)


class ConsultationOutput(serializers.Serializer):
    state = serializers.ChoiceField(choices=["none", "upcoming", "open", "closed"])
    opens_at = serializers.DateTimeField(allow_null=True)
    closes_at = serializers.DateTimeField(allow_null=True)


class CharterOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.CharField()
    version = serializers.IntegerField(allow_null=True)
    published_at = serializers.DateTimeField(allow_null=True)
    consultation = ConsultationOutput()
    signatures_count = serializers.IntegerField()
    signed = serializers.BooleanField()
    commandements = CommandementOutput(many=True)


class AmendmentRef(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    url = serializers.CharField(source="get_absolute_url")
    author = serializers.CharField(source="public_author_name")
    author_kind = serializers.CharField()


class WordingOutput(serializers.Serializer):
    version = serializers.IntegerField(source="version.number")
    published_at = serializers.DateTimeField()
    title = serializers.CharField()
    mairie_commitment = serializers.CharField()
    resident_commitment = serializers.CharField()
    amendments = AmendmentRef(many=True, source="amendments.all")


class ReportOutput(serializers.Serializer):
    number = serializers.IntegerField()
    date = serializers.DateField()
    text = serializers.CharField()


class AmendmentOutput(serializers.ModelSerializer):
    url = serializers.CharField(source="get_absolute_url", read_only=True)
    author = serializers.CharField(source="public_author_name", read_only=True)
    author_kind_label = serializers.CharField(source="get_author_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    published_in_version = serializers.SerializerMethodField()
    supported = serializers.SerializerMethodField()

    class Meta:
        model = Amendment
        fields = ["id", "url", "number", "kind", "status", "status_label", "proposed_title",
                  "proposed_mairie_commitment", "proposed_resident_commitment", "rationale", "author",
                  "author_kind", "author_kind_label", "supports_count", "comments_count", "created_at",
                  "decision_reason", "decided_at", "published_in_version", "supported"]
        read_only_fields = fields

    def get_published_in_version(self, obj) -> int | None:
        return obj.wording.version.number if obj.wording_id else None

    def get_supported(self, obj) -> bool:
        return obj.pk in self.context.get("supported", set())


class AmendmentInput(serializers.Serializer):
    number = serializers.IntegerField(help_text=_("Numéro du commandement amendé (1 à 19)."))
    kind = serializers.ChoiceField(choices=Amendment.Kind.choices, default=Amendment.Kind.WORDING)
    proposed_title = serializers.CharField(max_length=rules.TITLE_MAX_LENGTH, required=False, allow_blank=True,
                                           default="")
    proposed_mairie_commitment = serializers.CharField(max_length=rules.COMMITMENT_MAX_LENGTH, required=False,
                                                       allow_blank=True, default="")
    proposed_resident_commitment = serializers.CharField(max_length=rules.COMMITMENT_MAX_LENGTH, required=False,
                                                         allow_blank=True, default="")
    rationale = serializers.CharField(max_length=rules.RATIONALE_MAX_LENGTH)
    anonymous = serializers.BooleanField(required=False, default=False)


class AdoptInput(serializers.Serializer):
    note = serializers.CharField(max_length=rules.DECISION_MAX_LENGTH, required=False, allow_blank=True, default="")


class AdoptOutput(serializers.Serializer):
    amendment = AmendmentOutput()
    revision = serializers.IntegerField(help_text=_("Le brouillon de la charte qui intègre l'amendement."))
    edit_url = serializers.CharField(help_text=_("Où relire et publier ce brouillon dans l'administration."))


class RejectInput(serializers.Serializer):
    reason = serializers.CharField(max_length=rules.DECISION_MAX_LENGTH)


class SignatureOutput(serializers.Serializer):
    signatures_count = serializers.IntegerField()
    signed = serializers.BooleanField()
