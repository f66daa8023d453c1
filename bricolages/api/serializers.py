"""Input and output shapes of /api/bricolages/. Inputs are turned into the services' dataclasses;
no serializer writes anything itself."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from wagtail.images import get_image_model

from cms.api.fields import IdField

from .. import selectors
from ..models import Feedback, Licence
from ..services import BricolageInput, StepInput, image_collection

# --- output ----------------------------------------------------------------------------------


class PersonOutput(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField(source="public_name")
    mairie = serializers.CharField(source="mairie.slug", default=None, allow_null=True)


class MairieOutput(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    short_name = serializers.CharField()


class StepOutput(serializers.Serializer):
    text = serializers.CharField()
    image = serializers.SerializerMethodField()
    image_url = serializers.SerializerMethodField()
    alt = serializers.CharField()

    @extend_schema_field(OpenApiTypes.INT)
    def get_image(self, step):
        return step["image"].pk if step["image"] else None

    @extend_schema_field(OpenApiTypes.URI)
    def get_image_url(self, step):
        if not step["image"]:
            return None
        return self.context["request"].build_absolute_uri(reverse("bricolages:image", args=[step["image"].pk, "etape"]))


class AttachmentOutput(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    title = serializers.CharField()
    size = serializers.IntegerField()
    mime_type = serializers.CharField()
    url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, attachment):
        return self.context["request"].build_absolute_uri(attachment.get_absolute_url())


class RatingStatsOutput(serializers.Serializer):
    count = serializers.IntegerField()
    average = serializers.FloatField(allow_null=True)
    score = serializers.FloatField(help_text="Bayesian average: (C*m + sum of stars) / (C + count).")


class BricolageListOutput(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    title = serializers.CharField()
    summary = serializers.CharField()
    url = serializers.SerializerMethodField()
    author = PersonOutput()
    mairie = MairieOutput()
    tags = serializers.SerializerMethodField()
    tools = serializers.SerializerMethodField()
    licence = serializers.CharField()
    variant_of = serializers.IntegerField(source="variant_of_id", allow_null=True)
    rating = serializers.SerializerMethodField()
    adoption_count = serializers.IntegerField()
    variants_count = serializers.IntegerField()
    comments_count = serializers.IntegerField()
    published_at = serializers.DateTimeField(source="first_published_at")
    updated_at = serializers.DateTimeField(source="last_published_at")

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, bricolage):
        return self.context["request"].build_absolute_uri(bricolage.get_absolute_url())

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_tags(self, bricolage):
        return sorted(item.tag.name for item in bricolage.tagged_items.all())  # prefetched: selectors.with_tags

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_tools(self, bricolage):
        return sorted(item.tag.name for item in bricolage.tool_items.all())

    @extend_schema_field(RatingStatsOutput)
    def get_rating(self, bricolage):
        count = bricolage.rating_count
        return {"count": count, "average": round(bricolage.rating_sum / count, 2) if count else None,
                "score": round(bricolage.score, 3)}


class BricolageDetailOutput(BricolageListOutput):
    problem = serializers.CharField()
    materials = serializers.CharField()
    steps = serializers.SerializerMethodField()
    attachments = serializers.SerializerMethodField()
    variants = serializers.SerializerMethodField()
    mairies_in_use = serializers.SerializerMethodField()
    my_rating = serializers.SerializerMethodField()
    revision_id = serializers.IntegerField(source="live_revision_id")
    born_from = serializers.IntegerField(source="born_from_id", allow_null=True,
                                         help_text="The exploration summary this bricolage was born from "
                                                   "(/api/bricolages/explorations/summaries/{id}/), or null")

    @extend_schema_field(StepOutput(many=True))
    def get_steps(self, bricolage):
        return StepOutput(bricolage.step_list, many=True, context=self.context).data

    @extend_schema_field(AttachmentOutput(many=True))
    def get_attachments(self, bricolage):
        return AttachmentOutput(bricolage.attachments.all(), many=True, context=self.context).data

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_variants(self, bricolage):
        return list(selectors.variants(bricolage).values_list("pk", flat=True))

    @extend_schema_field(MairieOutput(many=True))
    def get_mairies_in_use(self, bricolage):
        return MairieOutput([row["mairie"] for row in selectors.adoption(bricolage)], many=True).data

    @extend_schema_field(OpenApiTypes.INT)
    def get_my_rating(self, bricolage):
        rating = selectors.user_rating(self.context["request"].user, bricolage)
        return rating.stars if rating else None


class RevisionOutput(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    created_at = serializers.DateTimeField()
    user = PersonOutput(allow_null=True)
    note = serializers.SerializerMethodField()
    kind = serializers.SerializerMethodField()
    restored_from = serializers.SerializerMethodField()
    current = serializers.SerializerMethodField()

    def _change(self, revision):
        try:
            return revision.bricolage_change
        except Exception:  # noqa: BLE001 - RelatedObjectDoesNotExist: saved in the admin
            return None

    def get_note(self, revision) -> str:
        change = self._change(revision)
        return change.note if change else ""

    def get_kind(self, revision) -> str:
        change = self._change(revision)
        return change.kind if change else "admin"

    @extend_schema_field(OpenApiTypes.INT)
    def get_restored_from(self, revision):
        change = self._change(revision)
        return change.restored_from_id if change else None

    def get_current(self, revision) -> bool:
        return revision.pk == self.context.get("live_revision_id")


class FeedbackOutput(serializers.ModelSerializer):
    author = PersonOutput()
    mairie = MairieOutput()
    in_use = serializers.BooleanField()

    class Meta:
        model = Feedback
        fields = ["id", "author", "mairie", "outcome", "in_use", "note", "created_at", "updated_at"]


class RatingOutput(serializers.Serializer):
    stars = serializers.IntegerField(allow_null=True)
    rating = RatingStatsOutput()


# --- input -----------------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.INT)
class StarsField(serializers.Field):
    """A whole number of stars, 1 to 5: 0, 6, 3.5, "trois" and true are refused."""

    default_error_messages = {"invalid": _("La note est un nombre entier d'étoiles, de 1 à 5."),
                              "null": _("La note est un nombre entier d'étoiles, de 1 à 5."),
                              "required": _("La note est un nombre entier d'étoiles, de 1 à 5.")}

    def to_internal_value(self, data):
        if isinstance(data, str) and data.strip().isdigit():
            data = int(data.strip())
        if isinstance(data, bool) or not isinstance(data, int) or not 1 <= data <= 5:
            self.fail("invalid")
        return data

    def to_representation(self, value):
        return value


class RatingInput(serializers.Serializer):
    stars = StarsField()


class FeedbackInput(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Feedback.Outcome.choices)
    note = serializers.CharField(max_length=3000)


class RestoreInput(serializers.Serializer):
    change_note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class StepInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=4000, allow_blank=True)
    image = IdField(required=False, allow_null=True,
                    help_text="Id of an image already used by a bricolage (see a step's `image`).")
    alt = serializers.CharField(max_length=250, required=False, allow_blank=True, default="")


class BricolageInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=120)
    summary = serializers.CharField(max_length=600)
    problem = serializers.CharField(max_length=2000)
    materials = serializers.CharField(max_length=3000, required=False, allow_blank=True, default="")
    licence = serializers.ChoiceField(choices=Licence.choices, default=Licence.CC_BY_SA)
    tags = serializers.ListField(child=serializers.CharField(max_length=50), required=False, default=list, max_length=12)
    tools = serializers.ListField(child=serializers.CharField(max_length=50), required=False, default=list, max_length=12)
    steps = StepInputSerializer(many=True)
    variant_of = IdField(required=False, allow_null=True, help_text="Create only: the parent bricolage.")
    change_note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="",
                                        help_text="Required on update: what changed, for the history.")
    remove_attachments = serializers.ListField(child=IdField(), required=False, default=list)

    def validate_steps(self, steps):
        ids = {s["image"] for s in steps if s.get("image")}
        images = get_image_model().objects.filter(pk__in=ids, collection=image_collection()).in_bulk()
        missing = ids - set(images)
        if missing:
            raise serializers.ValidationError(_("Image inconnue : %(ids)s.") % {"ids": ", ".join(map(str, sorted(missing)))})
        return [StepInput(text=s["text"], image=images.get(s.get("image")), alt=s.get("alt", "")) for s in steps]

    def to_input(self, base: BricolageInput | None = None) -> BricolageInput:
        """The service's input; on a partial update, the fields not sent keep their current value."""
        data = self.validated_data
        if base is None:
            return BricolageInput(
                title=data["title"], summary=data["summary"], problem=data["problem"], materials=data["materials"],
                licence=data["licence"], tags=data["tags"], tools=data["tools"], steps=data["steps"],
                remove_attachments=data["remove_attachments"],
            )
        for name in ("title", "summary", "problem", "materials", "licence", "tags", "tools", "steps",
                     "remove_attachments"):
            if name in data:
                setattr(base, name, data[name])
        return base
