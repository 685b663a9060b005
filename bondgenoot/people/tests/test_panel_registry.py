"""The panel registry's rules (``people.panels.register``)."""

from django.core.exceptions import ImproperlyConfigured
from django.test import SimpleTestCase

from bondgenoot.people.panels import Panel, _panels, register, registered


def _yes(page) -> bool:
    return True


class RegisterTest(SimpleTestCase):
    def tearDown(self):
        _panels.pop("test.panel", None)

    def test_it_takes_a_card_slots_part_as_card_and_every_other_as_template(self):
        register(Panel(name="test.panel", slot="list_card", order=1, applies=_yes, card=str))
        self.assertIn("test.panel", [p.name for p in registered(("list_card",))])
        register(Panel(name="test.panel", slot="top", order=1, applies=_yes, template="x.html"))
        self.assertIn("test.panel", [p.name for p in registered()])

    def test_it_refuses_a_card_slots_panel_without_card_or_with_a_template(self):
        for wrong in (
            Panel(name="test.panel", slot="list_card_end", order=1, applies=_yes, template="x"),
            Panel(name="test.panel", slot="list_card", order=1, applies=_yes),
            Panel(
                name="test.panel", slot="list_card", order=1, applies=_yes, template="x", card=str
            ),
        ):
            with self.subTest(panel=wrong), self.assertRaises(ImproperlyConfigured):
                register(wrong)
        self.assertNotIn("test.panel", _panels)

    def test_it_refuses_a_page_panel_with_card_or_without_template(self):
        for wrong in (
            Panel(name="test.panel", slot="top", order=1, applies=_yes),
            Panel(name="test.panel", slot="list_top", order=1, applies=_yes, card=str),
            Panel(name="test.panel", slot="top", order=1, applies=_yes, template="x", card=str),
        ):
            with self.subTest(panel=wrong), self.assertRaises(ImproperlyConfigured):
                register(wrong)
