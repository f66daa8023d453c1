"""The organisers' pages for one call: the moderation queue, the ranked view after the vote,
selection and scheduling. Organisers of the call's mairie only; writes go through services."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cms.web import attempt

from . import selectors, services
from .forms import ReasonForm, ScheduleForm
from .models import Proposal
from .permissions import user_can_moderate_call
from .phases import Phase


def _guard(request, call):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not user_can_moderate_call(request.user, call):
        raise PermissionDenied
    return None


def _schedule_initial(proposal, call):
    """Suggest the proposer's first preferred space and slot."""
    initial = {}
    spaces = list(proposal.preferred_spaces.all())
    if spaces:
        initial["space"] = spaces[0]
    slots = list(proposal.slots.all())
    event = getattr(proposal, "event", None) if proposal.status == Proposal.Status.SELECTED else None
    if event is not None:
        initial.update(space=event.space, start=timezone.localtime(event.starts_at),
                       end=timezone.localtime(event.ends_at))
    elif slots:
        initial.update(start=timezone.localtime(slots[0].starts_at), end=timezone.localtime(slots[0].ends_at))
    return initial


def _dashboard(request, call, *, bound=None, status=200):
    """`bound` = (proposal pk, form name, bound form) to show a refused action's errors in place."""
    queue = list(selectors.moderation_queue(call))
    ranked = list(selectors.ranked_proposals(call))
    rows = []
    space_choices = list(ScheduleForm(call=call).fields["space"].choices)
    for rank, proposal in enumerate(ranked, start=1):
        forms = {"schedule": ScheduleForm(call=call, initial=_schedule_initial(proposal, call),
                                          prefix=f"p{proposal.pk}", space_choices=space_choices),
                 "decline": ReasonForm(prefix=f"d{proposal.pk}")}
        if bound and bound[0] == proposal.pk:
            forms[bound[1]] = bound[2]
        rows.append({"rank": rank, "proposal": proposal, "forms": forms,
                     "in_quota": rank <= call.selection_count})
    queue_rows = []
    for proposal in queue:
        form = ReasonForm(prefix=f"r{proposal.pk}")
        if bound and bound[0] == proposal.pk and bound[1] == "reject":
            form = bound[2]
        queue_rows.append({"proposal": proposal, "form": form})
    selected = sum(1 for p in ranked if p.status == Proposal.Status.SELECTED)
    rest_form = bound[2] if bound and bound[0] is None else ReasonForm(prefix="rest")
    return TemplateResponse(request, "occupai/organise.html", {
        "page": call, "call": call, "queue": queue_rows, "rows": rows, "selected_count": selected,
        "can_select": call.voting_closed() and call.phase != Phase.FINISHED, "remaining": sum(1 for p in ranked if p.status == Proposal.Status.ACCEPTED),
        "rest_form": rest_form, "events": list(selectors.programme_events(call, request.user)),
        "Phase": Phase,
    }, status=status)


def dashboard(request, call):
    return _guard(request, call) or _dashboard(request, call)


ACTIONS = {"accepter", "refuser", "programmer", "ecarter"}


def _action_form(request, call, pk, action):
    """The form an action posts (None for "accepter") and its name on the dashboard."""
    if action == "refuser":
        return ReasonForm(request.POST, prefix=f"r{pk}"), "reject"
    if action == "programmer":
        return ScheduleForm(request.POST, call=call, prefix=f"p{pk}"), "schedule"
    if action == "ecarter":
        return ReasonForm(request.POST, prefix=f"d{pk}"), "decline"
    return None, ""


def _run_action(action, user, proposal, data):
    """Call the action's service; return what to tell the organiser."""
    if action == "accepter":
        services.proposal_accept(actor=user, proposal=proposal)
        return _("« %(title)s » est publiée.")
    if action == "refuser":
        services.proposal_reject(actor=user, proposal=proposal, reason=data["reason"])
        return _("« %(title)s » est refusée ; son auteur·rice reçoit le motif.")
    if action == "programmer":
        services.proposal_schedule(actor=user, proposal=proposal, space=data["space"], starts_at=data["start"],
                                   ends_at=data["end"])
        return _("« %(title)s » est au programme.")
    services.proposal_decline(actor=user, proposal=proposal, reason=data["reason"])
    return _("« %(title)s » n'est pas retenue ; le motif est communiqué.")


def proposal_action(request, call, pk, action):
    denied = _guard(request, call)
    if denied:
        return denied
    if request.method != "POST" or action not in ACTIONS:
        raise Http404
    proposal = Proposal.objects.filter(call=call, pk=pk).select_related("call").first()
    if proposal is None:
        raise Http404
    proposal.call = call
    form, form_name = _action_form(request, call, pk, action)
    if form is not None and not form.is_valid():
        return _dashboard(request, call, bound=(pk, form_name, form), status=400)
    done = attempt(request, lambda: _run_action(action, request.user, proposal, form.cleaned_data if form else {}),
                   form=form, success=lambda message: message % {"title": proposal.title})
    organise = call.get_url(request) + call.reverse_subpage("organise")
    if done:
        return redirect(organise + f"#proposition-{pk}")
    if form is None:  # the refusal is a message
        return redirect(organise)
    return _dashboard(request, call, bound=(pk, form_name, form), status=done.status)


def decline_rest(request, call):
    denied = _guard(request, call)
    if denied:
        return denied
    if request.method != "POST":
        raise Http404
    form = ReasonForm(request.POST, prefix="rest")
    if not form.is_valid():
        return _dashboard(request, call, bound=(None, "rest", form), status=400)
    done = attempt(request, lambda: services.call_decline_rest(actor=request.user, call=call,
                                                               reason=form.cleaned_data["reason"]),
                   form=form, success=lambda count: ngettext("%(n)d proposition marquée non retenue.",
                                                             "%(n)d propositions marquées non retenues.",
                                                             count) % {"n": count})
    if not done:
        return _dashboard(request, call, bound=(None, "rest", form), status=done.status)
    return redirect(call.get_url(request) + call.reverse_subpage("organise"))
