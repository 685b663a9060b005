"""Phone numbers and email addresses of parents, checked when they are entered.

Phone numbers go through ``phonenumbers`` (Google's libphonenumber): a number is stored in
E.164 (``+31612345678``, ``+212612345678``), a number without a country code is read as
Dutch, and a mobile number of any country counts as one that can receive a text message.
The families this product is for often keep a Moroccan, Turkish or Ukrainian mobile.

Email: a domain with non-ASCII letters (``bücher.de``) is sent correctly (Django encodes
it as punycode), but an address with such letters before the ``@`` needs SMTPUTF8, which
many mail servers refuse; it is refused on entry with a message that says why, and never
chosen to deliver to.
"""

from __future__ import annotations

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

DEFAULT_REGION = "NL"
MOBILE_TYPES = {
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
}


def parse(raw: str, region: str = DEFAULT_REGION) -> phonenumbers.PhoneNumber | None:
    """The number, or None when it is not a valid phone number."""
    text = (raw or "").strip()
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def normalise_phone(raw: str, region: str = DEFAULT_REGION) -> str:
    """E.164 (``+31612345678``); what was typed when it is not a valid number."""
    number = parse(raw, region)
    if number is None:
        return (raw or "").strip()
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def is_mobile(raw: str, region: str = DEFAULT_REGION) -> bool:
    """A mobile number of any country (it can receive a text message)."""
    number = parse(raw, region)
    return number is not None and phonenumbers.number_type(number) in MOBILE_TYPES


def validate_phone(value: str) -> None:
    if value and parse(value) is None:
        raise ValidationError(
            _(
                "This is not a phone number we can use. Write a Dutch number (06 12345678) "
                "or a number with its country code (+212 612 345678)."
            ),
            code="phone",
        )


def email_problem(address: str) -> str | None:
    """Why we cannot send to this address, or None."""
    if not address:
        return None
    local = address.rpartition("@")[0]
    if not local.isascii():
        return str(
            _(
                "This address has letters such as é or ö before the @. Many mail servers "
                "cannot deliver to it. Ask the parent for another address."
            )
        )
    try:
        validate_email(address)
    except ValidationError:
        return str(_("This is not an email address. Check it for typing errors."))
    return None


def can_send_email(address: str) -> bool:
    return bool(address) and email_problem(address) is None


def validate_email_address(value: str) -> None:
    problem = email_problem(value)
    if problem:
        raise ValidationError(problem, code="email")
