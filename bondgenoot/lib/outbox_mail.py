"""An email backend for development and tests that keeps every message as a file.

One ``.eml`` file per message in ``OUTBOX_DIR/mail/``, named after its Message-ID and
created exclusively: sending the same message (same Message-ID) again writes nothing.
Delivery gives every message the id of its delivery as Message-ID, so a delivery that
is retried after a crash is never written twice here. (Over SMTP a retry after a crash
in the instant between the server's acceptance and our bookkeeping can still send a
duplicate; it carries the same Message-ID, which mail programs use to drop it.)
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend


class EmailBackend(BaseEmailBackend):
    def __init__(self, *args: Any, directory: str | Path | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.directory = Path(directory or Path(settings.OUTBOX_DIR) / "mail")

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        self.directory.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            msg = message.message()
            name = re.sub(r"[^\w.@-]", "_", str(msg["Message-ID"]).strip("<>"))
            try:
                fd = os.open(self.directory / f"{name}.eml", os.O_WRONLY | os.O_CREAT | os.O_EXCL)
            except FileExistsError:
                continue
            with os.fdopen(fd, "wb") as f:
                f.write(msg.as_bytes())
            sent += 1
        return sent
