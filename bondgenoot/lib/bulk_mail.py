"""Emails of a bulk send (a message or invitation to a whole school), made quickly.

Django's ``EmailMessage.message()`` builds the MIME message with the standard library's
modern email API, which parses every header it is given: about 3–7 ms per email on this
machine, most of the time of mailing a whole school. ``BulkEmail`` is the same Django
email (subject, body, recipients, headers, text attachments; every mail backend sends it
as usual) whose MIME message is put together with the ``compat32`` policy instead, as
Django itself did until version 5, at about a quarter of the cost. It covers what bulk
mail needs: a plain-text body and text attachments such as a calendar file. Header
values with a line break are refused, as Django refuses them; non-ASCII text is encoded
(RFC 2047 in headers, base64 in bodies) and non-ASCII domains are IDNA-encoded.
"""

from __future__ import annotations

import email.message
import email.policy
from email.charset import Charset
from email.header import Header
from email.policy import Policy
from email.utils import formataddr, formatdate, make_msgid, parseaddr

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.utils import DNS_NAME

UTF8 = Charset("utf-8")  # base64 bodies, RFC 2047 ("=?utf-8?b?…?=") headers

# Headers set from the email's own fields; extra headers may not set them again.
OWN_HEADERS = {"subject", "from", "to", "cc", "reply-to", "bcc"}


def _checked(name: str, value: str) -> str:
    if "\n" in value or "\r" in value:
        raise ValueError(f"Header values may not contain line breaks ({name}).")
    return value


def _header(name: str, value: str) -> str | Header:
    value = _checked(name, value)
    return value if value.isascii() else Header(value, UTF8, header_name=name)


def _address(value: str) -> str:
    name, addr = parseaddr(_checked("address", value))
    local, at, domain = addr.rpartition("@")
    if at and not domain.isascii():
        addr = f"{local}@{domain.encode('idna').decode('ascii')}"
    return formataddr((name, addr), charset="utf-8")


def _text_part(text: str, mimetype: str, policy: Policy) -> email.message.EmailMessage:
    part = email.message.EmailMessage(policy=policy)
    content_type, *params = (p.strip() for p in mimetype.split(";"))
    part.set_type(content_type)
    # Text in its canonical form (CRLF line endings, RFC 2046), as Django's own emails.
    text = text.replace("\r\n", "\n").replace("\n", "\r\n")
    part.set_payload(text, UTF8)  # sets the charset and base64-encodes the text
    for param in params:
        key, _eq, value = param.partition("=")
        part.set_param(key, value.strip('"'))
    return part


class BulkEmail(EmailMessage):
    """A Django email whose MIME message is made with the ``compat32`` policy."""

    def message(self, *, policy: Policy | None = None) -> email.message.EmailMessage:
        # compat32 parses nothing; the line ending of the requested policy is kept
        # (SMTP wants CRLF).
        linesep = (policy or email.policy.default).linesep
        legacy = email.policy.compat32.clone(linesep=linesep)
        body = _text_part(str(self.body), "text/plain", legacy)
        if self.attachments:
            msg = email.message.EmailMessage(policy=legacy)
            msg["MIME-Version"] = "1.0"
            msg.set_type("multipart/mixed")
            msg.attach(body)
            for filename, content, mimetype in self.attachments:
                if isinstance(content, bytes):
                    content = content.decode()
                part = _text_part(content, mimetype or "text/plain", legacy)
                part.add_header("Content-Disposition", "attachment", filename=filename)
                msg.attach(part)
        else:
            msg = body
            msg["MIME-Version"] = "1.0"
        msg["Subject"] = _header("Subject", str(self.subject))
        msg["From"] = _address(str(self.extra_headers.get("From", self.from_email)))
        for name, addresses in (("To", self.to), ("Cc", self.cc), ("Reply-To", self.reply_to)):
            if addresses:
                msg[name] = ", ".join(_address(a) for a in addresses)
        names = {key.lower() for key in self.extra_headers}
        if "date" not in names:
            msg["Date"] = formatdate(localtime=settings.EMAIL_USE_LOCALTIME)
        if "message-id" not in names:
            msg["Message-ID"] = make_msgid(domain=str(DNS_NAME))
        for name, value in self.extra_headers.items():
            if name.lower() == "bcc":
                raise ValueError("Bcc is not a valid email header; use the bcc argument.")
            if name.lower() not in OWN_HEADERS:
                msg[name] = _header(name, str(value))
        return msg
