"""The shared frame of every page a parent sees (``templates/parent_base.html``): the
header, language picker and footer in the parent's language, and dates and numbers
written per language."""

from django import template

from bondgenoot.lib.dates import written_list
from bondgenoot.lib.texts import fill as fill_text
from bondgenoot.portal import texts

register = template.Library()


@register.simple_tag
def parent_texts(language: str) -> dict:
    return texts.texts(texts.supported(language))


@register.simple_tag(takes_context=True)
def parent_languages(context) -> list[dict]:
    """The language picker: on a signed-in parent's pages only the languages their
    schools offer (``frame.offered_languages``, set on the request), else all eight."""
    offered = getattr(context.get("request"), "parent_languages", None)
    return texts.choices(offered)


@register.filter
def pday(value, language: str) -> str:
    return texts.day(value, language)


@register.filter
def pmoment(value, language: str) -> str:
    return texts.moment(value, language)


@register.filter
def pnumber(value, language: str) -> str:
    return texts.number(value, language)


@register.filter
def get(table: dict, key: str) -> str:
    """A value's name from a text table (the stored value when the table lacks it)."""
    return table.get(key, key) if isinstance(table, dict) else key


@register.simple_tag
def fill(text: str, **values) -> str:
    """A parent text with its ``{placeholders}`` filled (escaped like any tag output)."""
    return fill_text(text, values)


@register.filter
def plist(items, language: str) -> str:
    """A list joined the language's way ("A, B en C", "A وB وC"); empty for none."""
    return written_list([str(i) for i in items], texts.supported(language)) if items else ""
