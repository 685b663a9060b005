"""The fast path for Dutch mobiles gives exactly what the full phonenumbers parse gives."""

from __future__ import annotations

import random

from django.test import SimpleTestCase

from bondgenoot.lib.addresses import normalise_phone, parse
from bondgenoot.roster.formats.text import e164


class PhoneTest(SimpleTestCase):
    def test_the_fast_path_agrees_with_phonenumbers(self):
        rng = random.Random(17)
        samples = [f"06{rng.randrange(10**8):08d}" for _ in range(3000)]
        samples += [f"06-{rng.randrange(10**8):08d}" for _ in range(300)]
        samples += [f"+31 6 {rng.randrange(10**8):08d}" for _ in range(300)]
        samples += [f"0031 6{rng.randrange(10**8):08d}" for _ in range(300)]
        samples += ["06 1234 567", "06 1234 56789", "0612345678x", "+212 612 345678", "010 1234567"]
        for raw in samples:
            expected = normalise_phone(raw) if parse(raw) is not None else None
            self.assertEqual(e164(raw), expected, raw)
