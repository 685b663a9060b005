"""``get_FOO_display()`` (lib/choices.py) gives what Django's own gives, for every field
with choices of every model, every choice and a value that is no choice, in Dutch and
English."""

from __future__ import annotations

from django.apps import apps
from django.test import SimpleTestCase
from django.utils import translation

from bondgenoot.contacts.models import Contact
from bondgenoot.lib.choices import django_display, installed


class ChoiceLabelsTest(SimpleTestCase):
    def test_every_field_with_choices_reads_as_in_django(self):
        checked = 0
        for model in apps.get_models():
            for field in model._meta.concrete_fields:
                if not field.choices:
                    continue
                self.assertTrue(installed(model, field.name), (model, field.name))
                values = [value for value, _label in field.flatchoices]
                for value in [*values, "no-such-choice", None]:
                    obj = model()
                    setattr(obj, field.attname, value)
                    display = getattr(obj, f"get_{field.name}_display")
                    for language in ("nl", "en"):
                        with translation.override(language):
                            self.assertEqual(
                                display(), django_display(obj, field), (model, field.name, value)
                            )
                            checked += 1
        self.assertGreater(checked, 200)

    def test_it_follows_the_language_of_the_moment(self):
        contact = Contact(tone="positive")
        with translation.override("en"):
            english = contact.get_tone_display()
        with translation.override("nl"):
            dutch = contact.get_tone_display()
        self.assertEqual(english, "Positive")
        self.assertNotEqual(dutch, english)
