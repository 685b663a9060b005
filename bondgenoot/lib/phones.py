"""Phone numbers: one way to check and store them (E.164, e.g. +31612345678).

Dutch numbers may be typed the Dutch way (06 1234 5678); numbers from elsewhere need
their country code (+32 470 12 34 56, 0049 ...). Mobiles of any country are accepted.
"""

from __future__ import annotations

import phonenumbers

DEFAULT_REGION = "NL"


class InvalidPhone(ValueError):
    pass


def normalise(text: str, region: str = DEFAULT_REGION) -> str:
    """The number in E.164, or ``InvalidPhone``. Empty stays empty."""
    text = (text or "").strip()
    if not text:
        return ""
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as error:
        raise InvalidPhone(str(error)) from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhone("not a valid number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def is_mobile(e164: str) -> bool:
    number = phonenumbers.parse(e164, None)
    return phonenumbers.number_type(number) in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    )
