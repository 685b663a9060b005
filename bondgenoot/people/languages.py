"""Home languages we know by name (ISO 639 codes).

The list holds the languages spoken in Dutch cities that schools meet most often.
Codes are ISO 639-1 where one exists, otherwise ISO 639-3 (Tamazight: ``zgh``,
Papiamento: ``pap``). The model stores codes only; names come from here so that
they follow the interface language. ``endonym`` is how speakers write it, which is
what a parent recognises in a language picker.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# code: (name in the interface language, endonym, written right to left)
LANGUAGES: dict[str, tuple[StrOrPromise, str, bool]] = {
    "nl": (_("Dutch"), "Nederlands", False),
    "en": (_("English"), "English", False),
    "ar": (_("Arabic"), "العربية", True),
    "tr": (_("Turkish"), "Türkçe", False),
    "zgh": (_("Tamazight"), "ⵜⴰⵎⴰⵣⵉⵖⵜ", False),
    "pl": (_("Polish"), "Polski", False),
    "pap": (_("Papiamento"), "Papiamentu", False),
    "so": (_("Somali"), "Soomaali", False),
    "ti": (_("Tigrinya"), "ትግርኛ", False),
    "uk": (_("Ukrainian"), "Українська", False),
    "fa": (_("Persian"), "فارسی", True),
    "prs": (_("Dari"), "دری", True),
    "ps": (_("Pashto"), "پښتو", True),
    "ku": (_("Kurdish"), "Kurdî", False),
    "srn": (_("Sranan Tongo"), "Sranantongo", False),
    "bg": (_("Bulgarian"), "Български", False),
    "ro": (_("Romanian"), "Română", False),
    "es": (_("Spanish"), "Español", False),
    "pt": (_("Portuguese"), "Português", False),
    "fr": (_("French"), "Français", False),
    "de": (_("German"), "Deutsch", False),
    "zh": (_("Chinese"), "中文", False),
    "hi": (_("Hindi"), "हिन्दी", False),
    "ur": (_("Urdu"), "اردو", True),
    "am": (_("Amharic"), "አማርኛ", False),
    "ru": (_("Russian"), "Русский", False),
    "fy": (_("Frisian"), "Frysk", False),
}

# The family languages every page a parent sees speaks (the portal, sign-in, answer and
# reply pages), in the order of the parent's language picker.
FAMILY_LANGUAGES = ("nl", "en", "ar", "tr", "pl", "uk", "so", "ti")

LANGUAGE_CHOICES = [(code, name) for code, (name, _endonym, _rtl) in LANGUAGES.items()]


def language_name(code: str) -> str:
    entry = LANGUAGES.get(code)
    return str(entry[0]) if entry else code


def is_rtl(code: str) -> bool:
    entry = LANGUAGES.get(code)
    return bool(entry and entry[2])
