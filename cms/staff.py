"""Users in the Wagtail admin (« Utilisateurs »): Wagtail's user viewset, whose create and edit
forms also carry the user's home mairie and display name, and whose role groups stay the ones to
tick. The mairie groups (« Éditeurs · paris19 »...) are not offered: cms.mairie_groups keeps each
user in those of their mairie and roles.

Superusers manage every user. No role holds a user permission; should an administrator grant
one (auth.add_user / change_user) to someone who is not a superuser, that person lists, edits and
deletes the users of their own mairie only (another mairie's answers 404), may only give their
own mairie, and cannot make anyone an administrator (superuser).
"""

from django import forms
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views import users

from . import mairie_groups
from .models import Mairie

STAFF_FIELDS = {"display_name", "mairie"}


class _StaffFields(forms.ModelForm):
    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["groups"].queryset = mairie_groups.hand_assigned_groups()
        self.fields["groups"].help_text = _("Les rôles de la personne. Ses groupes de mairie (par exemple « Éditeurs · "
                                            "paris19 ») suivent sa mairie et ses rôles : ils ne se cochent pas.")
        self.fields["mairie"].help_text = _("Sa mairie : celle où elle habite, ou celle où elle travaille.")
        if for_user is not None and not for_user.is_superuser:
            self.fields["mairie"].queryset = Mairie.objects.filter(pk=for_user.mairie_id)
            self.fields["mairie"].required = True
            self.fields["mairie"].empty_label = None
            self.fields.pop("is_superuser", None)


class StaffUserCreationForm(_StaffFields, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = UserCreationForm.Meta.fields | STAFF_FIELDS


class StaffUserEditForm(_StaffFields, UserEditForm):
    class Meta(UserEditForm.Meta):
        fields = UserEditForm.Meta.fields | STAFF_FIELDS


def _visible(queryset, user):
    """Every user for superusers, the users of their own mairie for anyone else."""
    if user.is_superuser:
        return queryset
    return queryset.filter(mairie_id=user.mairie_id) if user.mairie_id else queryset.none()


class _ForUser:
    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "for_user": self.request.user}


class _OwnMairieUser:
    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        if not _visible(type(obj)._default_manager.filter(pk=obj.pk), self.request.user).exists():
            raise Http404
        return obj


class IndexView(users.IndexView):
    def get_base_queryset(self):
        return _visible(super().get_base_queryset(), self.request.user).select_related("mairie")

    @property
    def columns(self):
        columns = list(super().columns)
        columns.insert(3, Column("mairie", label=_("mairie"), accessor="mairie", width="15%"))
        return columns


class CreateView(_ForUser, users.CreateView):
    pass


class EditView(_ForUser, _OwnMairieUser, users.EditView):
    pass


class DeleteView(_OwnMairieUser, users.DeleteView):
    pass


class HistoryView(_OwnMairieUser, users.HistoryView):
    pass


class UserViewSet(users.UserViewSet):
    index_view_class = IndexView
    add_view_class = CreateView
    edit_view_class = EditView
    delete_view_class = DeleteView
    history_view_class = HistoryView
    create_template_name = "cms/admin/user_create.html"
    edit_template_name = "cms/admin/user_edit.html"

    def get_form_class(self, for_update=False):
        return StaffUserEditForm if for_update else StaffUserCreationForm
