"""Sending text messages through a gateway.

SMS gateways cannot run here; they sit behind this small interface. ``send()`` takes an
idempotency key: a gateway must deliver a message with a key it has seen before at
most once (commercial gateways accept a client reference for this). Backends:

* ``FileGateway`` (development, default): one JSON file per message in
  ``OUTBOX_DIR/sms/``, named by the key and created exclusively, so a repeated key
  never writes twice;
* ``ConsoleGateway``: prints the message (and keeps nothing).

Choose one with the ``SMS_BACKEND`` setting (a dotted path).
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class SmsResult:
    key: str
    duplicate: bool = False


class Gateway:
    def send(self, to: str, text: str, key: str) -> SmsResult:
        raise NotImplementedError


class FileGateway(Gateway):
    def __init__(self, directory: Path | None = None):
        self.directory = Path(directory or Path(settings.OUTBOX_DIR) / "sms")

    def send(self, to: str, text: str, key: str) -> SmsResult:
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / f"{key}.json"
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return SmsResult(key, duplicate=True)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(
                {"to": to, "text": text, "key": key, "at": timezone.now().isoformat()},
                f,
                ensure_ascii=False,
            )
        return SmsResult(key)


class ConsoleGateway(Gateway):
    def send(self, to: str, text: str, key: str) -> SmsResult:
        sys.stdout.write(f"SMS to {to} [{key}]:\n{text}\n\n")
        return SmsResult(key)


def gateway() -> Gateway:
    backend: type[Gateway] = import_string(settings.SMS_BACKEND)  # a dotted path: untyped
    return backend()


def is_mobile(phone: str) -> bool:
    """A Dutch mobile number (06…, +316…, 00316…)."""
    digits = "".join(c for c in phone if c.isdigit() or c == "+")
    return digits.startswith(("06", "+316", "00316")) and len(digits.lstrip("+")) >= 10
