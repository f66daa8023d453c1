"""The organisers' HTML pages of the Service lab: open and run the monthly draw, programme the
hackathon day, publish and follow its outcome. Every write goes through hackathon.services."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cms.mairies import require_mairie

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
from .views import _apply, _draw, _guard, _require, _session, _status, draw_detail, session_detail


@_guard
def organiser_dashboard(request):
    mairie = require_mairie(request)
    _require(request, permissions.user_can_open_draw(request.user, mairie))
    form = DrawOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        draw = _apply(form, lambda: services.draw_open(
            actor=request.user, mairie=mairie, month=data["month"], entropy_source=data["entropy_source"],
            entropy_available_at=data["entropy_available_at"]))
        if draw is not None:
            messages.success(request, _("La liste est gelée et publiée avec son empreinte."))
            return redirect(draw.get_absolute_url())
    return render(request, "hackathon/organiser/dashboard.html", {
        "mairie": mairie, "form": form, "eligible": services.eligible_issues(mairie),
        "draws": selectors.draws_for(mairie)[:12], "sessions": selectors.sessions_for(mairie)[:12],
    }, status=_status(form))


@_guard
@require_POST
def draw_run(request, pk):
    draw = _draw(request, pk)
    _require(request, permissions.user_can_run_draw(request.user, draw))
    form = DrawRunForm(request.POST)
    if form.is_valid() and _apply(form, lambda: services.draw_run(
            actor=request.user, draw=draw, entropy_value=form.cleaned_data["entropy_value"])):
        messages.success(request, _("Le tirage a eu lieu."))
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
        new = _apply(form, lambda: services.draw_redraw(
            actor=request.user, draw=draw, reason=data["reason"], entropy_source=data["entropy_source"],
            entropy_available_at=data["entropy_available_at"], kind=data["kind"]))
        if new is not None:
            messages.success(request, _("Nouveau tirage ouvert ; le précédent reste visible."))
            return redirect(new.get_absolute_url())
    return draw_detail(request, pk, redraw_form=form)


@_guard
@require_POST
def draw_close(request, pk):
    draw = _draw(request, pk)
    _require(request, permissions.user_can_run_draw(request.user, draw))
    form = DrawCloseForm(request.POST)
    if form.is_valid() and _apply(form, lambda: services.draw_close(
            actor=request.user, draw=draw, reason=form.cleaned_data["reason"])):
        messages.success(request, _("Le tirage est clôturé sans avoir eu lieu ; son motif est public."))
        return redirect(draw.get_absolute_url())
    return draw_detail(request, pk, close_form=form)


@_guard
def session_new(request, pk):
    draw = _draw(request, pk)
    _require(request, permissions.user_can_manage_session(request.user, draw.mairie))
    initial = {"title": _("Hackathon : %(t)s") % {"t": draw.winner.title}} if draw.winner_id else {}
    form = SessionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        session = _apply(form, lambda: services.session_create(actor=request.user, draw=draw, **form.cleaned_data))
        if session is not None:
            messages.success(request, _("Journée programmée."))
            return redirect(session.get_absolute_url())
    return render(request, "hackathon/organiser/session_form.html", {"form": form, "draw": draw},
                  status=_status(form))


@_guard
@require_POST
def session_edit(request, pk):
    session = _session(request, pk)
    _require(request, permissions.user_can_manage_session(request.user, session.mairie))
    form = SessionForm(request.POST)
    if form.is_valid() and _apply(form, lambda: services.session_update(
            actor=request.user, session=session, **form.cleaned_data)):
        messages.success(request, _("Journée mise à jour."))
        return redirect(session.get_absolute_url())
    return session_detail(request, pk, edit_form=form)


@_guard
@require_POST
def outcome_publish(request, pk):
    session = _session(request, pk)
    _require(request, permissions.user_can_manage_outcome(request.user, session.mairie))
    form = OutcomeForm(request.POST)
    if form.is_valid() and _apply(form, lambda: services.outcome_publish(
            actor=request.user, session=session, **form.cleaned_data)):
        messages.success(request, _("Suite donnée publiée."))
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
    if form.is_valid() and _apply(form, lambda: services.outcome_advance(
            actor=request.user, outcome=outcome, status=form.cleaned_data["status"], note=form.cleaned_data["note"])):
        messages.success(request, _("Étape enregistrée."))
        return redirect(session.get_absolute_url())
    return session_detail(request, pk, advance_form=form)
