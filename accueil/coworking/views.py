"""HTML pages of the co-working: the spaces and their free desks (anyone), booking and cancelling (agents of
any mairie), the invitees' private page (no account), the organisers' invitations, the private calendar
feed. Thin: each action is a service of accueil.coworking.services."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from accueil import conf
from cms.ical import ics_response
from cms.mairies import require_mairie
from cms.web import act, attempt, button, form_status, login_first, require_mairie_role, require_user

from . import selectors, services
from .forms import BookingForm, InvitationForm
from .ical import booker_calendar
from .models import LIVE, Booking
from .permissions import count_booking_change, user_can_book_coworking, user_can_invite


def _booked(booking):
    return _("Poste %(desk)d réservé à « %(space)s » le %(date)s (%(half)s).") % {"desk": booking.desk, "space": booking.space.name, "date": booking.date.strftime("%d/%m/%Y"),
                     "half": booking.get_half_display()}


def _private(response):
    response["Referrer-Policy"] = "no-referrer"  # a private key is in the address
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
@require_safe
def index(request):
    """The mairie's co-working spaces, for anyone to read."""
    mairie = require_mairie(request)
    spaces = [(space, selectors.opening_text(space)) for space in selectors.spaces_for(mairie)]
    return render(request, "accueil/coworking/index.html", {
        "mairie": mairie, "spaces": spaces, "can_book": user_can_book_coworking(request.user),
        "can_invite": user_can_invite(request.user, mairie)})


def _book(request, form, space, **booker):
    def book():
        count_booking_change(request, booker.get("invitation"))
        return services.booking_create(space=space, day=form.cleaned_data["date"], half=form.cleaned_data["half"],
                                       **booker)
    return attempt(request, book, success=_booked, form=form, fields={"day": "date"})


@never_cache
def space(request, pk):
    """A space: its desks, hours, equipment, and its free desks for the next two weeks; an agent books a
    half-day with one button (no JavaScript)."""
    mairie = require_mairie(request)
    found = get_object_or_404(selectors.spaces_for(mairie), pk=pk)
    form = None
    status = 200
    if request.method == "POST":  # authorisation before validation
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not user_can_book_coworking(request.user):
            raise PermissionDenied
        form = BookingForm(request.POST)
        status = form_status(form)
        if form.is_valid():
            outcome = _book(request, form, found, user=request.user)
            if outcome:
                return HttpResponseRedirect(reverse("accueil:coworking-mine"))
            status = outcome.status
    elif request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    return render(request, "accueil/coworking/space.html", {
        "mairie": mairie, "space": found, "opening": selectors.opening_text(found),
        "slots": selectors.availability(found), "form": form, "can_book": user_can_book_coworking(request.user),
        "action": reverse("accueil:coworking-space", args=[found.pk])}, status=status)


def _booker(request):
    require_user(request, user_can_book_coworking)




@never_cache
@require_safe
@login_first
def mine(request):
    """An agent's bookings (in every mairie), with their private calendar feed."""
    _booker(request)
    bookings = selectors.bookings_of(user=request.user, upcoming_from=timezone.localdate())
    feed = reverse("accueil:coworking-feed", args=[selectors.feed_key_for(request.user)])
    return _private(render(request, "accueil/coworking/mine.html", {
        "bookings": bookings, "feed_url": request.build_absolute_uri(feed)}))


@button
def cancel(request, pk):
    """The booker cancels: someone else's booking is not found (404)."""
    if not user_can_book_coworking(request.user):  # authorisation first
        raise PermissionDenied
    booking = get_object_or_404(Booking.objects.filter(LIVE).select_related("space"), pk=pk, user=request.user)
    def cancel_it():
        count_booking_change(request)
        return services.booking_cancel(booking=booking, user=request.user)
    return act(request, cancel_it,
               success=_("Réservation annulée : le poste est libre."), default=reverse("accueil:coworking-mine"))


@require_safe
def feed(request, key):
    """A booker's calendar (private key: the agent's or the invitation's own feed key)."""
    owner = selectors.feed_owner(key)
    if owner is None:
        raise Http404
    user, invitation = owner
    return _private(ics_response(booker_calendar(user=user, invitation=invitation), "coworking"))


def _invitation(request, key):
    invitation = selectors.invitation_by_key(key)
    if invitation is None or invitation.mairie_id != require_mairie(request).pk:
        raise Http404
    return invitation


@never_cache
def invitation(request, key):
    """The invitee's private page (no account): the mairie's spaces with their free desks, booking with one
    button, their bookings with cancelling, and their calendar feed."""
    found = _invitation(request, key)
    spaces = list(selectors.spaces_for(found.mairie))
    form = None
    status = 200
    if request.method == "POST":
        form = BookingForm(request.POST)
        status = form_status(form)
        target = {s.pk: s for s in spaces}.get(form.cleaned_data.get("space")) if form.is_valid() else None
        if form.is_valid() and target is None:
            form.add_error(None, _("Choisissez un espace de cette mairie."))
            status = 400
        elif target is not None:
            outcome = _book(request, form, target, invitation=found)
            if outcome:
                return HttpResponseRedirect(reverse("accueil:coworking-invitation", args=[key]))
            status = outcome.status
    elif request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    usable = found.is_valid_on(timezone.localdate())
    action = reverse("accueil:coworking-invitation", args=[key])
    return _private(render(request, "accueil/coworking/invitation.html", {
        "invitation": found, "usable": usable, "form": form, "action": action,
        "spaces": [(s, selectors.opening_text(s), selectors.availability(s) if usable else []) for s in spaces],
        "bookings": selectors.bookings_of(invitation=found, upcoming_from=timezone.localdate()),
        "retention_days": conf.invitation_retention_days(),
        "feed_url": request.build_absolute_uri(reverse("accueil:coworking-feed", args=[found.feed_key]))},
        status=status))


def invitation_cancel(request, key, pk):
    if request.method != "POST":
        raise Http404
    found = _invitation(request, key)
    booking = get_object_or_404(Booking.objects.filter(LIVE).select_related("space"), pk=pk, invitation=found)
    def cancel_it():
        count_booking_change(request, found)
        return services.booking_cancel(booking=booking, invitation=found)
    return act(request, cancel_it,
               success=_("Réservation annulée : le poste est libre."),
               default=reverse("accueil:coworking-invitation", args=[key]))


def invitation_forget(request, key):
    """The invitee erases their invitation, its bookings and what it holds about them (no account)."""
    if request.method != "POST":
        raise Http404
    found = _invitation(request, key)
    return act(request, lambda: services.invitation_forget(invitation=found),
               success=_("Votre invitation et vos réservations sont effacées : la mairie ne garde plus votre nom "
                         "ni votre adresse e-mail."),
               default=reverse("accueil:coworking"))


def _organiser_mairie(request):
    return require_mairie_role(request, user_can_invite)


@never_cache
@login_first
def invitations(request):
    """The organisers invite public actors (an email with a private link) and see their invitations."""
    mairie = _organiser_mairie(request)
    form = InvitationForm(request.POST if request.method == "POST" else None)
    status = form_status(form)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        outcome = attempt(request, lambda: services.invitation_create(
            mairie=mairie, user=request.user, email=data["email"], name=data["name"],
            organisation=data.get("organisation", ""), valid_until=data.get("valid_until"),
            link_base=request.build_absolute_uri("/")), form=form,
            success=lambda i: _("Invitation envoyée à %(name)s.") % {"name": i.name})
        if outcome:
            return HttpResponseRedirect(reverse("accueil:coworking-invitations"))
        status = outcome.status
    return _private(render(request, "accueil/coworking/invitations.html", {
        "mairie": mairie, "form": form, "invitations": selectors.invitations_of(mairie),
        "today": timezone.localdate()}, status=status))


@button
@login_first
def invitation_revoke(request, pk):
    mairie = _organiser_mairie(request)
    found = get_object_or_404(selectors.invitations_of(mairie), pk=pk)
    return act(request, lambda: services.invitation_revoke(invitation=found, user=request.user),
               success=_("Invitation retirée ; ses réservations à venir sont annulées."),
               default=reverse("accueil:coworking-invitations"))
