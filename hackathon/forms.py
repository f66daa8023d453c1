from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cms.forms import AccessibleFormMixin
from participation.models import Quartier

from .models import Complaint, Draw, Outcome, RecurringIssue


def split_tags(value):
    return [t.strip()[:100] for t in (value or "").split(",") if t.strip()][:10]


class _MairieForm(AccessibleFormMixin, forms.Form):
    def __init__(self, *args, mairie=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.mairie = mairie
        if "quartier" in self.fields:
            self.fields["quartier"].queryset = Quartier.objects.filter(mairie=mairie)
        if "issue" in self.fields:
            self.fields["issue"].queryset = RecurringIssue.objects.filter(mairie=mairie).exclude(
                status=RecurringIssue.Status.ARCHIVED).order_by("title")
        # AccessibleFormMixin.__init__ already validated a bound form with the empty querysets:
        # validate again with this mairie's choices.
        self._errors = None
        self._describe_fields()

    def clean_tags(self):
        return split_tags(self.cleaned_data.get("tags"))


class ComplaintRecordForm(_MairieForm):
    """An agent digitises a letter."""

    received_on = forms.DateField(label=_("Reçu le"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                  initial=timezone.localdate)
    channel = forms.ChoiceField(label=_("Canal"), choices=Complaint.Channel.choices, initial=Complaint.Channel.PAPER)
    subject = forms.CharField(label=_("Objet"), max_length=200)
    full_text = forms.CharField(label=_("Texte complet"), required=False, max_length=20000,
                                widget=forms.Textarea(attrs={"rows": 10}),
                                help_text=_("Obligatoire sans scan. Donnée personnelle : lue par les agents seulement."))
    scan = forms.FileField(label=_("Scan (PDF ou image)"), required=False,
                           help_text=_("PDF, JPEG, PNG ou WebP, 10 Mo au plus."))
    quartier = forms.ModelChoiceField(label=_("Quartier"), queryset=Quartier.objects.none(), required=False,
                                      empty_label=_("Non précisé"))
    tags = forms.CharField(label=_("Thèmes"), required=False, max_length=300,
                           help_text=_("Séparés par des virgules, par exemple : état civil, justificatifs."))
    author_account = forms.CharField(
        label=_("Compte de l'auteur·rice sur la plateforme (facultatif)"), required=False, max_length=254,
        help_text=_("Son nom d'utilisateur ou son adresse e-mail, s'il ou elle a un compte confirmé : le courrier "
                    "apparaît alors dans sa page « Mes courriers », avec ses suites."))
    contact_name = forms.CharField(label=_("Nom de l'auteur·rice"), required=False, max_length=160)
    contact_email = forms.EmailField(label=_("E-mail de l'auteur·rice"), required=False,
                                     help_text=_("S'il est connu : un accusé de réception lui est envoyé."))
    contact_phone = forms.CharField(label=_("Téléphone"), required=False, max_length=40)
    postal_address = forms.CharField(label=_("Adresse postale"), required=False, max_length=500,
                                     widget=forms.Textarea(attrs={"rows": 3}),
                                     help_text=_("Sans e-mail, les nouvelles lui sont envoyées par lettre."))
    public_summary = forms.CharField(label=_("Résumé public (anonymisé)"), required=False, max_length=2000,
                                     widget=forms.Textarea(attrs={"rows": 3}),
                                     help_text=_("Publié sur la page du sujet : ni nom, ni adresse, ni détail "
                                                 "qui permette de reconnaître la personne."))
    issue = forms.ModelChoiceField(label=_("Sujet récurrent"), queryset=RecurringIssue.objects.none(),
                                   required=False, empty_label=_("À regrouper plus tard"))


class ComplaintSubmitForm(_MairieForm):
    """A resident writes online."""

    subject = forms.CharField(label=_("Objet"), max_length=200)
    full_text = forms.CharField(label=_("Votre message"), max_length=20000, widget=forms.Textarea(attrs={"rows": 10}),
                                help_text=_("Lu par les agents de la mairie seulement ; jamais publié."))
    quartier = forms.ModelChoiceField(label=_("Quartier concerné"), queryset=Quartier.objects.none(), required=False,
                                      empty_label=_("Non précisé"))
    scan = forms.FileField(label=_("Pièce jointe (facultatif)"), required=False,
                           help_text=_("PDF ou image (JPEG, PNG, WebP), 10 Mo au plus."))


class ComplaintEditForm(_MairieForm):
    public_summary = forms.CharField(label=_("Résumé public (anonymisé)"), required=False, max_length=2000,
                                     widget=forms.Textarea(attrs={"rows": 4}),
                                     help_text=_("L'enregistrer vaut validation : il devient public sur la page "
                                                 "du sujet."))
    quartier = forms.ModelChoiceField(label=_("Quartier"), queryset=Quartier.objects.none(), required=False,
                                      empty_label=_("Non précisé"))
    tags = forms.CharField(label=_("Thèmes"), required=False, max_length=300)


class GroupForm(_MairieForm):
    issue = forms.ModelChoiceField(label=_("Rattacher au sujet"), queryset=RecurringIssue.objects.none(),
                                   required=False, empty_label=_("Aucun (détacher)"))


class IssueForm(_MairieForm):
    title = forms.CharField(label=_("Titre"), max_length=160)
    description = forms.CharField(label=_("Description publique"), required=False, max_length=4000,
                                  widget=forms.Textarea(attrs={"rows": 5}))
    quartier = forms.ModelChoiceField(label=_("Quartier"), queryset=Quartier.objects.none(), required=False,
                                      empty_label=_("Tout l'arrondissement"))
    tags = forms.CharField(label=_("Thèmes"), required=False, max_length=300)


class IssueStatusForm(AccessibleFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Statut"), choices=[
        (RecurringIssue.Status.OPEN, RecurringIssue.Status.OPEN.label),
        (RecurringIssue.Status.SOLVED, RecurringIssue.Status.SOLVED.label),
        (RecurringIssue.Status.ARCHIVED, RecurringIssue.Status.ARCHIVED.label)])
    reason = forms.CharField(label=_("Note publique"), max_length=2000, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))


class DrawOpenForm(AccessibleFormMixin, forms.Form):
    month = forms.CharField(label=_("Mois (AAAA-MM)"), max_length=7, initial=lambda: timezone.localdate().strftime("%Y-%m"))
    entropy_source = forms.CharField(
        label=_("Source du hasard, annoncée à l'avance"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Une valeur publique que personne ne connaît ni ne choisit aujourd'hui, et le format exact "
                    "de sa saisie. Par exemple : « les 5 numéros du tirage du Loto FDJ du lundi 4 mai 2026, "
                    "dans l'ordre croissant, séparés par des espaces, suivis des 3 dés lancés dans le hall ». "))
    entropy_available_at = forms.DateTimeField(
        label=_("Valeur connue à partir du"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
        help_text=_("Le tirage ne pourra pas être fait avant."))


class DrawRunForm(AccessibleFormMixin, forms.Form):
    entropy_value = forms.CharField(label=_("Valeur publiée par la source"), max_length=500,
                                    help_text=_("Exactement au format annoncé."))


class RedrawForm(DrawOpenForm):
    reason = forms.CharField(label=_("Motif public du nouveau tirage"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))
    kind = forms.ChoiceField(label=_("Nature"), choices=Draw.RedrawKind.choices, initial=Draw.RedrawKind.INCIDENT,
                             help_text=_("Un mois ne se refait qu'une fois, sauf si le sujet tiré est devenu caduc."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["month"]
        self.fields["entropy_source"].label = _("Nouvelle source du hasard, future")
        self.order_fields(["reason", "kind", "entropy_source", "entropy_available_at"])


class DrawCloseForm(AccessibleFormMixin, forms.Form):
    reason = forms.CharField(label=_("Motif public de la clôture"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))


class SessionForm(AccessibleFormMixin, forms.Form):
    _dt = {"widget": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
           "input_formats": ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]}
    title = forms.CharField(label=_("Titre"), max_length=160)
    starts_at = forms.DateTimeField(label=_("Début"), **_dt)
    ends_at = forms.DateTimeField(label=_("Fin"), **_dt)
    place = forms.CharField(label=_("Lieu"), max_length=200, initial=_("Salle des fêtes de la mairie"))
    capacity = forms.IntegerField(label=_("Nombre de places"), min_value=1, max_value=2000, initial=40)
    programme = forms.CharField(label=_("Programme"), required=False, max_length=6000,
                                widget=forms.Textarea(attrs={"rows": 6}))
    tools = forms.CharField(label=_("Outils et matériel"), required=False, max_length=4000,
                            widget=forms.Textarea(attrs={"rows": 3}))


class OutcomeForm(AccessibleFormMixin, forms.Form):
    decision = forms.CharField(label=_("Décision"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
    carried_by = forms.CharField(label=_("Portée par"), max_length=200,
                                 help_text=_("Le service ou la personne qui s'en charge."))
    due_on = forms.DateField(label=_("Échéance"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    note = forms.CharField(label=_("Note publique"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))


class OutcomeAdvanceForm(AccessibleFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Nouvelle étape"), choices=())
    note = forms.CharField(label=_("Note publique"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("Publiée sur la page du sujet et envoyée aux personnes concernées."))

    def __init__(self, *args, outcome=None, **kwargs):
        super().__init__(*args, **kwargs)
        nxt = Outcome.NEXT.get(outcome.status) if outcome is not None else None
        self.fields["status"].choices = [(nxt, Outcome.Status(nxt).label)] if nxt else []
