"""HTML forms. They only parse and present: every rule is checked again by occupai.services."""

from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cms.forms import AccessibleFormMixin
from participation.models import Quartier

from .models import Proposal, Space
from .services import MAX_SLOTS


def _revalidate(form):
    """AccessibleFormMixin validates in __init__ (to describe errors): validate again once the
    choices are narrowed to the call's, or the first pass's "not a valid choice" would stick."""
    form._errors = None
    for field in form.fields.values():
        field.widget.attrs.pop("aria-invalid", None)
        field.widget.attrs.pop("aria-describedby", None)
    form._describe_fields()


class ProposalForm(AccessibleFormMixin, forms.Form):
    title = forms.CharField(label=_("Titre de l'événement"), max_length=120)
    description = forms.CharField(
        label=_("Description"), max_length=5000, widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Ce qui se passera, pour qui, dans quelle ambiance. 5 000 caractères au plus."))
    kind = forms.ChoiceField(label=_("Type d'événement"), choices=Proposal.Kind.choices)
    proposer_type = forms.ChoiceField(label=_("Qui propose ?"), choices=Proposal.ProposerType.choices,
                                      widget=forms.RadioSelect, initial=Proposal.ProposerType.RESIDENT)
    proposer_name = forms.CharField(
        label=_("Nom affiché"), max_length=120, required=False,
        help_text=_("Le nom de votre association ou de votre collectif (facultatif pour un·e habitant·e)."))
    author_anonymous = forms.BooleanField(
        label=_("Publier comme « un·e habitant·e du quartier »"), required=False,
        help_text=_("Votre nom reste connu des organisateur·rices, mais n'est pas affiché publiquement."))
    quartier = forms.ModelChoiceField(label=_("Quartier"), queryset=Quartier.objects.none(), required=False,
                                      empty_label=_("— Aucun en particulier —"))
    expected_audience = forms.IntegerField(label=_("Public attendu (nombre de personnes)"), min_value=1,
                                           max_value=10000)
    preferred_spaces = forms.ModelMultipleChoiceField(
        label=_("Espaces souhaités"), queryset=Space.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple)
    needs = forms.MultipleChoiceField(label=_("Besoins"), choices=Proposal.Need.choices, required=False,
                                      widget=forms.CheckboxSelectMultiple)
    needs_details = forms.CharField(label=_("Précisions sur les besoins"), max_length=2000, required=False,
                                    widget=forms.Textarea(attrs={"rows": 3}))
    accessibility = forms.CharField(
        label=_("Accessibilité"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Comment l'événement accueille tout le monde : accès en fauteuil, langue des signes, "
                    "espace calme, gratuité…"))
    image = forms.ImageField(label=_("Image (facultative)"), required=False,
                             help_text=_("JPEG, PNG ou WebP, 5 Mo au plus."))
    image_alt = forms.CharField(label=_("Description de l'image"), max_length=200, required=False,
                                help_text=_("Ce que montre l'image, pour les personnes qui ne la voient pas."))

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["preferred_spaces"].queryset = call.spaces.all()
        self.fields["quartier"].queryset = Quartier.objects.filter(mairie=call.mairie)
        _revalidate(self)

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if image and getattr(image, "size", 0) > 5 * 1024 * 1024:
            raise forms.ValidationError(_("L'image dépasse 5 Mo."))
        return image

    def service_fields(self):
        data = dict(self.cleaned_data)
        fields = {key: data[key] for key in ("title", "description", "kind", "proposer_type", "proposer_name",
                                             "author_anonymous", "quartier", "expected_audience", "needs",
                                             "needs_details", "accessibility", "image_alt")}
        fields["needs"] = list(fields["needs"])
        if data.get("image"):
            fields["image"] = data["image"]
        elif data.get("image") is False:  # "clear" ticked
            fields["image"] = None
        return fields


class SlotForm(AccessibleFormMixin, forms.Form):
    day = forms.DateField(label=_("Jour"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(label=_("De"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end = forms.TimeField(label=_("À"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))

    def clean(self):
        data = super().clean()
        given = [data.get(k) for k in ("day", "start", "end")]
        if any(given) and not all(given):
            raise forms.ValidationError(_("Indiquez le jour, l'heure de début et l'heure de fin."))
        return data

    def slot(self):
        data = getattr(self, "cleaned_data", {})
        if not (data.get("day") and data.get("start") and data.get("end")):
            return None
        tz = timezone.get_default_timezone()
        return (timezone.make_aware(datetime.combine(data["day"], data["start"]), tz),
                timezone.make_aware(datetime.combine(data["day"], data["end"]), tz))


SlotFormSet = forms.formset_factory(SlotForm, extra=0, min_num=3, max_num=MAX_SLOTS, validate_max=True)


def slot_initial(proposal):
    rows = []
    for slot in proposal.slots.all():
        start, end = timezone.localtime(slot.starts_at), timezone.localtime(slot.ends_at)
        rows.append({"day": start.date(), "start": start.time(), "end": end.time()})
    return rows


class ReasonForm(AccessibleFormMixin, forms.Form):
    reason = forms.CharField(label=_("Motif"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class ScheduleForm(AccessibleFormMixin, forms.Form):
    space = forms.ModelChoiceField(label=_("Espace"), queryset=Space.objects.none())
    start = forms.DateTimeField(label=_("Début"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                                            format="%Y-%m-%dT%H:%M"))
    end = forms.DateTimeField(label=_("Fin"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                                        format="%Y-%m-%dT%H:%M"))

    def __init__(self, *args, call, space_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["space"].queryset = call.spaces.all()
        if space_choices is not None:  # one form per proposal on the dashboard: the options read once
            self.fields["space"].choices = space_choices
        _revalidate(self)
