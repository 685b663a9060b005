"""The Python-rendered radio buttons and check boxes (``lib.widgets``) give the same HTML
as Django's templates: ids, labels, checked and required, escaping."""

from django import forms
from django.test import SimpleTestCase

from bondgenoot.lib.widgets import FastCheckboxSelectMultiple, FastRadioSelect

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
