"""HTML pages of the Bureau, served as routes of its index page (one per mairie)."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _

from cms import roles
from cms.mairies import mairie_for_page
from cms.web import attempt, button
from participation import selectors as engine_selectors
from participation.models import Quartier

from . import permissions, selectors, services
from .forms import DecisionForm, NewsForm, ProjectForm
from .models import Project, Status

PAGE_SIZE = 12


def index_context(request, index):
    mairie = mairie_for_page(index)
    params = request.GET
    status = params.get("statut") if params.get("statut") in Status.values else None
    qs = selectors.filter_projects(selectors.public_projects(mairie), status=status,
                                   quartier=params.get("quartier") or None, tag=params.get("tag") or None,
                                   text=(params.get("q") or "")[:200], sort=params.get("tri"))
    page = Paginator(qs, PAGE_SIZE).get_page(params.get("page"))
    projects = list(page.object_list)
    return {
        "projects": projects, "page_obj": page, "mairie": mairie,
        "supported": engine_selectors.supported_ids(request.user, projects),
        "quartiers": Quartier.objects.filter(mairie=mairie),
        "tags": engine_selectors.tag_vocabulary(mairie, Project)[:30],
        "statuses": [(s, Status(s).label) for s in (Status.UNDER_REVIEW, Status.INCUBATED, Status.LAUNCHED,
                                                   Status.DECLINED)],
        "filters": {"statut": status or "", "quartier": params.get("quartier", ""), "tag": params.get("tag", ""),
                    "q": params.get("q", "")[:200], "tri": params.get("tri", "recents")},
        "can_review": roles.is_organiser_of(request.user, mairie),
        "base_url": index.get_url(request),
    }


def bureau_index(request, index):
    """The Bureau's page: its presentation, then the public projects as the filters ask."""
    return index.render(request, context_overrides=index_context(request, index))


def _project(request, index, pk):
    mairie = mairie_for_page(index)
    project = Project.objects.filter(pk=pk, mairie=mairie).select_related("author", "quartier", "image").first()
    if project is not None:
        project.mairie = mairie  # the page's mairie, from the directory: no query for it
    if project is None or not selectors.project_is_visible(request.user, project):
        raise Http404
    return project


def project_detail(request, index, pk):
    project = _project(request, index, pk)
    return render(request, "bureau/project_detail.html", {
        "page": index, "base_url": index.get_url(request), "project": project, "updates": project.updates.select_related("author")[:20],
        "can_edit": permissions.user_can_edit_project(request.user, project),
        "can_decide": permissions.user_can_transition_project(request.user, project)
        and bool(DecisionForm(project=project).fields["status"].choices),
        "can_post_news": permissions.user_can_post_update(request.user, project),
        "decision_form": DecisionForm(project=project), "news_form": NewsForm(),
        "similar": selectors.similar_projects(project.mairie, project.title, project.summary, exclude_pk=project.pk)
        if project.status == Status.DRAFT else [],
    })


def _image_from_upload(upload, alt, user):
    if not upload:
        return None
    from wagtail.images import get_image_model

    from cms.images import private_collection

    from .models import IMAGE_COLLECTION

    image = get_image_model()(title=(alt or upload.name)[:255], file=upload, uploaded_by_user=user,
                              collection=private_collection(IMAGE_COLLECTION))
    image.save()
    return image


def _initial(project):
    if project is None:
        return {}
    initial = {f: getattr(project, f) for f in ("title", "summary", "description", "needs", "role",
                                                "organisation_name", "author_anonymous")}
    initial["quartier"] = project.quartier_id
    initial["tags"] = ", ".join(project.tags.names())
    return initial


def _save_project(request, form, project, mairie):
    """Create or update through the service; return the project, or None with errors on the form."""
    data = {k: form.cleaned_data[k] for k in ("title", "summary", "description", "needs", "role",
                                              "organisation_name", "author_anonymous", "quartier")}
    image = _image_from_upload(form.cleaned_data.get("image"), form.cleaned_data.get("image_alt"), request.user)
    if image is not None:
        data["image"] = image
    if project is None:
        done = attempt(request, lambda: services.project_create(author=request.user, mairie=mairie, data=data,
                                                                tags=form.cleaned_data["tags"]),
                       form=form, success=_("Brouillon enregistré. Vérifiez qu'un projet semblable n'existe pas "
                                            "déjà, puis déposez-le."))
    else:
        done = attempt(request, lambda: services.project_update(actor=request.user, project=project, data=data,
                                                                tags=form.cleaned_data["tags"]),
                       form=form, success=_("Projet mis à jour."))
    return done.value


def project_form(request, index, pk=None):
    mairie = mairie_for_page(index)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    project = _project(request, index, pk) if pk else None
    allowed = (permissions.user_can_edit_project(request.user, project) if project is not None
               else permissions.user_can_submit_project(request.user, mairie))
    if not allowed:
        raise PermissionDenied
    form = ProjectForm(request.POST or None, request.FILES or None, initial=_initial(project), mairie=mairie)
    if request.method == "POST" and form.is_valid():
        saved = _save_project(request, form, project, mairie)
        if saved is not None:
            return HttpResponseRedirect(saved.get_absolute_url())
    similar = []
    if request.method == "POST" and form.data.get("title"):
        similar = selectors.similar_projects(mairie, form.data.get("title", ""), form.data.get("summary", ""),
                                             exclude_pk=pk)
    return render(request, "bureau/project_form.html",
                  {"page": index, "base_url": index.get_url(request), "form": form, "project": project,
                   "similar": similar},
                  status=400 if request.method == "POST" else 200)


@button
def project_submit(request, index, pk):
    project = _project(request, index, pk)
    attempt(request, lambda: services.project_submit(actor=request.user, project=project),
            success=_("Projet déposé ! Un·e organisateur·rice va le relire avant de le publier."))
    return HttpResponseRedirect(project.get_absolute_url())


@button
def project_decision(request, index, pk):
    project = _project(request, index, pk)
    form = DecisionForm(request.POST, project=project)
    if not permissions.user_can_transition_project(request.user, project):
        raise PermissionDenied
    if form.is_valid():
        attempt(request, lambda: services.project_transition(
            actor=request.user, project=project, to_status=form.cleaned_data["status"],
            rationale=form.cleaned_data["rationale"]), success=_("Décision publiée ; les abonné·es sont prévenu·es."))
    else:
        messages.error(request, _("Choisissez une étape et écrivez une justification."))
    return HttpResponseRedirect(project.get_absolute_url())


@button
def project_news(request, index, pk):
    project = _project(request, index, pk)
    attempt(request, lambda: services.project_post_update(actor=request.user, project=project,
                                                          text=request.POST.get("text", "")),
            success=_("Nouvelles publiées."))
    return HttpResponseRedirect(project.get_absolute_url())


def review_queue(request, index):
    mairie = mairie_for_page(index)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not roles.is_organiser_of(request.user, mairie):
        raise PermissionDenied
    waiting = Project.objects.filter(mairie=mairie, status__in=(Status.SUBMITTED, Status.UNDER_REVIEW,
                                                                Status.INCUBATED)).select_related("author")
    return render(request, "bureau/review_queue.html", {"page": index, "base_url": index.get_url(request), "projects": waiting.order_by("submitted_at")})
