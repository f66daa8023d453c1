"""iCalendar feeds of the programme (RFC 5545), built with the icalendar package.

One VEVENT per event. Its UID is derived from the proposal, so it never changes when the event
is rescheduled; SEQUENCE grows instead, and calendar apps update the event in place. Times carry
the Europe/Paris TZID with its VTIMEZONE, which Google Calendar, Apple Calendar, Outlook and
Thunderbird all read."""

from django.utils import timezone
from django.utils.text import Truncator
from icalendar import Event as VEvent

from cms.ical import ics_response, new_calendar

__all__ = ["calendar_for", "event_component", "ics_response"]

PRODID = "-//Mairie de demain//Occupai//FR"


def event_component(event, *, absolute_url, stamp=None):
    proposal, space = event.proposal, event.space
    tz = timezone.get_default_timezone()
    url = absolute_url(event.get_absolute_url())
    description = "\n\n".join(p for p in [
        Truncator(proposal.description).chars(1500),
        f"{proposal.get_kind_display()} · {proposal.shown_name}",
        url,
    ] if p)
    component = VEvent()
    component.add("uid", event.uid())
    component.add("dtstamp", stamp or timezone.now())
    component.add("created", event.created_at)
    component.add("last-modified", event.updated_at)
    component.add("sequence", event.sequence)
    component.add("dtstart", event.starts_at.astimezone(tz))
    component.add("dtend", event.ends_at.astimezone(tz))
    component.add("summary", proposal.title)
    component.add("description", description)
    component.add("location", space.full_location)
    component.add("url", url)
    component.add("categories", [str(proposal.get_kind_display())])
    component.add("status", "CONFIRMED")
    component.add("transp", "OPAQUE")
    return component


def calendar_for(events, *, name, description="", absolute_url):
    calendar = new_calendar(prodid=PRODID, name=name, description=description)
    stamp = timezone.now()
    for event in events:
        calendar.add_component(event_component(event, absolute_url=absolute_url, stamp=stamp))
    calendar.add_missing_timezones()
    return calendar

