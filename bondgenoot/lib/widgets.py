"""A select widget that renders in Python.

Django renders every ``<option>`` through the template engine, which costs a few
milliseconds per long list on every page. Our selects are plain: no option groups,
no per-option attributes, so we build the HTML directly (escaped by ``format_html``).
"""

from typing import Any

from django import forms
from django.forms.renderers import BaseRenderer
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe


class FastSelect(forms.Select):
    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: BaseRenderer | None = None,
    ) -> SafeString:
        attrs = self.build_attrs(self.attrs, attrs)
        if value is None:
            chosen = {""}
        elif isinstance(value, list | tuple):
            chosen = {str(v) for v in value}
        else:
            chosen = {str(value)}
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (
                    str(v) if v is not None else "",
                    mark_safe(" selected") if str(v if v is not None else "") in chosen else "",
                    label,
                )
                for v, label in self.choices
            ),
        )
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(attrs), options)
