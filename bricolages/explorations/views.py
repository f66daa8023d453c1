"""HTML pages of the explorations, in the Bricolages' agents-only space: behind `agent_required`
(anonymous: the login page; residents: 403), each calls a service through cms.web."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cms.uploads import serve_checked_file
from cms.validation import id_or_none
from cms.web import act, attempt

from ..models import BricolagePage
from ..views import agent_required, render_bricolage
from . import permissions, selectors, services
from .forms import ApplyForm, DayForm, LogbookForm, SummaryForm


@agent_required
@require_GET
def exploration_list(request):
    """Days to come, the agent's own explorations (coming and past), their mairie's days, the summaries."""
    user = request.user
    coming, past = selectors.split_by_date(list(selectors.my_explorations(user)))
    return render(request, "bricolages/explorations/list.html", {
        "days": list(selectors.days_to_come(user)[:50]), "coming": coming, "past": past,
        "hosted": list(selectors.hosted_days(user)[:50]), "summaries": list(selectors.summaries(user)[:20]),
        "can_offer": permissions.user_can_offer_day(user),
        "can_see_calendar": permissions.user_can_view_calendar(user),
    })


@agent_required
@require_http_methods(["GET", "POST"])
def day_create(request):
    if not permissions.user_can_offer_day(request.user):
        raise PermissionDenied
    form = DayForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            done = attempt(request, lambda: services.day_offer(actor=request.user, **form.cleaned_data), form=form,
                           success=_("Votre journée d'exploration est proposée à tous les agents."))
            if done:
                return redirect(done.value.get_absolute_url())
            status = done.status
    return render(request, "bricolages/explorations/day_form.html", {"form": form}, status=status)


def _render_day(request, day, *, form=None, status=200):
    user = request.user
    mine = selectors.application_of(user, day)
    return render(request, "bricolages/explorations/day.html", {
        "day": day, "free": selectors.free_seats(day), "mine": mine,
        "position": selectors.SEATS.position(mine) if mine else None,
        "may_apply": permissions.user_can_apply(user) and (mine is None or mine.status == "cancelled"),
        "form": form or ApplyForm(), "is_host": permissions.user_can_manage_day(user, day),
        "is_past": day.date < timezone.localdate(),
        "applications": list(selectors.applications_of_day(user, day)),
    }, status=status)


@agent_required
@require_GET
def day_detail(request, pk):
    return _render_day(request, selectors.get_day(request.user, pk))


@agent_required
@require_POST
def day_apply(request, pk):
    day = selectors.get_day(request.user, pk)
    form = ApplyForm(request.POST)
    if not form.is_valid():
        return _render_day(request, day, form=form, status=400)
    done = attempt(request, lambda: services.exploration_apply(user=request.user, day=day,
                                                               goals=form.cleaned_data["goals"]),
                   form=form, success=lambda a: (_("Candidature envoyée : le service va vous répondre.")
                                                 if a.status == "confirmed" else
                                                 _("La journée est complète : vous êtes sur la liste d'attente.")))
    if not done:
        return _render_day(request, selectors.get_day(request.user, pk), form=form, status=done.status)
    return redirect(done.value.get_absolute_url())


def _render_application(request, application, *, logbook_form=None, summary_form=None, status=200):
    user = request.user
    summary = selectors.summary_of(application)
    is_visitor = permissions.user_is_visitor(user, application)
    return render(request, "bricolages/explorations/exploration.html", {
        "application": application, "day": application.day, "is_visitor": is_visitor,
        "is_host": permissions.user_can_manage_day(user, application.day),
        "position": selectors.SEATS.position(application),
        "can_see_logbook": permissions.user_can_view_logbook(user, application),
        "logbook": list(selectors.logbook_of(user, application)), "summary": summary,
        "logbook_form": logbook_form or LogbookForm(prefix="carnet"),
        "summary_form": summary_form or SummaryForm(prefix="synthese", initial={
            "title": summary.title, "text": summary.text} if summary else None),
        "is_past": application.day.date < timezone.localdate(),
    }, status=status)


@agent_required
@require_GET
def exploration_detail(request, pk):
    return _render_application(request, selectors.get_application(request.user, pk))


def _button(request, pk, action, success):
    application = selectors.get_application(request.user, pk)
    return act(request, lambda: action(application), success=success, default=application.get_absolute_url())


@agent_required
@require_POST
def exploration_accept(request, pk):
    return _button(request, pk, lambda a: services.exploration_accept(actor=request.user, application=a),
                   _("Candidature acceptée : l'agent est prévenu."))


@agent_required
@require_POST
def exploration_decline(request, pk):
    return _button(request, pk, lambda a: services.exploration_decline(actor=request.user, application=a),
                   _("Candidature refusée : la place passe à la personne suivante."))


@agent_required
@require_POST
def exploration_cancel(request, pk):
    return _button(request, pk, lambda a: services.exploration_cancel(user=request.user, application=a),
                   _("Votre candidature est annulée."))


@agent_required
@require_POST
def logbook_share(request, pk):
    return _button(request, pk, lambda a: services.logbook_share(user=request.user, application=a),
                   _("Votre carnet est partagé avec le service qui vous a accueilli·e."))


@agent_required
@require_POST
def logbook_add(request, pk):
    application = selectors.get_application(request.user, pk)
    form = LogbookForm(request.POST, request.FILES, prefix="carnet")
    if not form.is_valid():
        return _render_application(request, application, logbook_form=form, status=400)
    done = attempt(request, lambda: services.logbook_add(user=request.user, application=application,
                                                         **form.cleaned_data),
                   form=form, success=_("Note ajoutée à votre carnet de bord."))
    if not done:
        return _render_application(request, application, logbook_form=form, status=done.status)
    return redirect(application.get_absolute_url() + "#carnet")


@agent_required
@require_POST
def summary_publish(request, pk):
    application = selectors.get_application(request.user, pk)
    form = SummaryForm(request.POST, prefix="synthese")
    if not form.is_valid():
        return _render_application(request, application, summary_form=form, status=400)
    done = attempt(request, lambda: services.summary_publish(user=request.user, application=application,
                                                             **form.cleaned_data),
                   form=form, success=_("Votre synthèse est publiée pour tous les agents."))
    if not done:
        return _render_application(request, application, summary_form=form, status=done.status)
    return redirect(done.value.get_absolute_url())


@agent_required
@require_GET
def logbook_photo(request, pk, entry_id):
    application = selectors.get_application(request.user, pk)
    entry = selectors.logbook_of(request.user, application).filter(pk=entry_id).first()
    if entry is None or not entry.photo:
        raise Http404
    try:
        return serve_checked_file(request, entry.photo, filename=entry.photo.name.rsplit("/", 1)[-1], inline=True)
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc


@agent_required
@require_GET
def summary_detail(request, pk):
    summary = selectors.get_summary(request.user, pk)
    return render(request, "bricolages/explorations/summary.html", {
        "summary": summary, "application": summary.application, "day": summary.application.day,
        "bricolages": [b for b in summary.inspired_bricolages.all() if b.live and not b.is_hidden],
    })


@agent_required
@require_GET
def calendar(request):
    season = selectors.Season.parse(request.GET.get("saison", ""))
    data = selectors.season_calendar(request.user, season)
    if data is None:
        raise PermissionDenied
    return render(request, "bricolages/explorations/calendar.html", {"season": season, **data})


@agent_required
@require_POST
def bricolage_born_from(request, pk):
    """Say which published summary a bricolage was born from (or none)."""
    bricolage = BricolagePage.objects.filter(pk=pk).first()
    from .. import permissions as wiki

    if bricolage is None or not wiki.user_can_view_bricolage(request.user, bricolage):
        raise Http404
    if "summary" not in request.POST:  # an empty choice says "none"; a missing one is a mistake
        messages.error(request, _("Choisissez la synthèse de l'exploration, ou « Aucune »."))
        return render_bricolage(request, bricolage, status=400)
    raw = request.POST["summary"].strip()
    summary = None
    if raw:
        summary_id = id_or_none(raw)
        if summary_id is None:
            raise Http404
        summary = selectors.get_summary(request.user, summary_id)
    return act(request, lambda: services.bricolage_born_from_set(user=request.user, bricolage=bricolage,
                                                                 summary=summary),
               success=_("Le lien avec l'exploration est enregistré."), default=bricolage.get_absolute_url())

