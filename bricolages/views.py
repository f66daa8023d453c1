"""HTML pages of the agents' wiki, on every mairie's host. Each view is behind `agent_required`
(anonymous: the login page; residents: 403) and calls the same services as the API."""

import functools
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from wagtail.images import get_image_model

from cms.images import user_can_view_image
from cms.validation import id_or_none
from cms.web import attempt

from . import conf, content, permissions, selectors, services
from .explorations import selectors as exploration_selectors
from .forms import (
    BricolageForm,
    FeedbackForm,
    RatingForm,
    RestoreForm,
    attach_step_images,
    initial_for,
    step_formset_class,
    step_initial,
    to_input,
)
from .models import BricolageAttachment, private_storage
from .selectors import Filters

IMAGE_SIZES = {"etape": "max-960x720", "vignette": "fill-160x120"}


def agent_required(view):
    """Anonymous visitors go to the login page; anyone who is not staff of a mairie gets 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not permissions.user_can_view_bricolages(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


# The service's fields that the form names otherwise: the steps are a formset (their errors go
# above the form), new attachments are the form's `add_attachments`.
SERVICE_FIELDS = {"steps": None, "attachments": "add_attachments"}


# --- list ------------------------------------------------------------------------------------


@agent_required
@require_GET
def bricolage_list(request):
    sort = request.GET.get("tri", "note")
    filters = Filters(tag=request.GET.get("etiquette", "")[:100], mairie=request.GET.get("mairie", "")[:40],
                      tool=request.GET.get("outil", "")[:100], sort=sort if sort in selectors.SORTS else "note",
                      q=request.GET.get("q", "")[:200].strip())
    paginator = Paginator(selectors.bricolage_list(request.user, filters), conf.page_size())
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "bricolages/list.html", {
        "page_obj": page, "bricolages": page.object_list, "filters": filters, "query": query.urlencode(),
        "tags": selectors.tag_choices(), "tools": selectors.tool_choices(), "mairies": selectors.mairie_choices(),
        "sorts": [("note", _("Les mieux notés")), ("recent", _("Les plus récents")),
                  ("adoption", _("Les plus adoptés"))],
        "prior_weight": conf.rating_prior_weight(),
    })


# --- one bricolage ---------------------------------------------------------------------------


def render_bricolage(request, bricolage, *, status=200, rating_form=None, feedback_form=None, preview=False):
    """The bricolage page, also used by Wagtail's preview."""
    if not permissions.user_can_view_bricolage(request.user, bricolage) and not preview:
        raise Http404
    if preview and not permissions.user_can_view_bricolages(request.user):
        raise PermissionDenied
    user = request.user
    mine = selectors.user_rating(user, bricolage)
    my_feedback = selectors.user_feedback(user, bricolage)

    def lazy(compute):
        """What every agent sees the same: computed only when the template renders it (its shared
        fragment may come from the cache), at most once."""
        return functools.cache(lambda: compute(bricolage))

    return render(request, "bricolages/detail.html", {
        "bricolage": bricolage, "page": bricolage, "preview": preview,
        "rating": selectors.rating_summary(bricolage), "ratings": lazy(selectors.ratings_for),
        "my_rating": mine, "can_rate": permissions.user_can_rate_bricolage(user, bricolage),
        "rating_form": rating_form or RatingForm(initial={"stars": mine.stars if mine else None}),
        "feedback_list": lazy(selectors.feedback_for), "my_feedback": my_feedback,
        "feedback_form": feedback_form or FeedbackForm(
            initial={"outcome": my_feedback.outcome, "note": my_feedback.note} if my_feedback else None),
        "can_feedback": permissions.user_can_record_feedback(user, bricolage),
        "adoption": lazy(selectors.adoption),
        "ancestors": lazy(selectors.ancestors), "variants": lazy(lambda b: list(selectors.variants(b))),
        "family": lazy(lambda b: dict(zip(("tree", "size"), selectors.family_tree(b), strict=True))),
        "related": lazy(selectors.related), "contributors": lazy(selectors.contributors),
        "revisions_count": lazy(lambda b: b.revisions.count()),
        "born_from": _born_from(user, bricolage),
        "exploration_summaries": functools.cache(lambda: list(
            exploration_selectors.linkable_summaries(user)[:50])),
    }, status=status)


def _born_from(user, bricolage):
    """The published summary of the exploration the bricolage was born from, when there is one."""
    if bricolage.born_from_id is None:
        return None
    return exploration_selectors.summaries(user).filter(pk=bricolage.born_from_id).first()


@agent_required
@require_GET
def bricolage_detail(request, pk):
    return render_bricolage(request, selectors.get_bricolage(request.user, pk, related=()))


def _bricolage_form(request, *, data, attachments, note_required, existing_steps):
    formset_class = step_formset_class(len(existing_steps))
    if request.method == "POST":
        form = BricolageForm(request.POST, request.FILES, attachments=attachments, note_required=note_required)
        formset = formset_class(request.POST, request.FILES, prefix="etape")
    else:
        form = BricolageForm(initial=initial_for(data) if data else None, attachments=attachments,
                             note_required=note_required)
        formset = formset_class(initial=step_initial(existing_steps), prefix="etape")
    return form, formset


def _form_page(request, template_context, *, start=None, attachments=(), note_required=False, save, success):
    """The bricolage form (create, edit, variant), started from `start` (a BricolageInput): a POST
    saves through `save(data, change_note)` and goes to the saved bricolage, or shows the form
    again with what was refused."""
    form, formset = _bricolage_form(request, data=start, attachments=attachments, note_required=note_required,
                                    existing_steps=start.steps if start else [])
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid() and formset.is_valid():
            done = attempt(request, lambda: save(to_input(form, formset), form.cleaned_data.get("change_note", "")),
                           form=form, fields=SERVICE_FIELDS, success=success)
            if done:
                return redirect(done.value.get_absolute_url())
            status = done.status
    attach_step_images(formset)
    context = {"form": form, "formset": formset, **template_context}
    return render(request, "bricolages/form.html", context, status=status)


@agent_required
@require_http_methods(["GET", "POST"])
def bricolage_create(request):
    if not permissions.user_can_create_bricolage(request.user):
        raise PermissionDenied
    context = {"title": _("Partager un bricolage"), "submit": _("Publier le bricolage"), "mode": "create"}
    return _form_page(request, context, success=_("Votre bricolage est publié. Merci de le partager !"),
                      save=lambda data, note: services.bricolage_create(author=request.user, data=data,
                                                                         change_note=note))


@agent_required
@require_http_methods(["GET", "POST"])
def bricolage_edit(request, pk):
    bricolage = selectors.get_bricolage(request.user, pk)
    if not permissions.user_can_edit_bricolage(request.user, bricolage):
        raise PermissionDenied
    attachments = list(bricolage.attachments.all())
    context = {"title": _("Améliorer « %(title)s »") % {"title": bricolage.title}, "bricolage": bricolage,
               "submit": _("Enregistrer la nouvelle version"), "mode": "edit", "attachments": attachments}
    return _form_page(request, context, start=services.BricolageInput.from_page(bricolage), attachments=attachments,
                      note_required=True,
                      success=_("Merci ! La nouvelle version est en ligne ; l'ancienne reste dans l'historique."),
                      save=lambda data, note: services.bricolage_update(user=request.user, bricolage=bricolage,
                                                                         data=data, change_note=note))


@agent_required
@require_http_methods(["GET", "POST"])
def bricolage_variant(request, pk):
    parent = selectors.get_bricolage(request.user, pk)
    if not permissions.user_can_create_bricolage(request.user) or not permissions.user_can_edit_bricolage(
            request.user, parent):
        raise PermissionDenied
    start = services.BricolageInput.from_page(parent, title=_("%(title)s (variante)") % {"title": parent.title})
    attachments = list(parent.attachments.all())
    context = {"title": _("Créer une variante de « %(title)s »") % {"title": parent.title}, "parent": parent,
               "submit": _("Publier la variante"), "mode": "variant", "attachments": attachments}
    return _form_page(request, context, start=start, attachments=attachments,
                      success=_("Votre variante est publiée. Elle apparaît dans la famille du bricolage d'origine."),
                      save=lambda data, note: services.bricolage_create(author=request.user, data=data,
                                                                         variant_of=parent, change_note=note))


# --- history ---------------------------------------------------------------------------------


@agent_required
@require_GET
def bricolage_history(request, pk):
    bricolage = selectors.get_bricolage(request.user, pk)
    paginator = Paginator(selectors.revisions(bricolage), 30)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "bricolages/history.html", {
        "bricolage": bricolage, "page_obj": page, "revisions": page.object_list,
        "live_revision_id": bricolage.live_revision_id,
    })


def _revision_param(bricolage, value):
    value = id_or_none(value)
    return None if value is None else selectors.get_revision(bricolage, value)


@agent_required
@require_GET
def bricolage_compare(request, pk):
    """The difference between two versions (?de=<revision>&a=<revision>; `a` defaults to the current)."""
    bricolage = selectors.get_bricolage(request.user, pk)
    old = _revision_param(bricolage, request.GET.get("de"))
    new = _revision_param(bricolage, request.GET.get("a")) or bricolage.live_revision
    if old is None:
        old = (bricolage.revisions.filter(created_at__lte=new.created_at).exclude(pk=new.pk)
               .order_by("-created_at", "-id").first() if new is not None else None)
    if old is None or new is None:
        messages.info(request, _("Choisissez deux versions à comparer."))
        return redirect("bricolages:history", pk=bricolage.pk)
    return render(request, "bricolages/compare.html", {
        "bricolage": bricolage, "old": old, "new": new,
        "sections": content.diff(old.as_object(), new.as_object()),
        "old_label": _("Version du %(date)s") % {"date": _date(old.created_at)},
        "new_label": _("Version du %(date)s") % {"date": _date(new.created_at)},
    })


def _date(value):
    from django.utils import formats, timezone

    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


@agent_required
@require_GET
def bricolage_revision(request, pk, revision_id):
    bricolage = selectors.get_bricolage(request.user, pk)
    revision = selectors.get_revision(bricolage, revision_id)
    return render(request, "bricolages/revision.html", {
        "bricolage": bricolage, "revision": revision, "version": revision.as_object(),
        "is_current": revision.pk == bricolage.live_revision_id,
        "change": getattr(revision, "bricolage_change", None) if _has_change(revision) else None,
    })


def _has_change(revision):
    try:
        return revision.bricolage_change is not None
    except Exception:  # noqa: BLE001 - RelatedObjectDoesNotExist: saved outside the wiki (admin)
        return False


@agent_required
@require_http_methods(["GET", "POST"])
def bricolage_restore(request, pk, revision_id):
    bricolage = selectors.get_bricolage(request.user, pk)
    revision = selectors.get_revision(bricolage, revision_id)
    if not permissions.user_can_restore_bricolage(request.user, bricolage):
        raise PermissionDenied
    form = RestoreForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            done = attempt(request, lambda: services.bricolage_restore(
                user=request.user, bricolage=bricolage, revision=revision, change_note=form.cleaned_data["change_note"]),
                form=form, success=_("La version est restaurée : c'est une nouvelle version de l'historique."))
            if done:
                return redirect(bricolage.get_absolute_url())
            status = done.status
        else:
            status = 400
    return render(request, "bricolages/restore.html", {
        "bricolage": bricolage, "revision": revision, "form": form, "date": _date(revision.created_at),
        "sections": content.diff(bricolage, revision.as_object()),
    }, status=status)


@agent_required
@require_GET
def bricolage_parent_diff(request, pk):
    """What a variant changes compared with the bricolage it derives from (both as they are now)."""
    bricolage = selectors.get_bricolage(request.user, pk)
    parent = bricolage.variant_of
    if parent is None or not permissions.user_can_view_bricolage(request.user, parent):
        raise Http404
    return render(request, "bricolages/compare.html", {
        "bricolage": bricolage, "parent": parent, "sections": content.diff(parent, bricolage),
        "old_label": _("« %(title)s » (d'origine)") % {"title": parent.title},
        "new_label": _("« %(title)s » (variante)") % {"title": bricolage.title},
    })


# --- ratings and feedback --------------------------------------------------------------------


@agent_required
@require_POST
def bricolage_rate(request, pk):
    bricolage = selectors.get_bricolage(request.user, pk)
    form = RatingForm(request.POST)
    if not form.is_valid():
        return render_bricolage(request, bricolage, status=400, rating_form=form)
    done = attempt(request, lambda: services.rating_set(user=request.user, bricolage=bricolage,
                                                        stars=form.cleaned_data["stars"]),
                   form=form, success=_("Votre note est enregistrée."))
    if not done:
        return render_bricolage(request, bricolage, status=done.status, rating_form=form)
    return redirect(bricolage.get_absolute_url() + "#notes")


@agent_required
@require_POST
def bricolage_unrate(request, pk):
    bricolage = selectors.get_bricolage(request.user, pk)
    if services.rating_remove(user=request.user, bricolage=bricolage):
        messages.success(request, _("Votre note est retirée."))
    return redirect(bricolage.get_absolute_url() + "#notes")


@agent_required
@require_POST
def bricolage_feedback(request, pk):
    bricolage = selectors.get_bricolage(request.user, pk)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        return render_bricolage(request, bricolage, status=400, feedback_form=form)
    done = attempt(request, lambda: services.feedback_record(user=request.user, bricolage=bricolage,
                                                             outcome=form.cleaned_data["outcome"],
                                                             note=form.cleaned_data["note"]),
                   form=form, success=_("Merci pour votre retour d'expérience !"))
    if not done:
        return render_bricolage(request, bricolage, status=done.status, feedback_form=form)
    return redirect(bricolage.get_absolute_url() + "#retours")


# --- files -----------------------------------------------------------------------------------


@agent_required
@require_GET
def bricolage_attachment(request, pk, attachment_id):
    bricolage = selectors.get_bricolage(request.user, pk)
    attachment = BricolageAttachment.objects.filter(pk=attachment_id, page=bricolage).first()
    if attachment is None:
        raise Http404
    try:
        handle = private_storage().open(attachment.file.name, "rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, filename=attachment.title, content_type=attachment.mime_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@agent_required
@require_GET
def bricolage_image(request, image_id, size):
    """A step's picture, only for agents (the image files are not linked from any public page)."""
    if size not in IMAGE_SIZES:
        raise Http404
    image = get_image_model().objects.filter(pk=image_id, collection=services.image_collection()).first()
    if image is None or not user_can_view_image(request.user, image):
        raise Http404
    try:
        rendition = image.get_rendition(IMAGE_SIZES[size])
        handle = rendition.file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type=f"image/{rendition.file.name.rsplit('.', 1)[-1].lower().replace('jpg', 'jpeg')}")
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response

