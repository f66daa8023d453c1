from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from participation.models import Quartier

from ..models import Need, Project, ProjectUpdate, Role, Status


class ProjectOutput(serializers.ModelSerializer):
    author = serializers.CharField(source="proposer_label", read_only=True)
    quartier = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    tags = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    image = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = ["id", "title", "summary", "description", "status", "quartier", "tags", "needs", "role", "author",
                  "supports_count", "comments_count", "published_at", "url", "image"]

    def get_url(self, project) -> str:
        # The list gives the Bureau's path once (context), not one page lookup per project.
        base = self.context.get("index_path")
        return f"{base}projets/{project.pk}/" if base else project.get_absolute_url()

    def get_tags(self, project) -> list[str]:
        return [t.name for t in project.tags.all()]

    def get_image(self, project) -> str | None:
        return project.image.get_rendition("width-800").url if project.image_id else None


class ProjectInput(serializers.Serializer):
    title = serializers.CharField(max_length=120)
    summary = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=5000)
    quartier = serializers.SlugField(required=False, allow_null=True, allow_blank=True,
                                     help_text=_("Identifiant du quartier (voir /api/participation/quartiers/)."))
    tags = serializers.ListField(child=serializers.CharField(max_length=50), required=False, max_length=8)
    needs = serializers.ListField(child=serializers.ChoiceField(choices=Need.choices), required=False, max_length=5)
    role = serializers.ChoiceField(choices=Role.choices, default=Role.RESIDENT)
    organisation_name = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    author_anonymous = serializers.BooleanField(required=False, default=False)
    submit = serializers.BooleanField(required=False, default=False,
                                      help_text=_("Déposer tout de suite (sinon : brouillon)."))

    def validate_quartier(self, slug):
        if not slug:
            return None
        quartier = Quartier.objects.filter(mairie=self.context["mairie"], slug=slug).first()
        if quartier is None:
            raise serializers.ValidationError(_("Quartier inconnu dans cette mairie."))
        return quartier


class ProjectPatch(ProjectInput):
    title = serializers.CharField(max_length=120, required=False)
    summary = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(max_length=5000, required=False)
    role = serializers.ChoiceField(choices=Role.choices, required=False)
    submit = None


class TransitionInput(serializers.Serializer):
    status = serializers.ChoiceField(choices=Status.choices)
    rationale = serializers.CharField(max_length=2000)


class UpdateOutput(serializers.ModelSerializer):
    class Meta:
        model = ProjectUpdate
        fields = ["id", "text", "created_at"]


class UpdateInput(serializers.Serializer):
    text = serializers.CharField(max_length=3000)
