"""The composer's decisions before sending: the channel per guardian, which parents
would read the writer's own text in Dutch, translations by a computer (optional), and
the findings to confirm. Views parse and render; this module holds the rules."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from bondgenoot.lib import machine_translation
from bondgenoot.lib.tonecoach import check
from bondgenoot.people.languages import language_name

from . import library
from .planning import Recipient

# Findings that change how a parent feels about the school: sending with them asks once.
CONFIRM_KINDS = ("alarm", "label")
RTL = {"ar", "fa", "he", "ur", "ps", "ckb"}


def channel_field(recipient: Recipient) -> str:
    return f"kanaal-{recipient.guardian.pk}"


def apply_channel_choices(params, recipients: list[Recipient]) -> None:
    """The writer's channel per guardian (a select per parent, the planned one preselected);
    a channel that does not work for that guardian is ignored."""
    for r in recipients:
        wanted = params.get(channel_field(r)) if params is not None else None
        if wanted:
            r.choose(wanted)


def findings_to_confirm(body: str) -> list:
    return [f for f in check(body).findings if f.kind in CONFIRM_KINDS] if body.strip() else []


def template_languages(template_key: str, subject: str, body: str) -> set[str]:
    """Languages a template's own text goes out in (empty when the writer changed it)."""
    template = library.templates().get(template_key or "")
    if template is None or "nl" not in template.texts:
        return set()
    nl = template.texts["nl"]
    if subject.strip() != nl.subject or body.replace("\r\n", "\n").strip() != nl.body:
        return set()
    return set(template.texts)


def source_key(subject: str, body: str) -> str:
    """Which text a translation belongs to: a translation of an older text is not used."""
    text = subject.strip() + "\n" + body.replace("\r\n", "\n").strip()
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass
class Translation:
    language: str
    subject: str
    body: str
    status: str = "machine"  # or "person": translated by a colleague or key figure
    by: str = ""  # for "person": TranslationRequest.Via
    request_id: str = ""

    @property
    def name(self) -> str:
        return str(language_name(self.language))

    @property
    def rtl(self) -> bool:
        return self.language in RTL


def translations_from(params, subject: str, body: str) -> dict[str, Translation]:
    """Translations carried in the form (shown to the writer before), if they belong to
    the text as it is now."""
    if params is None or params.get("mt-source") != source_key(subject, body):
        return {}
    found = {}
    for name in params:
        if name.startswith("mt-") and name.endswith("-body"):
            lang = name[3:-5]
            found[lang] = Translation(
                lang, params.get(f"mt-{lang}-subject", ""), params.get(name, "")
            )
    return found


def person_translations(asked, subject: str, body: str) -> dict[str, Translation]:
    """The writer's answered translation requests that belong to the text as it is now."""
    key = source_key(subject, body)
    return {
        a.language: Translation(
            a.language,
            a.translated_subject,
            a.translated_body,
            status="person",
            by=a.via,
            request_id=str(a.pk),
        )
        for a in asked
        if a.source == key
    }


def uuids(values: list[str]) -> list[str]:
    """The well-formed ids among ``values`` (anything else is ignored, never a 500)."""
    found = []
    for value in values[:8]:
        try:
            found.append(str(uuid.UUID(value)))
        except ValueError:
            continue
    return found


def machine_translate(subject: str, body: str, languages: set[str]) -> tuple[dict, list[str]]:
    """({language: Translation}, [languages that failed]) through the configured backend."""
    backend = machine_translation.backend()
    done: dict[str, Translation] = {}
    failed: list[str] = []
    if backend is None:
        return done, sorted(languages)
    for lang in sorted(languages):
        try:
            done[lang] = Translation(
                lang,
                backend.translate(subject, "nl", lang),
                backend.translate(body, "nl", lang),
            )
        except machine_translation.TranslationUnavailable:
            failed.append(lang)
    return done, failed


@dataclass
class LanguagePlan:
    """Who would read the writer's own text in Dutch, and what can help."""

    dutch_for: dict[str, int] = field(default_factory=dict)  # language → parents
    templates: list = field(default_factory=list)  # templates translated into all of them
    machine: bool = False  # a machine-translation backend is configured

    @property
    def languages(self) -> list[tuple[str, str, int]]:
        return [(code, str(language_name(code)), n) for code, n in sorted(self.dutch_for.items())]

    @property
    def count(self) -> int:
        return sum(self.dutch_for.values())


def language_plan(
    recipients: list[Recipient], covered: set[str], translations: dict
) -> LanguagePlan:
    dutch_for: dict[str, int] = {}
    for r in recipients:
        if r.language != "nl" and r.language not in covered and r.language not in translations:
            dutch_for[r.language] = dutch_for.get(r.language, 0) + 1
    templates = [
        t
        for t in library.templates().values()
        if dutch_for and all(lang in t.texts for lang in dutch_for)
    ]
    return LanguagePlan(dutch_for, templates, machine_translation.backend() is not None)


def failed_message(languages: list[str]) -> str:
    return _("The computer could not translate into: %(languages)s.") % {
        "languages": ", ".join(str(language_name(code)) for code in languages)
    }
