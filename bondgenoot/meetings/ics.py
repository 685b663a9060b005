"""A calendar file (RFC 5545) for a meeting, made with icalendar."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event


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
