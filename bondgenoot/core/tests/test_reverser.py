"""``lib.urls.reverser``: the same URLs as ``reverse``, one ``reverse`` for a page."""

import uuid

from django.test import SimpleTestCase
from django.urls import reverse
from django.utils import translation

from bondgenoot.lib.urls import reverser


class ReverserTest(SimpleTestCase):
    def test_it_gives_the_url_reverse_gives(self):
        for name in ("people:family", "contacts:new"):
            for lang in ("nl", "en"):
                with self.subTest(name=name, lang=lang), translation.override(lang):
                    url = reverser(name)
                    for pk in (uuid.uuid4(), uuid.uuid4(), str(uuid.uuid4())):
                        self.assertEqual(url(pk), reverse(name, args=[pk]))
