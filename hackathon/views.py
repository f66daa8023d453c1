"""HTML pages of the Service lab, under /service-lab/ on each mairie's site.

Public: recurring issues, draws (with their verification), hackathon days and outcomes, the
online complaint form. Agents: complaints, grouping, letters to print. The organisers' pages
(draws, sessions, outcomes) are in organiser_views.py. Every write goes through hackathon.services."""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from cms.mairies import require_mairie
from cms.validation import id_or_none
from cms.web import act, attempt, form_status
from participation import selectors as engine_selectors
from participation.models import Quartier

from . import drawing, letters, permissions, selectors, services
from .forms import (
    ComplaintEditForm,
    ComplaintRecordForm,
    ComplaintSubmitForm,
    DrawCloseForm,
    DrawRunForm,
    GroupForm,
    IssueForm,
    IssueStatusForm,
    OutcomeAdvanceForm,
    OutcomeForm,
    RedrawForm,
    SessionForm,
)
from .models import Complaint, Draw, HackathonSession, Letter, Outcome, RecurringIssue

PAGE_SIZE = 20


def _require(request, allowed):
    if not request.user.is_authenticated:
        raise _LoginRequired
    if not allowed:
        raise PermissionDenied


class _LoginRequired(Exception):
    pass


def _guard(view):
    """Anonymous visitors of a staff page go to the login form; others get a 403."""
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except _LoginRequired:
            return redirect_to_login(request.get_full_path())
    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _staff_page(may):
    """A page of the mairie's staff, for those who `may(user, mairie)`: the view gets the mairie
    after the request; anonymous visitors go to the login form, others get a 403."""
    def decorate(view):
        @_guard
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            mairie = require_mairie(request)
            _require(request, may(request.user, mairie))
            return view(request, mairie, *args, **kwargs)
        return wrapped
    return decorate


# --- public -----------------------------------------------------------------------------------


def index(request):
    mairie = require_mairie(request)
    issues = list(selectors.public_issues(mairie).order_by("-complaints_count", "title")[:6])
    draws = list(selectors.draws_for(mairie)[:3])
    sessions = list(selectors.sessions_for(mairie)[:3])
    return render(request, "hackathon/index.html", {
        "mairie": mairie, "issues": issues, "draws": draws, "sessions": sessions,
        "is_staff": permissions.user_can_list_complaints(request.user, mairie),
        "is_organiser": permissions.user_can_open_draw(request.user, mairie),
    })


def issue_list(request):
    mairie = require_mairie(request)
    qs = selectors.public_issues(mairie)
    status = request.GET.get("statut", "")
    if status in RecurringIssue.Status.values:
        qs = qs.filter(status=status)
    quartier = request.GET.get("quartier", "")
    if quartier:
        qs = qs.filter(quartier__slug=quartier)
    tag = request.GET.get("theme", "")
    if tag:
        qs = qs.filter(tags__name=tag)
    sort = request.GET.get("tri", "recurrence")
    qs = qs.order_by("title") if sort == "titre" else qs.order_by("-complaints_count", "-supports_count", "title")
    page = Paginator(qs.distinct(), PAGE_SIZE).get_page(request.GET.get("page"))
    issues = list(page.object_list)
    return render(request, "hackathon/issue_list.html", {
        "mairie": mairie, "issues": issues, "page_obj": page,
        "me_too": engine_selectors.supported_ids(request.user, issues),
        "quartiers": Quartier.objects.filter(mairie=mairie),
        "tags": engine_selectors.tag_vocabulary(mairie, RecurringIssue)[:30],
        "statuses": [(s, RecurringIssue.Status(s).label) for s in ("open", "drawn", "solved")],
        "filters": {"statut": status, "quartier": quartier, "theme": tag, "tri": sort},
    })


def _issue(request, pk):
    mairie = require_mairie(request)
    issue = RecurringIssue.objects.filter(pk=pk, mairie=mairie).select_related("quartier").first()
    if issue is None or not selectors.issue_is_visible(request.user, issue):
        raise Http404
    return issue


def issue_detail(request, pk):
    issue = _issue(request, pk)
    can_manage = permissions.user_can_manage_issue(request.user, issue.mairie)
    return render(request, "hackathon/issue_detail.html", {
        "issue": issue, "summaries": selectors.public_summaries(issue)[:50],
        "me_too": engine_selectors.has_supported(request.user, issue),
        "draws": Draw.objects.filter(winner=issue).order_by("-month"),
        "sessions": HackathonSession.objects.filter(issue=issue).select_related("draw").order_by("-starts_at"),
        "can_manage": can_manage,
        "status_form": IssueStatusForm(initial={"status": issue.status}) if can_manage else None,
        "edit_form": IssueForm(mairie=issue.mairie, initial={
            "title": issue.title, "description": issue.description, "quartier": issue.quartier,
            "tags": ", ".join(t.name for t in issue.tags.all())}) if can_manage else None,
    })


@require_POST
def issue_me_too(request, pk):
    issue = _issue(request, pk)
    if not request.user.is_authenticated:
        return redirect_to_login(issue.get_absolute_url())
    if request.POST.get("action") == "withdraw":
        return act(request, lambda: services.me_too_withdraw(user=request.user, issue=issue),
                   success=_("Vous n'êtes plus compté·e sur ce sujet."), default=issue.get_absolute_url())
    return act(request, lambda: services.me_too_add(user=request.user, issue=issue),
               success=_("C'est noté : vous êtes compté·e parmi les habitant·es concerné·es, et vous suivez ce sujet."),
               default=issue.get_absolute_url())


@_guard
@require_POST
def issue_edit(request, pk):
    issue = _issue(request, pk)
    _require(request, permissions.user_can_manage_issue(request.user, issue.mairie))
    if "status" in request.POST:
        form = IssueStatusForm(request.POST)
        if form.is_valid():
            attempt(request, lambda: services.issue_update(actor=request.user, issue=issue,
                                                           status=form.cleaned_data["status"],
                                                           reason=form.cleaned_data["reason"]),
                    success=_("Statut enregistré."))
    else:
        form = IssueForm(request.POST, mairie=issue.mairie)
        if form.is_valid():
            data = form.cleaned_data
            attempt(request, lambda: services.issue_update(actor=request.user, issue=issue, title=data["title"],
                                                           description=data["description"], tags=data["tags"]),
                    success=_("Sujet enregistré."))
    if form.errors:
        messages.error(request, _("Le formulaire contient des erreurs : %(e)s") % {
            "e": " ".join(e for errs in form.errors.values() for e in errs)})
    return redirect(issue.get_absolute_url())


def draw_list(request):
    mairie = require_mairie(request)
    return render(request, "hackathon/draw_list.html", {
        "mairie": mairie, "draws": selectors.draws_for(mairie),
        "can_open": permissions.user_can_open_draw(request.user, mairie)})


def _draw(request, pk):
    return get_object_or_404(Draw.objects.select_related("winner", "redraw_of"), pk=pk,
                             mairie=require_mairie(request))


def draw_detail(request, pk, run_form=None, redraw_form=None, close_form=None):
    draw = _draw(request, pk)
    record = selectors.draw_record(draw)
    verification = services.draw_verify(draw)
    can_run = permissions.user_can_run_draw(request.user, draw)
    redraw = getattr(draw, "redraw", None)
    session = getattr(draw, "session", None)
    total = sum(issue["weight"] for issue in record["issues"])
    running, rows = 0, []
    for issue in record["issues"]:
        rows.append({**issue, "from": running, "to": running + issue["weight"] - 1,
                     "won": issue["id"] == draw.winner_id})
        running += issue["weight"]
    status = form_status(run_form, redraw_form, close_form)
    return render(request, "hackathon/draw_detail.html", {
        "draw": draw, "record": record, "rows": rows, "total": total, "verification": verification,
        "redraw": redraw, "session": session,
        "can_run": can_run and draw.status == Draw.Status.FROZEN and redraw is None,
        "can_close": can_run and draw.status == Draw.Status.FROZEN and redraw is None,
        "can_redraw": can_run and redraw is None and session is None and not draw.is_void,
        "can_plan": can_run and draw.is_drawn and redraw is None and session is None,
        "run_form": run_form or DrawRunForm(), "redraw_form": redraw_form or RedrawForm(),
        "close_form": close_form or DrawCloseForm(),
        "procedure": drawing.PROCEDURE,
    }, status=status)


def draw_script(request, pk):
    draw = _draw(request, pk)
    if not draw.is_drawn:
        raise Http404
    script = drawing.standalone_script(record_text=draw.record_json, entropy_value=draw.entropy_value,
                                       list_hash_hex=draw.list_hash, seed=draw.seed, winner_id=draw.winner_id)
    response = HttpResponse(script, content_type="text/x-python; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="verifier_tirage_{draw.pk}.py"'
    return response


def draw_record_file(request, pk):
    """The frozen record, byte for byte as hashed: `sha256sum` of this file is the list hash."""
    draw = _draw(request, pk)
    response = HttpResponse(draw.record_json.encode("utf-8"), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="tirage_{draw.pk}_liste.json"'
    return response


def session_list(request):
    mairie = require_mairie(request)
    return render(request, "hackathon/session_list.html", {
        "mairie": mairie, "sessions": selectors.sessions_for(mairie)})


def _session(request, pk):
    return get_object_or_404(HackathonSession.objects.select_related("issue", "draw"), pk=pk,
                             mairie=require_mairie(request))


def session_detail(request, pk, outcome_form=None, advance_form=None, edit_form=None):
    session = _session(request, pk)
    outcome = Outcome.objects.filter(session=session).first()
    registration = selectors.registration_of(request.user, session)
    can_manage = permissions.user_can_manage_session(request.user, session.mairie)
    status = form_status(outcome_form, advance_form, edit_form)
    return render(request, "hackathon/session_detail.html", {
        "session": session, "outcome": outcome, "counts": selectors.session_counts(session),
        "registration": registration, "position": selectors.waiting_position(registration),
        "can_manage": can_manage,
        "outcome_form": outcome_form or OutcomeForm() if can_manage and outcome is None else None,
        "advance_form": (advance_form or OutcomeAdvanceForm(outcome=outcome))
        if can_manage and outcome is not None and Outcome.NEXT.get(outcome.status) else None,
        "edit_form": edit_form or SessionForm(initial=_session_initial(session)) if can_manage else None,
        "registrations": session.registrations.select_related("user") if can_manage else None,
    }, status=status)


def _session_initial(session):
    from django.utils import timezone

    return {"title": session.title, "starts_at": timezone.localtime(session.starts_at),
            "ends_at": timezone.localtime(session.ends_at), "place": session.place, "capacity": session.capacity,
            "programme": session.programme, "tools": session.tools}


@require_POST
def session_registration(request, pk):
    session = _session(request, pk)
    if not request.user.is_authenticated:
        return redirect_to_login(session.get_absolute_url())
    if request.POST.get("action") == "cancel":
        return act(request, lambda: services.session_unregister(user=request.user, session=session),
                   success=_("Votre inscription est annulée."), default=session.get_absolute_url())
    return act(request, lambda: services.session_register(user=request.user, session=session),
               success=lambda registration: _("Vous êtes inscrit·e.") if registration.status == "confirmed"
               else _("La journée est complète : vous êtes sur la liste d'attente."),
               default=session.get_absolute_url())


@login_required
def complaint_submit(request):
    mairie = require_mairie(request)
    form = ComplaintSubmitForm(request.POST or None, request.FILES or None, mairie=mairie)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = attempt(request, lambda: services.complaint_submit(
            user=request.user, mairie=mairie, subject=data["subject"], full_text=data["full_text"],
            quartier=data["quartier"], scan=data["scan"]), form=form,
            success=lambda complaint: _("Merci : votre courrier n° %(n)s est bien reçu. Un accusé de réception "
                                        "part à votre adresse e-mail.") % {"n": complaint.pk})
        if done:
            return redirect("hackathon:index")
    return render(request, "hackathon/complaint_submit.html", {"form": form, "mairie": mairie},
                  status=form_status(form))


@require_safe
@login_required
def my_complaints(request):
    """A resident's own complaints in every mairie (online, or digitised by an agent under their account):
    what they wrote and the recurring issue it joined."""
    return render(request, "hackathon/my_complaints.html", {
        "complaints": selectors.complaints_of_author(request.user)})


# --- agents ---------------------------------------------------------------------------------


@_staff_page(permissions.user_can_list_complaints)
def complaint_list(request, mairie):
    qs = selectors.complaints_for(request.user, mairie)
    grouped = request.GET.get("regroupe", "")
    if grouped == "non":
        qs = qs.filter(issue__isnull=True)
    elif grouped == "oui":
        qs = qs.filter(issue__isnull=False)
    issue = id_or_none(request.GET.get("sujet"))
    if issue is not None:
        qs = qs.filter(issue_id=issue)
    text = (request.GET.get("q") or "").strip()[:100]
    if text:
        qs = qs.filter(Q(personal__subject__icontains=text) | Q(public_summary__icontains=text))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "hackathon/agent/complaint_list.html", {
        "mairie": mairie, "complaints": page.object_list, "page_obj": page,
        "issues": RecurringIssue.objects.filter(mairie=mairie).order_by("title"),
        "filters": {"regroupe": grouped, "sujet": issue, "q": text},
        "ungrouped": Complaint.objects.filter(mairie=mairie, issue__isnull=True).count(),
    })


@_staff_page(permissions.user_can_record_complaint)
def complaint_new(request, mairie):
    form = ComplaintRecordForm(request.POST or None, request.FILES or None, mairie=mairie)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = attempt(request, lambda: services.complaint_record(
            actor=request.user, mairie=mairie, channel=data["channel"], received_on=data["received_on"],
            subject=data["subject"], full_text=data["full_text"], scan=data["scan"], quartier=data["quartier"],
            tags=data["tags"], contact_name=data["contact_name"], contact_email=data["contact_email"],
            contact_phone=data["contact_phone"], postal_address=data["postal_address"],
            public_summary=data["public_summary"], issue=data["issue"], author_account=data["author_account"]),
            form=form,
            success=lambda complaint: _("Courrier n° %(n)s enregistré.") % {"n": complaint.pk})
        if done:
            return redirect(done.value.get_absolute_url())
    return render(request, "hackathon/agent/complaint_form.html", {"form": form, "mairie": mairie},
                  status=form_status(form))


def _complaint(request, pk):
    complaint = get_object_or_404(
        Complaint.objects.select_related("issue", "quartier", "personal", "personal__author", "recorded_by"),
        pk=pk, mairie=require_mairie(request))
    _require(request, permissions.user_can_view_complaint(request.user, complaint))
    return complaint


@_guard
def complaint_detail(request, pk):
    complaint = _complaint(request, pk)
    personal = getattr(complaint, "personal", None)
    edit_form = ComplaintEditForm(mairie=complaint.mairie, initial={
        "public_summary": complaint.public_summary, "quartier": complaint.quartier,
        "tags": ", ".join(t.name for t in complaint.tags.all())})
    group_form = GroupForm(mairie=complaint.mairie, initial={"issue": complaint.issue})
    issue_form = IssueForm(mairie=complaint.mairie, initial={"title": personal.subject if personal else "",
                                                             "quartier": complaint.quartier})
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "edit":
            edit_form = ComplaintEditForm(request.POST, mairie=complaint.mairie)
            if edit_form.is_valid() and attempt(request, lambda: services.complaint_update(
                    actor=request.user, complaint=complaint, public_summary=edit_form.cleaned_data["public_summary"],
                    quartier=edit_form.cleaned_data["quartier"], tags=edit_form.cleaned_data["tags"]),
                    form=edit_form, success=_("Courrier mis à jour.")):
                return redirect(complaint.get_absolute_url())
        elif action == "group":
            group_form = GroupForm(request.POST, mairie=complaint.mairie)
            if group_form.is_valid() and attempt(request, lambda: services.complaint_group(
                    actor=request.user, complaint=complaint, issue=group_form.cleaned_data["issue"]),
                    form=group_form, success=_("Regroupement enregistré.")):
                return redirect(complaint.get_absolute_url())
        elif action == "new_issue":
            issue_form = IssueForm(request.POST, mairie=complaint.mairie)
            if issue_form.is_valid():
                data = issue_form.cleaned_data
                if attempt(request, lambda: services.issue_create(
                        actor=request.user, mairie=complaint.mairie, title=data["title"],
                        description=data["description"], tags=data["tags"], quartier=data["quartier"],
                        complaints=[complaint]), form=issue_form,
                        success=lambda issue: _("Sujet « %(t)s » créé ; le courrier y est rattaché.") % {
                            "t": issue.title}):
                    return redirect(complaint.get_absolute_url())
    text = " ".join([personal.subject, personal.full_text] if personal else [complaint.public_summary])
    forms = (edit_form, group_form, issue_form)
    return render(request, "hackathon/agent/complaint_detail.html", {
        "complaint": complaint, "personal": personal,
        "suggestions": selectors.suggest_issues(complaint.mairie, text, exclude_issue_id=complaint.issue_id),
        "edit_form": edit_form, "group_form": group_form, "issue_form": issue_form,
        "letters": complaint.letters.all(),
    }, status=form_status(*forms))


@_guard
def complaint_scan(request, pk):
    """The scan, to agents and organisers of the mairie only; never cached by a shared cache."""
    complaint = _complaint(request, pk)
    personal = getattr(complaint, "personal", None)
    if personal is None or not personal.scan:
        raise Http404
    try:
        handle = personal.scan.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    ext = ".pdf" if personal.scan_content_type == "application/pdf" else ""
    response = FileResponse(handle, content_type=personal.scan_content_type or "application/octet-stream",
                            as_attachment=False, filename=f"courrier-{complaint.pk}{ext}")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@_staff_page(permissions.user_can_manage_issue)
def issue_new(request, mairie):
    form = IssueForm(request.POST or None, mairie=mairie)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = attempt(request, lambda: services.issue_create(
            actor=request.user, mairie=mairie, title=data["title"], description=data["description"],
            tags=data["tags"], quartier=data["quartier"]), form=form, success=_("Sujet créé."))
        if done:
            return redirect(done.value.get_absolute_url())
    return render(request, "hackathon/agent/issue_form.html", {"form": form, "mairie": mairie},
                  status=form_status(form))


@_staff_page(permissions.user_can_handle_letters)
def letter_list(request, mairie):
    return render(request, "hackathon/agent/letter_list.html", {
        "mairie": mairie, "to_send": selectors.letters_for(request.user, mairie, sent=False),
        "sent": selectors.letters_for(request.user, mairie, sent=True)[:50]})


def _letter(request, pk):
    mairie = require_mairie(request)
    letter = get_object_or_404(Letter.objects.select_related("complaint", "complaint__personal"), pk=pk,
                               mairie=mairie)
    _require(request, permissions.user_can_handle_letters(request.user, mairie))
    return letter


@_guard
def letter_pdf(request, pk):
    letter = _letter(request, pk)
    if getattr(letter.complaint, "personal", None) is None:
        raise Http404
    response = HttpResponse(letters.render_letter(letter), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="lettre-{letter.pk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@_guard
@require_POST
def letter_sent(request, pk):
    letter = _letter(request, pk)
    return act(request, lambda: services.letter_mark_sent(actor=request.user, letter=letter),
               success=_("Lettre notée comme envoyée."), default=reverse("hackathon:letters"))
