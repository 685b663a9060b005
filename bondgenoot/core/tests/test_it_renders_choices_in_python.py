"""The Python-rendered radio buttons and check boxes (``lib.widgets``) give the same HTML
as Django's templates: ids, labels, checked and required, escaping."""

from django import forms
from django.test import SimpleTestCase
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override

from bondgenoot.lib.widgets import FastCheckboxSelectMultiple, FastRadioSelect, FastSelect

CHOICES = [("a", "Thuis & school"), ("b", "<script>")]


class Django(forms.Form):
    one = forms.ChoiceField(choices=CHOICES, widget=forms.RadioSelect)
    many = forms.MultipleChoiceField(
        choices=CHOICES, widget=forms.CheckboxSelectMultiple, required=False
    )


class Fast(forms.Form):
    one = forms.ChoiceField(choices=CHOICES, widget=FastRadioSelect)
    many = forms.MultipleChoiceField(
        choices=CHOICES, widget=FastCheckboxSelectMultiple, required=False
    )


class FastChoicesTest(SimpleTestCase):
    def test_it_renders_what_django_renders(self):
        for data in (None, {"one": "b", "many": ["a", "b"]}, {"one": "x"}):
            for name in ("one", "many"):
                with self.subTest(data=data, field=name):
                    expected = str(Django(data, auto_id="id_f_%s")[name])
                    fast = str(Fast(data, auto_id="id_f_%s")[name])
                    self.assertHTMLEqual(fast, expected)
                    self.assertNotIn("<script>", fast)

    def test_it_marks_the_chosen_ones(self):
        html = str(Fast({"one": "b", "many": ["a"]}, auto_id="id_f_%s")["one"])
        self.assertInHTML(
            '<input type="radio" name="one" value="b" id="id_f_one_1" required checked>', html
        )


class FastSelectTest(SimpleTestCase):
    def test_it_renders_the_html_it_always_rendered(self):
        # Byte for byte what the select rendered before it was written with f-strings
        # (format_html): every value escaped, safe labels as they are, lazy ones
        # translated, the chosen ones selected.
        widget = FastSelect(
            attrs={"class": "x", "data-focus": ""},
            choices=[
                ("", gettext_lazy("The mentor")),
                (1, "Anna & <Bob>"),
                (2, mark_safe("<b>safe</b>")),
                ('a"b', 'Quote "q"'),
                (None, "none"),
            ],
        )
        options = (
            '<option value=""{}>De mentor</option>',
            '<option value="1"{}>Anna &amp; &lt;Bob&gt;</option>',
            '<option value="2"{}><b>safe</b></option>',
            '<option value="a&quot;b"{}>Quote &quot;q&quot;</option>',
            '<option value=""{}>none</option>',
        )

        def select(*chosen: int) -> str:
            html = "".join(
                o.format(" selected" if i in chosen else "") for i, o in enumerate(options)
            )
            head = '<select name="contact&quot;person" class="x" data-focus="" id="id_c">'
            return f"{head}{html}</select>"

        expected = [
            (None, select(0, 4)),
            (1, select(1)),
            ("2", select(2)),
            (["1", "2"], select(1, 2)),
            ("", select(0, 4)),
            ('a"b', select(3)),
        ]
        with override("nl"):
            for value, html in expected:
                with self.subTest(value=value):
                    self.assertEqual(
                        str(widget.render('contact"person', value, {"id": "id_c"})), html
                    )

    def test_it_escapes_as_django_does(self):
        # One pass of str.translate, not html.escape: the same text for every character
        # html.escape replaces, and for safe and lazy values conditional_escape's.
        from django.utils.html import conditional_escape

        from bondgenoot.lib.widgets import _escaped

        for value in (
            "a & b",
            "<i>",
            "\"q\" 'q'",
            "&amp;",
            "plain",
            7,
            mark_safe("<b>"),
            gettext_lazy("The mentor"),
        ):
            with self.subTest(value=value):
                self.assertEqual(_escaped(value), str(conditional_escape(value)))
