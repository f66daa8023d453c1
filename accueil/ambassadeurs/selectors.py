"""Reads of the ambassadeurs. The public sees accepted ambassadors' public fields only; a request is seen by
its two people only (anyone else gets None, then a 404)."""

from django.db.models import F, Q

from .models import Ambassador, HelpRequest


def public_ambassadors(mairie):
    return Ambassador.objects.filter(mairie=mairie, status=Ambassador.Status.ACCEPTED).select_related("quartier")


def applications(mairie, status=Ambassador.Status.APPLIED):
    return Ambassador.objects.filter(mairie=mairie, status=status).select_related("quartier", "user").order_by(
        "applied_at", "pk")


def roles_of(user):
    """The user's applications and roles, every mairie."""
    if not getattr(user, "is_authenticated", False):
        return Ambassador.objects.none()
    return Ambassador.objects.filter(user=user).select_related("mairie", "quartier")


def requests_of(user):
    """The requests the user made (as a neighbour) or received (as an ambassador), open ones first."""
    if not getattr(user, "is_authenticated", False):
        return HelpRequest.objects.none()
    return (HelpRequest.objects.filter(Q(neighbour=user) | Q(ambassador__user=user))
            .select_related("ambassador__mairie", "ambassador__user", "neighbour")
            .order_by(F("closed_at").asc(nulls_first=True), "-created_at", "-pk"))


def request_for(user, pk):
    """The request if the user is one of its two people, else None."""
    return requests_of(user).prefetch_related("consents").filter(pk=pk).first()


def thread(help_request):
    return help_request.messages.select_related("author").order_by("created_at", "pk")
