"""The organisers' pages for one call: the moderation queue, the ranked view after the vote,
selection and scheduling. Organisers of the call's mairie only; writes go through services."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cms.errors import ServiceError

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


def _apply(form, exc):
    if isinstance(exc, ValidationError):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.message)


ACTIONS = {"accepter", "refuser", "programmer", "ecarter"}


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
    user = request.user
    form, form_name = None, ""
    try:
        if action == "accepter":
            services.proposal_accept(actor=user, proposal=proposal)
            message = _("« %(title)s » est publiée.")
        elif action == "refuser":
            form, form_name = ReasonForm(request.POST, prefix=f"r{pk}"), "reject"
            if not form.is_valid():
                return _dashboard(request, call, bound=(pk, form_name, form), status=400)
            services.proposal_reject(actor=user, proposal=proposal, reason=form.cleaned_data["reason"])
            message = _("« %(title)s » est refusée ; son auteur·rice reçoit le motif.")
        elif action == "programmer":
            form, form_name = ScheduleForm(request.POST, call=call, prefix=f"p{pk}"), "schedule"
            if not form.is_valid():
                return _dashboard(request, call, bound=(pk, form_name, form), status=400)
            data = form.cleaned_data
            services.proposal_schedule(actor=user, proposal=proposal, space=data["space"], starts_at=data["start"],
                                       ends_at=data["end"])
            message = _("« %(title)s » est au programme.")
        else:
            form, form_name = ReasonForm(request.POST, prefix=f"d{pk}"), "decline"
            if not form.is_valid():
                return _dashboard(request, call, bound=(pk, form_name, form), status=400)
            services.proposal_decline(actor=user, proposal=proposal, reason=form.cleaned_data["reason"])
            message = _("« %(title)s » n'est pas retenue ; le motif est communiqué.")
    except (ServiceError, ValidationError) as exc:
        status = exc.status_code if isinstance(exc, ServiceError) else 400
        if form is None:
            messages.error(request, exc.message if isinstance(exc, ServiceError) else " ".join(exc.messages))
            return redirect(call.get_url(request) + call.reverse_subpage("organise"))
        _apply(form, exc)
        return _dashboard(request, call, bound=(pk, form_name, form), status=status)
    messages.success(request, message % {"title": proposal.title})
    return redirect(call.get_url(request) + call.reverse_subpage("organise") + f"#proposition-{pk}")


def decline_rest(request, call):
    denied = _guard(request, call)
    if denied:
        return denied
    if request.method != "POST":
        raise Http404
    form = ReasonForm(request.POST, prefix="rest")
    if not form.is_valid():
        return _dashboard(request, call, bound=(None, "rest", form), status=400)
    try:
        count = services.call_decline_rest(actor=request.user, call=call, reason=form.cleaned_data["reason"])
    except (ServiceError, ValidationError) as exc:
        _apply(form, exc)
        return _dashboard(request, call, bound=(None, "rest", form),
                          status=exc.status_code if isinstance(exc, ServiceError) else 400)
    messages.success(request, ngettext("%(n)d proposition marquée non retenue.", "%(n)d propositions marquées non retenues.",
                                       count) % {"n": count})
    return redirect(call.get_url(request) + call.reverse_subpage("organise"))
