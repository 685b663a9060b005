"""A select widget that renders in Python.

Django renders every ``<option>`` through the template engine, which costs a few
milliseconds per long list on every page. Our selects are plain: no option groups,
no per-option attributes, so we build the HTML directly (every value escaped).
"""

from typing import Any

from django import forms
from django.forms.renderers import BaseRenderer
from django.forms.utils import flatatt
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from bondgenoot.lib.escape import escape_text


def _escaped(value: Any) -> str:
    """``conditional_escape`` for one value: safe HTML as it is, anything else (a lazy
    translation too) as escaped text."""
    if value.__class__ is str:
        return escape_text(value)
    if isinstance(value, Promise):
        value = str(value)
    return value.__html__() if hasattr(value, "__html__") else escape_text(value)


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
        # Written with f-strings, each value escaped: ``format_html`` per option was
        # most of a long select's time (a school's team of 60 in the advice panel).
        options = []
        for v, label in self.choices:
            given = str(v) if v is not None else ""
            selected = " selected" if given in chosen else ""
            label = _escaped(label)
            options.append(f'<option value="{escape_text(given)}"{selected}>{label}</option>')
        return mark_safe(
            f'<select name="{_escaped(name)}"{flatatt(attrs)}>{"".join(options)}</select>'
        )


class _FastChoiceInputs(forms.widgets.ChoiceWidget):
    """Radio buttons and check boxes rendered in Python, with the markup of Django's
    ``multiple_input.html`` (a ``<div>`` with the field's id around one ``<div>`` per
    choice, the input inside its label). Django renders three small templates per
    choice; the contact form's radio groups took about a fifth of the family page."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: BaseRenderer | None = None,
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        rows = []
        for group, options, _index in widget["optgroups"]:
            if group:  # option groups: Django's own templates
                return super().render(name, value, attrs, renderer)
            for option in options:
                option_attrs = option["attrs"]
                given = option["value"]
                field = format_html(
                    '<input type="{}" name="{}"{}{}>',
                    option["type"],
                    option["name"],
                    format_html(' value="{}"', str(given)) if given is not None else "",
                    flatatt(option_attrs),
                )
                if option.get("wrap_label"):
                    label_for = (
                        format_html(' for="{}"', option_attrs["id"])
                        if option_attrs.get("id")
                        else ""
                    )
                    field = format_html("<label{}>{} {}</label>", label_for, field, option["label"])
                rows.append(format_html("<div>\n    {}</div>", field))
        outer = widget["attrs"]
        outer_attrs = flatatt({key: outer[key] for key in ("id", "class") if outer.get(key)})
        return format_html("<div{}>{}\n</div>", outer_attrs, mark_safe("".join(rows)))


class FastRadioSelect(_FastChoiceInputs, forms.RadioSelect):
    pass


class FastCheckboxSelectMultiple(_FastChoiceInputs, forms.CheckboxSelectMultiple):
    pass
