"""HTML escaping of plain text, without Django's wrapper.

``django.utils.html.escape`` is ``html.escape`` behind a lazy-aware wrapper that returns
a ``SafeString``. Where many values are written into HTML by Python (a select's options,
a table's rows, a chart's bars), ``html.escape`` on the value's text does the same for
less. (A ``str.translate`` with the five replacements makes fewer function calls but
took ten times as long per value: measure time, not only calls.)
"""

from html import escape
from typing import Any


def escape_text(value: Any) -> str:
    """``html.escape(str(value))``: always escaped, as ``django.utils.html.escape``."""
    return escape(str(value))
