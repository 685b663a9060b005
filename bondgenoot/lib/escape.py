"""HTML escaping of plain text in one pass.

``django.utils.html.escape`` is ``html.escape`` behind a lazy-aware wrapper: five
``str.replace`` calls and a few function calls per value. Where many values are written
into HTML by Python (a select's options, a table's rows, a chart's bars), the same
replacements as one ``str.translate`` cost a fraction of that.
"""

from typing import Any

# ``html.escape(quote=True)``'s replacements.
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"})


def escape_text(value: Any) -> str:
    """``html.escape(str(value))``: always escaped, as ``django.utils.html.escape``."""
    return str(value).translate(_ESCAPES)
