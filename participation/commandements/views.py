"""HTML views of the charter, reached through the page's routes (routes.py). Every action is a
POST form calling the same services as the API; errors come back as messages or form errors."""

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from cms import roles
from cms.web import attempt
from participation import selectors as engine_selectors

from . import permissions, rules, selectors, services
from .forms import AmendmentForm, DecisionForm
from .models import Amendment

SCREEN_SECONDS = 20


def _render(request, page, template, extra=None, status=200):
    context = page.get_context(request)
    context.update(extra or {})
    return TemplateResponse(request, template, context, status=status)


def _saved(page):
    return page.pk is not None


def _signature_context(request, page):
    user = request.user
    signed = _saved(page) and engine_selectors.has_supported(user, page)
    return {
        "count": page.supports_count if _saved(page) else 0,
        "signed": signed,
        "can_sign": page.live and permissions.user_can_sign_charter(user, page),
        "url": page.subpage_path("sign") if _saved(page) else "",
    }


def charter_index(request, page):
    supported = selectors.supported_amendments(page, request.user) if _saved(page) else set()

    def rows():  # called by the template only when its shared fragment is not in the cache
        if not _saved(page):
            return [{"commandement": c, "amendments": [], "contributions": 0, "reports": [], "supported": set()}
                    for c in page.ordered_commandements()]
        return selectors.charter_rows(page, supported)

    return _render(request, page, "commandements/charter_page.html", {
        "rows": rows,
        "supported": supported,
        "version": selectors.current_version(page) if _saved(page) else None,
        "signature": _signature_context(request, page),
        "consultation_state": page.consultation_state(),
        "can_propose": permissions.user_can_propose_amendment(request.user, page),
    })


def _commandement_or_404(page, number):
    commandement = page.commandement(number)
    if commandement is None:
        raise Http404(_("Ce commandement n'existe pas."))
    return commandement


def commandement_detail(request, page, number):
    commandement = _commandement_or_404(page, number)
    amendments = list(selectors.public_amendments(page, number=number))
    return _render(request, page, "commandements/commandement_detail.html", {
        "commandement": commandement,
        "open_amendments": [a for a in amendments if a.status == Amendment.Status.OPEN],
        "other_amendments": [a for a in amendments if a.status != Amendment.Status.OPEN],
        "supported": engine_selectors.supported_ids(request.user, amendments),
        "history": selectors.wording_history(page, number),
        "contributions": selectors.contributions_counts(page).get(number, 0),
        "reports": selectors.reports_by_number(page).get(number, []),
        "consultation_state": page.consultation_state(),
        "can_propose": permissions.user_can_propose_amendment(request.user, page),
    })


def _anonymous(form, request):
    """The anonymity asked for: agents are not offered the box, but if they send it anyway the
    service refuses it (400) rather than having it dropped here."""
    if "anonymous" in form.fields:
        return form.cleaned_data["anonymous"]
    return forms.BooleanField(required=False).to_python(request.POST.get("anonymous"))


def amendment_propose(request, page, number):
    commandement = _commandement_or_404(page, number)
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    allow_anonymous = not roles.is_agent_of(user, page.mairie)
    form = AmendmentForm(request.POST or None, allow_anonymous=allow_anonymous)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            done = attempt(request, lambda: services.amendment_submit(
                user=user, charter=page, number=number, kind=data["kind"],
                proposed_title=data["proposed_title"],
                proposed_mairie_commitment=data["proposed_mairie_commitment"],
                proposed_resident_commitment=data["proposed_resident_commitment"],
                rationale=data["rationale"], anonymous=_anonymous(form, request)), form=form,
                success=_("Merci ! Votre amendement est publié : les autres peuvent maintenant "
                          "le soutenir et le commenter."))
            if done:
                return HttpResponseRedirect(done.value.get_absolute_url())
    return _render(request, page, "commandements/amendment_form.html", {
        "commandement": commandement, "form": form, "consultation_state": page.consultation_state(),
        "can_propose": permissions.user_can_propose_amendment(user, page),
        "max_length": rules.COMMITMENT_MAX_LENGTH,
    }, status=status)


def _amendment_or_404(request, page, pk):
    amendment = get_object_or_404(Amendment.objects.select_related("author", "charter", "wording__version",
                                                                   "based_on__version"),
                                  pk=pk, charter=page)
    if not selectors.amendment_is_visible(request.user, amendment):
        raise Http404(_("Cet amendement n'existe pas."))
    return amendment


def amendment_detail(request, page, pk, reject_form=None, status=200):
    amendment = _amendment_or_404(request, page, pk)
    commandement = page.commandement(amendment.number)
    # An open amendment is read against today's wording (adoption applies to it); a decided one
    # against the wording it amended, so that its page keeps telling what it changed.
    before = None if amendment.is_open else amendment.based_on
    current = before.wording() if before else (commandement.wording() if commandement else ("", "", ""))
    return _render(request, page, "commandements/amendment_detail.html", {
        "amendment": amendment,
        "commandement": commandement,
        "before": current,
        "before_version": before.version.number if before else None,
        "proposed": amendment.proposed_wording(current),
        "can_withdraw": permissions.user_can_withdraw_amendment(request.user, amendment),
        "can_decide": amendment.is_open and permissions.user_can_decide_amendment(request.user, amendment),
        "adopt_form": DecisionForm(required=False, prefix="adopt"),
        "reject_form": reject_form or DecisionForm(prefix="reject"),
    }, status=status)


def amendment_action(request, page, pk, action):
    if action not in {"retirer", "adopter", "rejeter"}:
        raise Http404
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.is_authenticated:
        return redirect_to_login(page.subpage_path("amendment", pk))
    amendment = _amendment_or_404(request, page, pk)
    user = request.user
    if action == "rejeter":
        form = DecisionForm(request.POST, prefix="reject")
        if not form.is_valid():
            return amendment_detail(request, page, pk, reject_form=form, status=400)
    if action == "retirer":
        attempt(request, lambda: services.amendment_withdraw(user=user, amendment=amendment),
                success=_("Votre amendement est retiré."))
    elif action == "adopter":
        note = DecisionForm(request.POST, required=False, prefix="adopt")
        attempt(request, lambda: services.amendment_adopt(actor=user, amendment=amendment,
                                                          note=note.cleaned_data["reason"] if note.is_valid() else ""),
                success=_("Amendement adopté : un nouveau brouillon de la charte l'intègre. "
                          "Relisez-le et publiez-le depuis l'administration."))
    else:
        attempt(request, lambda: services.amendment_reject(actor=user, amendment=amendment,
                                                           reason=form.cleaned_data["reason"]),
                success=_("Amendement non retenu : le motif est publié."))
    return HttpResponseRedirect(page.subpage_path("amendment", pk))


def charter_signature(request, page):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.is_authenticated:
        return redirect_to_login(page.path_on_site())
    if request.POST.get("action") == "withdraw":
        attempt(request, lambda: services.charter_unsign(user=request.user, charter=page),
                success=_("Votre signature est retirée."))
    else:
        attempt(request, lambda: services.charter_sign(user=request.user, charter=page),
                success=_("Merci, vous vous êtes engagé·e : votre signature est comptée."))
    return HttpResponseRedirect(page.path_on_site() + "#signer")


def charter_poster(request, page):
    return _render(request, page, "commandements/poster.html", {
        "commandements": page.ordered_commandements(),
        "version": selectors.current_version(page) if _saved(page) else None,
    })


def charter_screen(request, page):
    commandements = page.ordered_commandements()
    if not commandements:
        raise Http404(_("Cette charte n'a pas encore de commandement."))
    try:
        index = int(request.GET.get("n", 1)) - 1
    except ValueError:
        index = 0
    index = index % len(commandements)
    current = commandements[index]
    # The hall's screen turns the pages by itself (?defilement=1, the URL set on that screen); a
    # person reading the page turns them with the links: no timed refresh for them (WCAG 2.2.1).
    rotate = request.GET.get("defilement") == "1"
    return _render(request, page, "commandements/screen.html", {
        "rotate": rotate, "rotate_query": "&defilement=1" if rotate else "",
        "commandement": current,
        "next_position": (index + 1) % len(commandements) + 1,
        "previous_position": (index - 1) % len(commandements) + 1,
        "position": index + 1, "total": len(commandements), "seconds": SCREEN_SECONDS,
        "is_preview": getattr(request, "is_preview", False),
    })
