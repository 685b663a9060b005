"""A calendar file (RFC 5545) for a meeting, made with icalendar."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event
from icalendar.parser import Contentline, Parameters
from icalendar.prop import vUri


def calendar_for(meeting, url: str = "") -> str:
    cal = Calendar()
    cal.add("prodid", "-//Bondgenoot//Meetings//NL")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"{meeting.pk}@bondgenoot")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at)
    event.add("summary", meeting.title)
    event.add("location", meeting.place)
    if meeting.description:
        event.add("description", meeting.description)
    if url:
        event.add("url", url)
    event.add("organizer", f"mailto:{settings.DEFAULT_FROM_EMAIL.split('<')[-1].rstrip('>')}")
    cal.add_component(event)
    return cal.to_ical().decode()


def calendars_for(meeting) -> Callable[[str], str]:
    """``calendar_for(meeting, url)`` for many addresses (one per invitee): the calendar is
    made once, and each address goes in as its own URL line, folded as icalendar folds it.
    Making the whole file for every parent was most of the time of inviting a school."""
    END = "END:VEVENT\r\n"
    base = calendar_for(meeting)
    before, after = base.split(END, 1)

    def with_url(url: str) -> str:
        line = Contentline.from_parts("URL", Parameters(), vUri(url)).to_ical().decode()
        return f"{before}{line}\r\n{END}{after}"

    return with_url
