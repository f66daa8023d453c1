"""Forms: the charter's admin form (which enforces the 19 on publishing) and the public forms.

Imported by models.py: nothing here imports this app's models at module level."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm

from cms.forms import AccessibleFormMixin
from cms.i18n import lazy_interpolate

from . import rules


class CharterPageForm(WagtailAdminPageForm):
    """Refuses to publish (or submit for moderation, or approve) a charter that does not hold
    exactly 19 commandements numbered 1 to 19. Saving a draft stays free."""

    def is_publishing(self) -> bool:
        data = self.data
        if data.get("action-publish") or data.get("action-submit") or data.get("action-restart-workflow"):
            return True
        return bool(data.get("action-workflow-action")) and data.get("workflow-action-name") == "approve"

    def commandement_numbers(self):
        formset = self.formsets.get("commandements")
        if formset is None or not formset.is_valid():
            return None  # the children's own errors are shown on them
        numbers = []
        for form in formset.forms:
            if formset.can_delete and formset._should_delete_form(form):
                continue
            if form.instance.pk is None and not form.has_changed():
                continue
            numbers.append(form.cleaned_data.get("number"))
        return numbers

    def clean(self):
        cleaned = super().clean()
        numbers = self.commandement_numbers()
        if numbers is not None:
            for problem in rules.numbering_problems(numbers, publishing=self.is_publishing()):
                self.add_error(None, problem)
        return cleaned


class CommitmentReportAdminForm(WagtailAdminModelForm):
    """Editors only see, and only write to, the charters of their own mairie."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self, "for_user", None)
        if "charter" in self.fields and user is not None and not user.is_superuser:
            self.fields["charter"].queryset = self.fields["charter"].queryset.filter(mairie_id=user.mairie_id)


KIND_CHOICES = [
    ("wording", _("Une nouvelle formulation (d'un côté ou des deux)")),
    ("replacement", _("Un commandement de remplacement (titre et deux engagements)")),
]


class AmendmentForm(AccessibleFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Je propose"), choices=KIND_CHOICES, initial="wording")
    proposed_title = forms.CharField(
        label=_("Nouveau titre"), max_length=rules.TITLE_MAX_LENGTH, required=False,
        help_text=_("Obligatoire pour un remplacement ; facultatif sinon (%(n)d caractères au plus).")
        % {"n": rules.TITLE_MAX_LENGTH})
    proposed_mairie_commitment = forms.CharField(
        label=_("Engagement de la mairie"), max_length=rules.COMMITMENT_MAX_LENGTH, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=lazy_interpolate(_("%(n)d caractères au plus. Laissez vide pour garder la formulation actuelle."),
                                   {"n": rules.COMMITMENT_MAX_LENGTH}))
    proposed_resident_commitment = forms.CharField(
        label=_("Engagement de l'habitant·e"), max_length=rules.COMMITMENT_MAX_LENGTH, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=lazy_interpolate(_("%(n)d caractères au plus. Laissez vide pour garder la formulation actuelle."),
                                   {"n": rules.COMMITMENT_MAX_LENGTH}))
    rationale = forms.CharField(
        label=_("Pourquoi ce changement ?"), max_length=rules.RATIONALE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=lazy_interpolate(_("Expliquez en quelques phrases (%(n)d caractères au plus)."),
                                   {"n": rules.RATIONALE_MAX_LENGTH}))
    anonymous = forms.BooleanField(
        label=_("Publier comme « un·e habitant·e du quartier »"), required=False,
        help_text=_("Votre nom reste connu des éditeur·rices de la charte, mais n'est pas affiché."))

    def __init__(self, *args, allow_anonymous=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not allow_anonymous:
            del self.fields["anonymous"]


class DecisionForm(AccessibleFormMixin, forms.Form):
    reason = forms.CharField(label=_("Motif public"), max_length=rules.DECISION_MAX_LENGTH,
                             widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, required=True, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["reason"]
        field.required = required
        field.label = _("Motif public du refus") if required else _("Note publique (facultative)")
        field.help_text = (_("Il reste affiché sous l'amendement et il est envoyé à son auteur·rice.") if required
                           else _("Affichée dans l'historique de l'amendement."))
