"""Objects that belong to a mairie, in the Wagtail admin: each mairie's staff see and reach their
own only. Two viewset bases, one for snippets and one for the participation data (read-only
listings with filters, search, inspect and CSV/XLSX export), scope the listing and every view that
loads one object (edit, delete, copy, history, usage, inspect, revisions, lock...): another mairie's
object answers 404, as the platform's own views do, whatever the action.
"""

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import Menu, SubmenuMenuItem
from wagtail.admin.views.generic.models import CopyViewMixin, CreateView, IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.coreutils import multigetattr
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.snippets.views.snippets import SnippetViewSet


def own_mairie_id(user):
    """None for superusers (every mairie), else the user's home mairie (None stays None-scoped)."""
    return None if user.is_superuser else user.mairie_id


class MairiePermissionPolicy(ModelPermissionPolicy):
    """Model permissions (granted to a role), limited to the objects of the user's own mairie,
    reached through `lookup` ("mairie_id", "charter__mairie_id"...). One policy for every mairie
    snippet: Occupai's spaces, the charter's reports, the guide's services, the hall's services,
    counters and co-working spaces."""

    def __init__(self, model, lookup="mairie_id"):
        super().__init__(model)
        self.lookup = lookup

    def _mairie_id(self, instance):
        value = instance
        for part in self.lookup.split("__"):
            value = getattr(value, part, None)
        return value

    def user_has_permission_for_instance(self, user, action, instance):
        if not self.user_has_permission(user, action):
            return False
        return user.is_superuser or (user.mairie_id is not None and self._mairie_id(instance) == user.mairie_id)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, action, instance) for action in actions)

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return self.model.objects.none()
        objects = self.model.objects.all()
        return objects if user.is_superuser else objects.filter(**{self.lookup: user.mairie_id})


class OwnMairieForm(WagtailAdminModelForm):
    """A mairie snippet's admin form: its « mairie » field offers the user's own mairie only
    (superusers: every mairie). `own_mairie_id` is kept for subclasses that cut more choices."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        self.own_mairie_id = own_mairie_id(for_user) if for_user is not None else None
        if self.own_mairie_id is not None and "mairie" in self.fields:
            from .models import Mairie

            self.fields["mairie"].queryset = Mairie.objects.filter(pk=self.own_mairie_id)
            self.fields["mairie"].empty_label = None


class _OwnMairieObject:
    mairie_lookup = "mairie_id"

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        user = self.request.user
        if not user.is_superuser:
            value = obj
            for part in self.mairie_lookup.split("__"):
                value = getattr(value, part, None)
            if value is None or value != user.mairie_id:
                raise Http404
        return obj


class MairieScopedSnippetViewSet(SnippetViewSet):
    """A SnippetViewSet whose objects carry a mairie, reached through `mairie_lookup` (for example
    "charter__mairie_id")."""

    mairie_lookup = "mairie_id"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if queryset is None:
            queryset = self.model._default_manager.all()
        return scoped(queryset, request.user, self.mairie_lookup)

    def construct_view(self, view_class, **kwargs):
        creating = issubclass(view_class, CreateView) and not issubclass(view_class, CopyViewMixin)
        if hasattr(view_class, "get_object") and not creating:
            view_class = type(view_class.__name__, (_OwnMairieObject, view_class),
                              {"mairie_lookup": self.mairie_lookup})
        return super().construct_view(view_class, **kwargs)


def scoped(queryset, user, lookup):
    """`queryset` cut to the user's mairie (`lookup` leads from the model to the mairie's id)."""
    mairie_id = own_mairie_id(user)
    if mairie_id is None and not user.is_superuser:
        return queryset.none()
    return queryset if mairie_id is None else queryset.filter(**{lookup: mairie_id})


DATA_MENU_HOOK = "register_data_menu_item"


@hooks.register("register_admin_menu_item")
def data_menu():
    """« Données »: the listings below that the user's roles may read (hidden when none)."""
    return SubmenuMenuItem(_("Données"), Menu(register_hook_name=DATA_MENU_HOOK), icon_name="table", order=250)


class _VisibleList:
    visible = None  # visible(queryset, user) -> queryset, from the viewset
    related = ()

    def get_base_queryset(self):
        queryset = self.visible(super().get_base_queryset(), self.request.user)
        return queryset.select_related(*self.related) if self.related else queryset

    def to_row_dict(self, item):
        """Wagtail's export row, where an empty relation ("quartier.name" of a project without a
        quartier) gives an empty cell instead of an error."""
        return {field: _dotted(item, field) for field in self.list_export}


def _dotted(item, path):
    for bit in path.split("."):
        if item is None:
            return None
        item = multigetattr(item, bit)
    return item


class _VisibleObject:
    visible = None

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        if not self.visible(type(obj)._default_manager.filter(pk=obj.pk), self.request.user).exists():
            raise Http404
        return obj


class MairieDataViewSet(ModelViewSet):
    """A read-only admin listing of one kind of participation data, for the roles granted the
    model's `view_` permission (cms.roles.grant): filters, search, an inspect page per object and
    CSV/XLSX export of the listing as filtered. Nothing is added, changed or deleted here: every
    change goes through the services and their own views. Each object is reached by the staff of
    its own mairie only (404 otherwise, in the listing, the export and every object view)."""

    mairie_lookup = "mairie_id"
    related: tuple = ()
    hidden: dict = {}  # lookups of the objects never listed here (a resident's draft...)
    inspect_view_enabled = True
    menu_hook = DATA_MENU_HOOK  # one « Données » menu holds them all

    def get_urlpatterns(self):
        """The listing (with its export) and the inspect page: no add, edit or delete doors."""
        kept = {"index", "index_results", "inspect"}
        return [pattern for pattern in super().get_urlpatterns() if pattern.name in kept]

    def get_form_class(self, for_update=False):
        return None  # nothing is edited here

    def in_mairie(self, queryset, mairie_id):
        """Override when the mairie is not reached through a lookup (reports: their target's)."""
        return queryset.filter(**{self.mairie_lookup: mairie_id})

    def visible(self, queryset, user):
        if self.hidden:
            queryset = queryset.exclude(**self.hidden)
        if user.is_superuser:
            return queryset
        mairie_id = own_mairie_id(user)
        return queryset.none() if mairie_id is None else self.in_mairie(queryset, mairie_id)

    def construct_view(self, view_class, **kwargs):
        if issubclass(view_class, IndexView):
            view_class = type(view_class.__name__, (_VisibleList, view_class),
                              {"visible": staticmethod(self.visible), "related": self.related})
        elif hasattr(view_class, "get_object") and not issubclass(view_class, CreateView):
            view_class = type(view_class.__name__, (_VisibleObject, view_class), {"visible": staticmethod(self.visible)})
        return super().construct_view(view_class, **kwargs)


# --- wagtail-localize: each mairie's editors translate their own mairie's pages and snippets -------

def user_can_translate(user, obj) -> bool:
    """Whether `user` may edit `obj` (a page, or a snippet through its viewset's permission policy,
    which scopes mairie snippets): the condition to submit, edit or sync its translations."""
    from wagtail.models import Page

    if isinstance(obj, Page):
        return obj.permissions_for_user(user).can_edit()
    viewset = getattr(type(obj), "snippet_viewset", None)
    if viewset is not None:
        return viewset.permission_policy.user_has_permission_for_instance(user, "change", obj)
    return user.has_perm(f"{obj._meta.app_label}.change_{obj._meta.model_name}")


def _localize_objects(kwargs):
    """The objects a wagtail-localize admin URL acts on (404 when one does not exist)."""
    from django.contrib.admin.utils import unquote
    from django.shortcuts import get_object_or_404
    from wagtail.models import Page
    from wagtail.snippets.models import get_snippet_models
    from wagtail_localize.models import Translation, TranslationSource

    if "page_id" in kwargs:
        return [get_object_or_404(Page, pk=kwargs["page_id"]).specific]
    if "pk" in kwargs and "model_name" in kwargs:
        model = next((m for m in get_snippet_models() if m._meta.app_label == kwargs["app_label"]
                      and m._meta.model_name == kwargs["model_name"]), None)
        if model is None:
            raise Http404
        return [get_object_or_404(model, pk=unquote(str(kwargs["pk"])))]
    sources = []
    if "translation_source_id" in kwargs:
        sources = [get_object_or_404(TranslationSource, pk=kwargs["translation_source_id"])]
    if "translation_id" in kwargs:
        translation = get_object_or_404(Translation.objects.select_related("source"), pk=kwargs["translation_id"])
        sources = [translation.source]
        try:
            return [*_source_instances(sources), translation.get_target_instance()]
        except ObjectDoesNotExist:  # not created yet: the source decides
            pass
    return _source_instances(sources)


def _source_instances(sources):
    found = []
    for source in sources:
        try:
            found.append(source.get_source_instance())
        except Exception as exc:  # noqa: BLE001 - the source object was deleted
            raise Http404 from exc
    return found


def _localize_checked(view, name):
    from functools import wraps

    from django.core.exceptions import PermissionDenied

    @wraps(view)
    def checked(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return view(request, *args, **kwargs)  # Wagtail's admin sends them to the login page
        if name.startswith("translations_report") and not request.user.is_superuser:
            raise PermissionDenied  # lists the translations of every mairie
        if not all(user_can_translate(request.user, obj) for obj in _localize_objects(kwargs)):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return checked


def localize_scoped_urls():
    """wagtail-localize's admin URLs, each checking first that the user may edit the page or snippet it
    acts on (wagtail-localize asks only for the global « submit translation » permission, which would
    let the 20e's editors translate the 19e's pages). cms/urls.py puts these before Wagtail's admin
    URLs, at the same addresses (Django resolves the first match); the translations report is for
    superusers. A refusal is a 403 (Wagtail's admin would redirect to its home with a message)."""
    from django.urls import URLPattern, include, path
    from wagtail.admin.auth import require_admin_access
    from wagtail_localize import wagtail_hooks

    (outer,) = wagtail_hooks.register_admin_urls()
    patterns = [URLPattern(p.pattern, _localize_checked(require_admin_access(p.callback), p.name or ""),
                           p.default_args, p.name) for p in outer.url_patterns]
    return [path("admin/localize/", include((patterns, "localize_scoped")))]
