"""HTML pages of Open Bricolage. The programme is public (residents and anonymous visitors read
it, without any agent's name); registering is for agents of any mairie (anonymous: the login page,
residents: 403); organisers announce editions, the host mairie's organisers edit them and their
workshops. Each write calls a service through cms.web."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cms.web import act, attempt, login_first, require_user

from . import permissions, selectors, services
from .forms import EditionForm, FeedbackForm, RegisterForm, WorkshopForm


def _submitted(request, form, action, *, success):
    """A form page's POST: the service's outcome when the form was valid and the service agreed (then the
    caller redirects), and the page's status otherwise (200 for a GET, 400 or the refusal's for a POST)."""
    if request.method != "POST":
        return None, 200
    if not form.is_valid():
        return None, 400
    done = attempt(request, action, form=form, success=success)
    return (done, 200) if done else (None, done.status)


@require_GET
def edition_list(request):
    coming, past = selectors.split_by_date(selectors.editions())
    return render(request, "bricolages/openbricolage/list.html", {
        "coming": coming, "past": past, "can_organise": permissions.user_can_organise(request.user)})


@login_first
@require_http_methods(["GET", "POST"])
def edition_create(request):
    require_user(request, permissions.user_can_organise)
    form = EditionForm(request.POST or None)
    done, status = _submitted(request, form, lambda: services.edition_create(actor=request.user, **form.cleaned_data),
                              success=_("L'édition est annoncée : ajoutez-y ses ateliers."))
    if done:
        return redirect(done.value.get_absolute_url())
    return render(request, "bricolages/openbricolage/edition_form.html", {"form": form, "edition": None},
                  status=status)


@login_first
@require_http_methods(["GET", "POST"])
def edition_edit(request, pk):
    require_user(request, permissions.user_can_organise)
    edition = selectors.get_edition(pk)
    _require_host(request, edition)
    form = EditionForm(request.POST or None, initial={
        field: getattr(edition, field) for field in ("title", "date", "place", "description", "capacity")})
    done, status = _submitted(request, form, lambda: services.edition_update(actor=request.user, edition=edition, **form.cleaned_data),
                              success=_("L'édition est modifiée."))
    if done:
        return redirect(done.value.get_absolute_url())
    return render(request, "bricolages/openbricolage/edition_form.html", {"form": form, "edition": edition},
                  status=status)


def _require_host(request, edition):
    """Another mairie's organiser gets 403 before anything they send is read."""
    if not permissions.user_can_manage_edition(request.user, edition):
        raise PermissionDenied


def _render_edition(request, edition, *, register_form=None, feedback_form=None, status=200):
    user = request.user
    mine = selectors.registration_of(user, edition)
    holding = mine is not None and mine.status in ("confirmed", "waiting")
    is_past = edition.date < timezone.localdate()
    is_agent = permissions.user_is_agent(user)
    mine_feedback = selectors.my_feedback(user, edition)
    workshops = list(edition.workshops.all())
    for workshop in workshops:
        workshop.free = selectors.free(workshop.capacity, workshop.confirmed_count)
        workshop.shown = selectors.bricolage_shown(workshop)
    return render(request, "bricolages/openbricolage/edition.html", {
        "edition": edition, "workshops": workshops, "is_past": is_past,
        "day_free": selectors.free(edition.capacity, edition.confirmed_count),
        "is_agent": is_agent, "see_leaders": permissions.user_can_see_leaders(user),
        "mine": mine if holding else None, "position": selectors.position(mine) if holding else None,
        "may_register": permissions.user_can_register(user) and not holding and not is_past,
        "register_form": register_form or RegisterForm(edition=edition),
        "can_manage": permissions.user_can_manage_edition(user, edition),
        "counts": selectors.counts(user, edition), "registrants": list(selectors.registrants(user, edition)),
        "presented": selectors.presented_bricolages(edition),
        "rating": selectors.rating_summary(edition) if is_past else None,
        "feedback": list(selectors.feedback_of(user, edition)) if edition.date <= timezone.localdate() else [],
        "may_give_feedback": (is_agent and mine is not None and mine.status == "confirmed"
                              and edition.date <= timezone.localdate()),
        "feedback_form": feedback_form or FeedbackForm(
            prefix="retour", initial={"rating": mine_feedback.rating, "text": mine_feedback.text}
            if mine_feedback else None),
    }, status=status)


@require_GET
def edition_detail(request, pk):
    return _render_edition(request, selectors.get_edition(pk))


@login_first
@require_POST
def edition_register(request, pk):
    """Register to a workshop or to the day, with the « never used the wiki » flag."""
    require_user(request, permissions.user_is_agent)  # residents: 403 whatever they send
    edition = selectors.get_edition(pk)
    form = RegisterForm(request.POST, edition=edition)
    if not form.is_valid():
        return _render_edition(request, edition, register_form=form, status=400)
    done = attempt(request, lambda: services.registration_create(user=request.user, edition=edition,
                                                                 **form.cleaned_data),
                   form=form, success=lambda r: (_("Vous êtes inscrit·e : à bientôt !") if r.status == "confirmed"
                                                 else _("C'est complet : vous êtes sur la liste d'attente.")))
    if not done:
        return _render_edition(request, selectors.get_edition(pk), register_form=form, status=done.status)
    return redirect(done.value.get_absolute_url())


@login_first
@require_POST
def edition_cancel(request, pk):
    require_user(request, permissions.user_is_agent)
    edition = selectors.get_edition(pk)
    return act(request, lambda: services.registration_cancel(user=request.user, edition=edition),
               success=_("Votre inscription est annulée."), default=edition.get_absolute_url())


@login_first
@require_POST
def edition_feedback(request, pk):
    require_user(request, permissions.user_is_agent)
    edition = selectors.get_edition(pk)
    form = FeedbackForm(request.POST, prefix="retour")
    if not form.is_valid():
        return _render_edition(request, edition, feedback_form=form, status=400)
    done = attempt(request, lambda: services.feedback_give(user=request.user, edition=edition, **form.cleaned_data),
                   form=form, success=_("Merci pour votre retour."))
    if not done:
        return _render_edition(request, edition, feedback_form=form, status=done.status)
    return redirect(edition.get_absolute_url() + "#retours")


def _workshop_page(request, form, edition, workshop, status):
    return render(request, "bricolages/openbricolage/workshop_form.html",
                  {"form": form, "edition": edition, "workshop": workshop}, status=status)


@login_first
@require_http_methods(["GET", "POST"])
def workshop_create(request, pk):
    require_user(request, permissions.user_can_organise)
    edition = selectors.get_edition(pk)
    _require_host(request, edition)
    form = WorkshopForm(request.POST or None)
    done, status = _submitted(request, form, lambda: services.workshop_add(actor=request.user, edition=edition, **form.cleaned_data),
                              success=_("L'atelier est au programme."))
    if done:
        return redirect(done.value.get_absolute_url())
    return _workshop_page(request, form, edition, None, status)


@login_first
@require_http_methods(["GET", "POST"])
def workshop_edit(request, pk):
    require_user(request, permissions.user_can_organise)
    workshop = selectors.get_workshop(pk)
    _require_host(request, workshop.edition)
    form = WorkshopForm(request.POST or None, initial={
        "title": workshop.title, "description": workshop.description, "starts_at": workshop.starts_at,
        "capacity": workshop.capacity, "leader": workshop.leader_id, "bricolage": workshop.bricolage_id})
    done, status = _submitted(request, form, lambda: services.workshop_update(actor=request.user, workshop=workshop, **form.cleaned_data),
                              success=_("L'atelier est modifié."))
    if done:
        return redirect(done.value.get_absolute_url())
    return _workshop_page(request, form, workshop.edition, workshop, status)
