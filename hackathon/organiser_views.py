"""The organisers' HTML pages of the Service lab: open and run the monthly draw, programme the
hackathon day, publish and follow its outcome. Every write goes through hackathon.services."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cms.web import attempt, form_status

from . import permissions, selectors, services
from .forms import (
    DrawCloseForm,
    DrawOpenForm,
    DrawRunForm,
    OutcomeAdvanceForm,
    OutcomeForm,
    RedrawForm,
    SessionForm,
)
from .models import Outcome
from .views import _draw, _guard, _require, _session, _staff_page, draw_detail, session_detail


@_staff_page(permissions.user_can_open_draw)
def organiser_dashboard(request, mairie):
    form = DrawOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = attempt(request, lambda: services.draw_open(
            actor=request.user, mairie=mairie, month=data["month"], entropy_source=data["entropy_source"],
            entropy_available_at=data["entropy_available_at"]), form=form,
            success=_("La liste est gelée et publiée avec son empreinte."))
        if done:
            return redirect(done.value.get_absolute_url())
    return render(request, "hackathon/organiser/dashboard.html", {
        "mairie": mairie, "form": form, "eligible": services.eligible_issues(mairie),
        "draws": selectors.draws_for(mairie)[:12], "sessions": selectors.sessions_for(mairie)[:12],
    }, status=form_status(form))


@_guard
@require_POST
def draw_run(request, pk):
    draw = _draw(request, pk)
    _require(request, permissions.user_can_run_draw(request.user, draw))
    form = DrawRunForm(request.POST)
    if form.is_valid() and attempt(request, lambda: services.draw_run(
            actor=request.user, draw=draw, entropy_value=form.cleaned_data["entropy_value"]),
            form=form, success=_("Le tirage a eu lieu.")):
        return redirect(draw.get_absolute_url())
    return draw_detail(request, pk, run_form=form)


@_guard
@require_POST
def draw_redraw(request, pk):
    draw = _draw(request, pk)
    _require(request, permissions.user_can_run_draw(request.user, draw))
    form = RedrawForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        done = attempt(request, lambda: services.draw_redraw(
            actor=request.user, draw=draw, reason=data["reason"], entropy_source=data["entropy_source"],
            entropy_available_at=data["entropy_available_at"], kind=data["kind"]), form=form,
            success=_("Nouveau tirage ouvert ; le précédent reste visible."))
        if done:
            return redirect(done.value.get_absolute_url())
    return draw_detail(request, pk, redraw_form=form)


@_guard
@require_POST
def draw_close(request, pk):
    draw = _draw(request, pk)
    _require(request, permissions.user_can_run_draw(request.user, draw))
    form = DrawCloseForm(request.POST)
    if form.is_valid() and attempt(request, lambda: services.draw_close(
            actor=request.user, draw=draw, reason=form.cleaned_data["reason"]),
            form=form, success=_("Le tirage est clôturé sans avoir eu lieu ; son motif est public.")):
        return redirect(draw.get_absolute_url())
    return draw_detail(request, pk, close_form=form)


@_guard
def session_new(request, pk):
    draw = _draw(request, pk)
    _require(request, permissions.user_can_manage_session(request.user, draw.mairie))
    initial = {"title": _("Hackathon : %(t)s") % {"t": draw.winner.title}} if draw.winner_id else {}
    form = SessionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = attempt(request, lambda: services.session_create(actor=request.user, draw=draw, **form.cleaned_data),
                       form=form, success=_("Journée programmée."))
        if done:
            return redirect(done.value.get_absolute_url())
    return render(request, "hackathon/organiser/session_form.html", {"form": form, "draw": draw},
                  status=form_status(form))


@_guard
@require_POST
def session_edit(request, pk):
    session = _session(request, pk)
    _require(request, permissions.user_can_manage_session(request.user, session.mairie))
    form = SessionForm(request.POST)
    if form.is_valid() and attempt(request, lambda: services.session_update(
            actor=request.user, session=session, **form.cleaned_data), form=form, success=_("Journée mise à jour.")):
        return redirect(session.get_absolute_url())
    return session_detail(request, pk, edit_form=form)


@_guard
@require_POST
def outcome_publish(request, pk):
    session = _session(request, pk)
    _require(request, permissions.user_can_manage_outcome(request.user, session.mairie))
    form = OutcomeForm(request.POST)
    if form.is_valid() and attempt(request, lambda: services.outcome_publish(
            actor=request.user, session=session, **form.cleaned_data), form=form, success=_("Suite donnée publiée.")):
        return redirect(session.get_absolute_url())
    return session_detail(request, pk, outcome_form=form)


@_guard
@require_POST
def outcome_advance(request, pk):
    session = _session(request, pk)
    _require(request, permissions.user_can_manage_outcome(request.user, session.mairie))
    outcome = Outcome.objects.filter(session=session).first()
    if outcome is None:
        raise Http404
    form = OutcomeAdvanceForm(request.POST, outcome=outcome)
    if form.is_valid() and attempt(request, lambda: services.outcome_advance(
            actor=request.user, outcome=outcome, status=form.cleaned_data["status"], note=form.cleaned_data["note"]),
            form=form, success=_("Étape enregistrée.")):
        return redirect(session.get_absolute_url())
    return session_detail(request, pk, advance_form=form)
