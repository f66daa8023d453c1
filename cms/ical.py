"""What every iCalendar feed of the platform shares (RFC 5545, with the icalendar package): the
calendar's header in the Europe/Paris time zone and the HTTP response. Each feature builds its own
VEVENTs (occupai.ical, accueil.coworking.ical)."""

from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from icalendar import Calendar


def new_calendar(*, prodid: str, name: str, description: str = "") -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", prodid)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", str(timezone.get_default_timezone()))
    if description:
        calendar.add("x-wr-caldesc", description)
    return calendar


def ics_response(calendar: Calendar, filename: str) -> HttpResponse:
    calendar.add_missing_timezones()
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{slugify(filename) or "agenda"}.ics"'
    return response
