"""How far a message's deliveries are: figures only, no names (the message page and
a meeting's invitations show it)."""

from __future__ import annotations

from django.db.models import Count

from .models import Delivery, Message


def progress(message: Message) -> dict:
    counts = dict(
        message.deliveries.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    total = sum(counts.values())
    done = counts.get(Delivery.Status.SENT, 0) + counts.get(Delivery.Status.FAILED, 0)
    return {
        "total": total,
        "sent": counts.get(Delivery.Status.SENT, 0),
        "failed": counts.get(Delivery.Status.FAILED, 0),
        "done": done,
        "percent": round(100 * done / total) if total else 100,
        "finished": message.status == Message.Status.DONE or done == total,
    }
