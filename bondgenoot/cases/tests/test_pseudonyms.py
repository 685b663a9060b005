from datetime import date

from bondgenoot.cases import pseudonyms
from bondgenoot.people.models import Guardian, Pupil
from bondgenoot.testing import BaseTestCase


class PseudonymsTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.pupil = Pupil.objects.get(family=cls.el_amrani)
        Guardian.objects.filter(guardianships__pupil=cls.pupil).update(
            street="Dorpsstraat 12", postcode="3081 AB"
        )
        cls.ids = pseudonyms.identifiers([cls.pupil])

    def kinds(self, text):
        return [(h.text, h.kind) for h in pseudonyms.find(text, self.ids)]

    def test_it_finds_names_with_spelling_variants(self):
        # Noah El Amrani, mother Maria El Amrani
        self.assertEqual(self.kinds("Noah komt vaak te laat."), [("Noah", "name")])
        self.assertEqual(self.kinds("Moeder amarni belde."), [("amarni", "name")])
        self.assertEqual(
            self.kinds("Mevrouw AMRANI en Mária."), [("AMRANI", "name"), ("Mária", "name")]
        )

    def test_it_leaves_particles_and_ordinary_words(self):
        self.assertEqual(self.kinds("De leerling uit klas 2 is el blij met de les."), [])

    def test_it_finds_number_birth_date_street_and_postcode(self):
        born = self.pupil.date_of_birth
        text = (
            f"Nummer {self.pupil.pupil_number}, geboren {born:%d-%m-%Y} of {born.day} mei "
            f"{born.year}, woont Dorpsstraat 12, 3081ab."
        )
        kinds = [k for _t, k in self.kinds(text)]
        self.assertEqual(kinds, ["number", "date", "date", "address", "postcode"])
        self.assertEqual(born.month, 5)

    def test_it_does_not_take_another_date_for_the_birth_date(self):
        self.assertEqual(self.kinds("Gesprek op 01-05-2020 en 2 mei 2012."), [])
        self.assertNotEqual(self.pupil.date_of_birth, date(2012, 5, 2))

    def test_it_highlights_escaped(self):
        text = "<b>Noah</b>"
        html = pseudonyms.highlight(text, pseudonyms.find(text, self.ids))
        self.assertEqual(html, "&lt;b&gt;<mark>Noah</mark>&lt;/b&gt;")
