"""How far a message's deliveries are: figures only, no names (the message page and
a meeting's invitations show it)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from .models import Delivery, Message


@dataclass(frozen=True)
class Progress:
    total: int
    sent: int
    failed: int
    done: int
    percent: int
    finished: bool


def progress(message: Message) -> Progress:
    counts = dict(
        message.deliveries.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    total = sum(counts.values())
    sent = counts.get(Delivery.Status.SENT, 0)
    failed = counts.get(Delivery.Status.FAILED, 0)
    done = sent + failed
    return Progress(
        total=total,
        sent=sent,
        failed=failed,
        done=done,
        percent=round(100 * done / total) if total else 100,
        finished=message.status == Message.Status.DONE or done == total,
    )
