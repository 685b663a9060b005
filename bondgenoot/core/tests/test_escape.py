"""``lib.escape.escape_text`` (one ``str.translate``) escapes as Django's ``escape``."""

from django.test import SimpleTestCase
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from bondgenoot.lib.escape import escape_text


class EscapeTextTest(SimpleTestCase):
    def test_it_escapes_what_django_escapes(self):
        values = ("a & b", "<i>", "\"q\" 'q'", "&amp;", "plain", 7, None, mark_safe("<b>"))
        for value in (*values, gettext_lazy("The mentor"), "".join(map(chr, range(32, 127)))):
            with self.subTest(value=value):
                self.assertEqual(escape_text(value), str(escape(value)))
