"""« Mairies » in the Wagtail admin, for superusers only: the list, a new mairie (through
cms.mairie_setup.add_mairie, so that it comes with its whole section set) and its edit form (name,
contact, opening hours, quartiers, and its address on the web, which is its Site's hostname and
port). A mairie is not deleted here: its participatory objects hold on to it (PROTECT), and taking
a mairie off the platform is an operation, not a click.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.models import CreateView, EditView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import ModelPermissionPolicy

from . import mairie_setup
from .errors import ServiceError
from .models import Mairie
from .web import put_on_form

CONTACT_FIELDS = ["address", "contact_email", "phone", "opening_hours"]


class SuperusersOnly(ModelPermissionPolicy):
    """Every action on mairies is a superuser's (no role holds a model permission on them), and no
    one deletes one here."""

    def user_has_permission(self, user, action):
        return user.is_active and user.is_superuser and action != "delete"

    def user_has_any_permission(self, user, actions):
        return user.is_active and user.is_superuser

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.user_has_permission(user, "change")

    def instances_user_has_any_permission_for(self, user, actions):
        return Mairie.objects.all() if self.user_has_permission(user, "change") else Mairie.objects.none()

    def users_with_any_permission(self, actions):
        from .models import User

        return User.objects.filter(is_active=True, is_superuser=True)


def _lines(text) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class _MairieForm(WagtailAdminModelForm):
    hostname = forms.CharField(
        label=_("Adresse du site"), max_length=255,
        help_text=_("Le nom d'hôte où la mairie répond, sans « https:// » ni « / », par exemple « mairie18.paris.fr »."))
    port = forms.IntegerField(label=_("Port"), initial=80, min_value=1, max_value=65535,
                              help_text=_("80 derrière un serveur web ; celui du site en local."))
    quartiers = forms.CharField(
        label=_("Quartiers"), required=False, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Un quartier par ligne. Un quartier auquel des contributions sont rattachées ne peut pas être "
                    "retiré."))

    def validate_unique(self):
        """Uniqueness is the service's to say (cms.mairie_setup), with its own messages."""

    def put_refusal(self, exc):
        field = getattr(exc, "extra", {}).get("field") if isinstance(exc, ServiceError) else None
        if field in self.fields:
            self.add_error(field, str(exc.message))
        else:
            put_on_form(self, exc)


class MairieCreateForm(_MairieForm):
    class Meta:
        model = Mairie
        fields = ["name", "short_name", "slug", "arrondissement", "hostname", "port", *CONTACT_FIELDS, "quartiers"]


class MairieEditForm(_MairieForm):
    class Meta:
        model = Mairie
        fields = ["name", "short_name", "hostname", "port", *CONTACT_FIELDS, "quartiers", "pages_reviewed"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            site = self.instance.site
            self.initial.update(hostname=site.hostname, port=site.port,
                                quartiers="\n".join(mairie_setup.current_options(self.instance).get("quartiers", ())))


class _ServiceSaves:
    """Save through the service; a refusal goes on the form, and nothing is kept (the service's
    transaction is rolled back)."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except (ServiceError, ValidationError) as exc:
            form.put_refusal(exc)
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


class MairieCreateView(_ServiceSaves, CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        return mairie_setup.add_mairie(
            name=data["name"], short_name=data["short_name"], slug=data["slug"], arrondissement=data["arrondissement"],
            hostname=data["hostname"], port=data["port"], quartiers=_lines(data["quartiers"]),
            **{field: data[field] for field in CONTACT_FIELDS})


class MairieEditView(_ServiceSaves, EditView):
    def save_instance(self):
        data = self.form.cleaned_data
        return mairie_setup.mairie_update(
            mairie=self.object, hostname=data["hostname"], port=data["port"], quartiers=_lines(data["quartiers"]),
            name=data["name"], short_name=data["short_name"], pages_reviewed=data["pages_reviewed"],
            **{field: data[field] for field in CONTACT_FIELDS})


class MairieViewSet(ModelViewSet):
    model = Mairie
    icon = "home"
    menu_label = _("Mairies")
    menu_order = 150
    add_to_settings_menu = True
    add_view_class = MairieCreateView
    edit_view_class = MairieEditView
    list_display = ["name", "short_name", "arrondissement", Column("root_url", label=_("Adresse du site")),
                    "contact_email"]
    search_fields = ["name", "short_name", "slug"]
    copy_view_enabled = False
    add_to_reference_index = False

    def get_form_class(self, for_update=False):
        return MairieEditForm if for_update else MairieCreateForm

    def get_queryset(self, request):
        return Mairie.objects.select_related("site")
