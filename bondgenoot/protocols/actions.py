"""Changes to protocols. Each writes its audit entry.

Rules: comments only on a version open for comment, by its audience; every comment gets
a reply before the round can end; publishing makes a new numbered version with the final
text and records who commented in general terms (the kinds, never names or counts).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from bondgenoot.audit.log import record
from bondgenoot.audit.models import AuditEntry
from bondgenoot.people.models import User

from .models import (
    Comment,
    Commenter,
    Paragraph,
    Protocol,
    ProtocolVersion,
    SummaryTranslation,
)


class Refused(ValidationError):
    pass


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs are separated by an empty line."""
    parts = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n")]
    return [p for p in parts if p]


def _audit(actor: User | None, action: str, obj: Any, school_id: int, **detail: Any) -> None:
    record(actor, action, obj, school_id=school_id, detail=detail)


def _new_version(
    actor: User, protocol: Protocol, state: str, text: str, summary: str
) -> ProtocolVersion:
    paragraphs = split_paragraphs(text)
    if not paragraphs:
        raise Refused("A protocol needs at least one paragraph.", code="empty")
    number = (protocol.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = ProtocolVersion.objects.create(
        protocol=protocol, number=number, state=state, summary=summary.strip(), by=actor
    )
    Paragraph.objects.bulk_create(
        Paragraph(version=version, position=i, text=p) for i, p in enumerate(paragraphs, 1)
    )
    return version


@transaction.atomic
def open_draft(
    actor: User, school_id: int, values: dict[str, Any], text: str, summary: str
) -> ProtocolVersion:
    """A new protocol with its first version open for comment."""
    if not (values.get("for_parents") or values.get("for_partners") or values.get("for_staff")):
        raise Refused("Choose who may comment.", code="audience")
    protocol = Protocol.objects.create(school_id=school_id, created_by=actor, **values)
    version = _new_version(actor, protocol, ProtocolVersion.State.CONSULTATION, text, summary)
    _audit(
        actor,
        AuditEntry.Action.CREATE,
        version,
        school_id,
        protocol=str(protocol.pk),
        number=version.number,
        audience=[k for k in ("for_parents", "for_partners", "for_staff") if values.get(k)],
    )
    return version


@transaction.atomic
def open_revision(actor: User, protocol: Protocol, text: str, summary: str) -> ProtocolVersion:
    """A new round of comment on a published protocol (the published text stays in force)."""
    if protocol.versions.filter(state=ProtocolVersion.State.CONSULTATION).exists():
        raise Refused("This protocol is open for comment already.", code="open")
    version = _new_version(actor, protocol, ProtocolVersion.State.CONSULTATION, text, summary)
    _audit(actor, AuditEntry.Action.CREATE, version, protocol.school_id, number=version.number)
    return version


@transaction.atomic
def add_comment(author: User, paragraph: Paragraph, kind: str, text: str) -> Comment:
    """``kind`` comes from the policy (``access.commenter_kind``, or "parent")."""
    version = ProtocolVersion.objects.select_for_update().get(pk=paragraph.version_id)
    if version.state != ProtocolVersion.State.CONSULTATION:
        raise Refused("This version is no longer open for comment.", code="closed")
    if kind not in Commenter.values:
        raise Refused("Unknown commenter.", code="kind")
    text = text.strip()
    if not text:
        raise Refused("Write your comment.", code="empty")
    comment = Comment.objects.create(paragraph=paragraph, author=author, kind=kind, text=text)
    _audit(
        author,
        AuditEntry.Action.CREATE,
        comment,
        version.protocol.school_id,
        version=str(version.pk),
        paragraph=paragraph.position,
        kind=kind,
    )
    return comment


@transaction.atomic
def reply(actor: User, comment: Comment, text: str) -> Comment:
    text = text.strip()
    if not text:
        raise Refused("Write your reply.", code="empty")
    comment.reply = text
    comment.replied_by = actor
    comment.replied_at = timezone.now()
    comment.save(update_fields=["reply", "replied_by", "replied_at"])
    _audit(
        actor,
        AuditEntry.Action.UPDATE,
        comment,
        comment.paragraph.version.protocol.school_id,
        reply=True,
    )
    return comment


@transaction.atomic
def publish(actor: User, version: ProtocolVersion, text: str, summary: str) -> ProtocolVersion:
    """Close the round and publish the final text as the next version. Every comment
    must have its reply first. Who commented is kept in general terms."""
    version = ProtocolVersion.objects.select_for_update().get(pk=version.pk)
    if version.state != ProtocolVersion.State.CONSULTATION:
        raise Refused("This version is not open for comment.", code="closed")
    comments = Comment.objects.filter(paragraph__version=version)
    if comments.filter(reply="").exists():
        raise Refused("Reply to every comment before you publish.", code="unanswered")
    kinds = sorted(set(comments.values_list("kind", flat=True)))
    version.state = ProtocolVersion.State.CLOSED
    version.save(update_fields=["state"])
    protocol = version.protocol
    final = _new_version(actor, protocol, ProtocolVersion.State.FINAL, text, summary)
    final.commented_by = kinds
    final.published_at = timezone.now()
    final.save(update_fields=["commented_by", "published_at"])
    _audit(
        actor,
        AuditEntry.Action.CREATE,
        final,
        protocol.school_id,
        published=True,
        number=final.number,
        from_version=version.number,
        commented_by=kinds,
    )
    return final


@transaction.atomic
def save_translation(actor: User, version: ProtocolVersion, language: str, text: str) -> None:
    SummaryTranslation.objects.update_or_create(
        version=version, language=language, defaults={"text": text.strip(), "by": actor}
    )
    _audit(
        actor,
        AuditEntry.Action.UPDATE,
        version,
        version.protocol.school_id,
        summary_translation=language,
    )
