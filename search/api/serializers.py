"""Input and output of the search API (input and output apart, as everywhere in the API)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .. import registry
from ..query import MAX_FILTER_VALUES, MAX_PAGE


def _values(label):
    return serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, default=list, max_length=MAX_FILTER_VALUES,
        help_text=label)


class SearchParams(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, default="",
                              help_text=_("Les mots cherchés (200 caractères au plus sont pris en compte). "
                                          "Vide : tout ce qui est visible, du plus récent au plus ancien."))
    type = _values(_("Types de contenu (répétable ; l'un ou l'autre)."))
    tag = _values(_("Mots-clés (répétable ; tous doivent être présents)."))
    quartier = _values(_("Quartiers (répétable ; l'un ou l'autre)."))
    status = _values(_("Statuts (répétable ; l'un ou l'autre)."))
    page = serializers.IntegerField(
        required=False, default=1, min_value=1, max_value=MAX_PAGE,
        error_messages={"invalid": _("Le numéro de page doit être un nombre entier."),
                        "min_value": _("Le numéro de page commence à 1."),
                        "max_value": _("Le numéro de page ne peut pas dépasser {max_value}.")})
    page_size = serializers.IntegerField(required=False, default=20, min_value=1, max_value=50)

    def validate_type(self, value):
        known = registry.adapters()
        unknown = [v for v in value if v not in known]
        if unknown:
            raise serializers.ValidationError(
                _("Type de contenu inconnu : %(unknown)s. Types possibles : %(known)s.")
                % {"unknown": ", ".join(unknown), "known": ", ".join(sorted(known))})
        return value


class SuggestParams(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, default="",
                              help_text=_("Le début de ce qui est tapé (2 caractères au moins)."))


class HitSerializer(serializers.Serializer):
    type = serializers.CharField()
    type_label = serializers.CharField()
    id = serializers.CharField(help_text=_("« type:clé », unique sur la plateforme."))
    title = serializers.CharField()
    url = serializers.CharField()
    highlight = serializers.CharField(help_text=_("Extrait en HTML : texte échappé, mots trouvés dans <mark>."))
    title_highlight = serializers.CharField(help_text=_("Le titre en HTML, mots trouvés dans <mark>."))
    score = serializers.FloatField()
    date = serializers.DateTimeField(allow_null=True)
    mairie = serializers.CharField(allow_null=True)
    tags = serializers.ListField(child=serializers.CharField())
    quartier = serializers.CharField(allow_blank=True)
    status = serializers.CharField(allow_blank=True)


class FacetsSerializer(serializers.Serializer):
    type = serializers.DictField(child=serializers.IntegerField())
    tags = serializers.DictField(child=serializers.IntegerField())
    quartier = serializers.DictField(child=serializers.IntegerField())
    status = serializers.DictField(child=serializers.IntegerField())


class SearchResponseSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    num_pages = serializers.IntegerField()
    match = serializers.ChoiceField(choices=["all", "any"], help_text=_(
        "« all » : tous les mots trouvés ; « any » : aucun contenu n'avait tous les mots, au moins un suffit."))
    results = HitSerializer(many=True)
    facets = FacetsSerializer()
    suggestions = serializers.ListField(child=serializers.CharField(), help_text=_("« Vous vouliez dire »."))


class SuggestionSerializer(serializers.Serializer):
    title = serializers.CharField()
    url = serializers.CharField()
    type = serializers.CharField()
    type_label = serializers.CharField()


class SuggestResponseSerializer(serializers.Serializer):
    suggestions = SuggestionSerializer(many=True)
