from pathlib import Path
from tempfile import TemporaryDirectory

from django.test import SimpleTestCase

from bondgenoot.lib.pofile import read_po

SAMPLE = r"""# header comment
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"

msgid "Log in"
msgstr "Inloggen"

#, fuzzy
msgid "Log out"
msgstr "Uitloggen?"

msgid ""
"A long text that "
"spans lines"
msgstr ""

msgctxt "menu"
msgid "Open"
msgstr "Openen"

msgid "{{ counter }} family"
msgid_plural "{{ counter }} families"
msgstr[0] "{{ counter }} gezin"
msgstr[1] ""

#~ msgid "Old"
#~ msgstr "Oud"
"""


class ReadPoTest(SimpleTestCase):
    def read(self):
        with TemporaryDirectory() as tmp:
            path = Path(tmp) / "django.po"
            path.write_text(SAMPLE, encoding="utf-8")
            return {e.msgid: e for e in read_po(path)}

    def test_it_reads_entries_and_their_state(self):
        entries = self.read()
        self.assertEqual(
            set(entries),
            {"Log in", "Log out", "A long text that spans lines", "Open", "{{ counter }} family"},
        )
        self.assertTrue(entries["Log in"].translated)
        self.assertTrue(entries["Log out"].fuzzy)
        self.assertFalse(entries["A long text that spans lines"].translated)
        self.assertEqual(entries["Open"].context, "menu")
        self.assertFalse(entries["{{ counter }} family"].translated)  # one plural missing
