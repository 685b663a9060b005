"""An optional machine-translation backend behind an HTTP interface.

Off by default. Set ``MACHINE_TRANSLATION_URL`` to a translation server that speaks the
LibreTranslate API (for example a self-hosted LibreTranslate: ``POST /translate`` with
``q``, ``source``, ``target`` and ``format``, answering ``{"translatedText": …}``), and
``MACHINE_TRANSLATION_API_KEY`` when the server wants a key. Only the message text goes
there, never a name or address of a family: the writer's text is sent before
``{child}`` and the other placeholders are filled in.

Self-host it: a public service would be a third party reading messages to parents.
The output is always marked as machine-translated and shown to the writer before
anything is sent.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings


class TranslationUnavailable(Exception):
    """The server did not answer, or not with a translation."""


@dataclass(frozen=True)
class Backend:
    url: str
    api_key: str = ""
    timeout: float = 10.0

    def translate(self, text: str, source: str, target: str) -> str:
        if not text.strip():
            return text
        payload = {"q": text, "source": source, "target": target, "format": "text"}
        if self.api_key:
            payload["api_key"] = self.api_key
        request = urllib.request.Request(
            self.url.rstrip("/") + "/translate",
            data=json.dumps(payload).encode(),
            headers={"Content-Type": "application/json", "Accept": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                answer = json.loads(response.read().decode("utf-8"))
        except (urllib.error.URLError, TimeoutError, ValueError, OSError) as error:
            raise TranslationUnavailable(str(error)) from error
        translated = answer.get("translatedText") if isinstance(answer, dict) else None
        if not isinstance(translated, str) or not translated.strip():
            raise TranslationUnavailable(f"no translation in the answer: {answer!r}"[:200])
        return translated


def backend() -> Backend | None:
    """The configured backend, or None when machine translation is off."""
    url = getattr(settings, "MACHINE_TRANSLATION_URL", "")
    if not url:
        return None
    return Backend(
        url,
        getattr(settings, "MACHINE_TRANSLATION_API_KEY", ""),
        getattr(settings, "MACHINE_TRANSLATION_TIMEOUT", 10.0),
    )
