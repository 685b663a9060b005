"""Matching key figures to a family: the ranking and the reason given for each place."""

from datetime import date

from django.test import SimpleTestCase
from django.utils import timezone, translation

from bondgenoot.bridges.matching import (
    Candidate,
    FamilyFacts,
    matches_for,
    neighbouring,
    postcode_area,
    rank,
)
from bondgenoot.bridges.models import Bridge, Consent, KeyFigure
from bondgenoot.people.models import Guardian
from bondgenoot.testing import BaseTestCase, add_contact, make_family


def key_figure(name, *, max_families=None, agreed=True, kind="youth_worker"):
    return KeyFigure(
        name=name,
        kind=kind,
        max_families=max_families,
        agreement_on=date(2026, 1, 1) if agreed else None,
        confidentiality_signed=agreed,
    )


class RankTest(SimpleTestCase):
    family = FamilyFacts(languages=frozenset({"ar", "zgh", "nl"}), areas=("3081",))

    def ranked(self, *candidates):
        with translation.override("en"):
            return rank(self.family, list(candidates))

    def test_language_then_neighbourhood_then_load(self):
        amina = Candidate(key_figure("Amina"), frozenset({"zgh", "nl"}), frozenset({"3081"}), 2)
        bram = Candidate(key_figure("Bram"), frozenset({"nl"}), frozenset({"3081"}), 0)
        chadia = Candidate(key_figure("Chadia"), frozenset({"ar"}), frozenset({"3082"}), 5)
        dilan = Candidate(key_figure("Dilan"), frozenset({"ar"}), frozenset({"3082"}), 1)
        result = self.ranked(bram, chadia, amina, dilan)
        self.assertEqual([m.key_figure.name for m in result], ["Amina", "Dilan", "Chadia", "Bram"])
        self.assertEqual([m.score for m in result], [7, 5, 5, 3])
        self.assertEqual(
            result[0].reasons,
            [
                "Speaks Tamazight, like the family.",
                "Works in postcode area 3081, where the family lives.",
                "Bridges 2 families now.",
            ],
        )
        self.assertEqual(
            result[1].reasons,
            [
                "Speaks Arabic, like the family.",
                "Works in a neighbouring postcode area (3082).",
                "Bridges 1 family now.",
            ],
        )
        # Dutch alone is not a reason: every staff member speaks it.
        self.assertNotIn("Dutch", " ".join(result[3].reasons))

    def test_existing_links_count_and_are_explained(self):
        plain = Candidate(key_figure("Plain"), frozenset(), frozenset({"3081"}), 0)
        linked = Candidate(
            key_figure("Linked"),
            frozenset(),
            frozenset({"3081"}),
            3,
            knows_family=True,
            sibling_link=True,
            area_families=2,
        )
        result = self.ranked(plain, linked)
        self.assertEqual([m.key_figure.name for m in result], ["Linked", "Plain"])
        self.assertEqual(result[0].score, 3 + 2 + 2 + 1)
        self.assertIn("Was involved in an earlier contact with this family.", result[0].reasons)
        self.assertIn("Already bridges another family of the same parent.", result[0].reasons)
        self.assertIn("Already bridges 2 other families in 3081.", result[0].reasons)

    def test_full_and_unagreed_key_figures_come_last_and_say_why(self):
        full = Candidate(
            key_figure("Full", max_families=2), frozenset({"ar"}), frozenset({"3081"}), 2
        )
        unagreed = Candidate(
            key_figure("Unagreed", agreed=False), frozenset({"ar"}), frozenset({"3081"}), 0
        )
        staff = Candidate(
            key_figure("Staff", agreed=False, kind="caretaker"), frozenset(), frozenset(), 0
        )
        result = self.ranked(full, unagreed, staff)
        self.assertEqual([m.key_figure.name for m in result], ["Staff", "Full", "Unagreed"])
        self.assertTrue(result[0].available)  # internal staff need no separate agreement
        self.assertEqual(result[1].reasons[-1], "Full: bridges 2 of at most 2 families.")
        self.assertFalse(result[2].introducible)
        self.assertIn("cannot be introduced", result[2].reasons[-1])

    def test_postcode_areas(self):
        self.assertEqual(postcode_area("3081 AB"), "3081")
        self.assertEqual(postcode_area(" 3081AB"), "3081")
        self.assertEqual(postcode_area(""), "")
        self.assertTrue(neighbouring("3081", "3086"))
        self.assertFalse(neighbouring("3081", "3071"))
        self.assertFalse(neighbouring("3081", "3081"))


class MatchesForFamilyTest(BaseTestCase):
    """The facts come from the database: guardians' languages and postcodes, earlier
    contacts, bridges to the same parent's other family, and load."""

    def setUp(self):
        self.fatima = KeyFigure.objects.create(
            school=self.school,
            name="Fatima",
            kind="neighbourhood_parent",
            postcode_areas=["3081"],
            agreement_on=date(2026, 1, 1),
            confidentiality_signed=True,
        )
        self.fatima.languages.set(["zgh"])
        self.mustafa = KeyFigure.objects.create(
            school=self.school,
            name="Mustafa",
            kind="youth_worker",
            user=self.keyfigure,
            postcode_areas=["3071"],
            agreement_on=date(2026, 1, 1),
            confidentiality_signed=True,
        )
        KeyFigure.objects.create(school=self.other_school, name="Elsewhere", kind="youth_worker")

    def names(self, family):
        return [m.key_figure.name for m in matches_for(family)]

    def test_it_ranks_the_school_key_figures_for_the_family(self):
        self.assertEqual(self.names(self.el_amrani), ["Fatima", "Mustafa"])

    def test_an_earlier_contact_via_the_key_figure_counts(self):
        add_contact(self.el_amrani, self.dual, channel="key_figure", key_figure=self.keyfigure)
        add_contact(self.el_amrani, self.dual, channel="key_figure", key_figure=self.keyfigure)
        result = matches_for(self.el_amrani)
        mustafa = next(m for m in result if m.key_figure == self.mustafa)
        self.assertEqual(mustafa.score, 2)
        self.assertEqual([m.key_figure.name for m in result], ["Fatima", "Mustafa"])

    def test_a_bridge_to_the_same_parents_other_family_counts(self):
        # A half-sibling's family at this school shares a guardian with El Amrani.
        other = make_family(self.school, self.group_2b, name="Bakkali", guardians=0)
        mother = Guardian.objects.filter(guardianships__pupil__family=self.el_amrani).first()
        other.pupils.first().guardianships.create(guardian=mother, relation="mother")
        bridge = Bridge.objects.create(
            family=other, key_figure=self.mustafa, introduced_by=self.mentor
        )
        Consent.objects.create(
            bridge=bridge,
            guardian=mother,
            given_on=date(2026, 1, 2),
            how="phone",
            recorded_by=self.mentor,
        )
        result = matches_for(self.el_amrani)
        mustafa = next(m for m in result if m.key_figure == self.mustafa)
        # Same parent (2) and, since that family lives in 3081 too, the area (1).
        self.assertEqual(mustafa.score, 3)
        self.assertEqual(mustafa.load, 1)

    def test_load_and_the_area_count_come_from_open_bridges(self):
        # Open bridges: Jansen (3081, two guardians: one family), a family in 3071, and
        # a family of another school in 3081; an ended bridge to Yilmaz counts for
        # nothing. Load counts every open bridge; the area only the school's families
        # in El Amrani's area, each once.
        elders = make_family(self.school, self.group_1a, name="Elders", postcode="3071 CD")
        for family in (self.jansen, elders, self.visser):
            Bridge.objects.create(family=family, key_figure=self.fatima, introduced_by=self.mentor)
        Bridge.objects.create(
            family=self.yilmaz,
            key_figure=self.fatima,
            introduced_by=self.mentor,
            ended_at=timezone.now(),
        )
        with translation.override("en"):
            fatima = next(m for m in matches_for(self.el_amrani) if m.key_figure == self.fatima)
        self.assertEqual(fatima.load, 3)
        self.assertIn("Bridges 3 families now.", fatima.reasons)
        self.assertIn("Already bridges 1 other family in 3081.", fatima.reasons)
        self.assertNotIn("Already bridges another family of the same parent.", fatima.reasons)
        # Language (4), the same area (3), one other family in it (1).
        self.assertEqual(fatima.score, 8)

    def test_key_figures_already_linked_are_not_suggested_again(self):
        Bridge.objects.create(
            family=self.el_amrani, key_figure=self.fatima, introduced_by=self.mentor
        )
        self.assertEqual(self.names(self.el_amrani), ["Mustafa"])

    def test_it_reads_every_language_of_every_key_figure(self):
        # The El Amrani family speaks Arabic and Tamazight (and Dutch, which is no reason).
        self.fatima.languages.set(["ar", "en", "pl", "zgh"])
        self.mustafa.languages.set([])
        shared = {m.key_figure.name: m.shared_languages for m in matches_for(self.el_amrani)}
        self.assertEqual(shared, {"Fatima": ["ar", "zgh"], "Mustafa": []})
        self.mustafa.languages.set(["nl", "zgh"])
        shared = {m.key_figure.name: m.shared_languages for m in matches_for(self.el_amrani)}
        self.assertEqual(shared, {"Fatima": ["ar", "zgh"], "Mustafa": ["zgh"]})

    def test_its_query_count_does_not_grow_with_the_registry(self):
        from bondgenoot.testing import count_queries

        small = count_queries(lambda: matches_for(self.el_amrani))
        for n in range(15):
            kf = KeyFigure.objects.create(
                school=self.school, name=f"K{n}", kind="street_worker", postcode_areas=["3081"]
            )
            kf.languages.set(["ar", "nl"])
            Bridge.objects.create(family=self.jansen, key_figure=kf, introduced_by=self.mentor)
        large = count_queries(lambda: matches_for(self.el_amrani))
        self.assertEqual(small, large)
        self.assertLessEqual(large, 8)


class OpenBridgesTest(BaseTestCase):
    def test_it_selects_whether_a_consent_is_in_force_as_the_rule_says(self):
        from django.utils import timezone

        from bondgenoot.bridges.matching import open_bridges
        from bondgenoot.bridges.models import Bridge
        from bondgenoot.people.models import Guardian, Guardianship
        from bondgenoot.testing import make_bridge, make_key_figure

        guardians = list(Guardian.objects.filter(guardianships__pupil__family=self.jansen))
        kfs = [make_key_figure(self.school, name=f"Key figure {i}") for i in range(4)]
        none = make_bridge(self.jansen, kfs[0], self.mentor)
        given = make_bridge(self.jansen, kfs[1], self.mentor, consent_from=guardians[0])
        withdrawn = make_bridge(
            self.jansen, kfs[2], self.mentor, consent_from=guardians[0], withdrawn_at=timezone.now()
        )
        # A consent of a parent who has lost parental authority is not in force.
        without_authority = Guardian.objects.create(school=self.school, last_name="Oud")
        Guardianship.objects.create(
            pupil=self.jansen.pupils.first(),
            guardian=without_authority,
            relation="other",
            parental_authority=False,
        )
        lost = make_bridge(self.jansen, kfs[3], self.mentor, consent_from=without_authority)
        selected = {b.pk: b.consent_in_force for b in open_bridges(self.jansen)}
        self.assertEqual(
            selected, {none.pk: False, given.pk: True, withdrawn.pk: False, lost.pk: False}
        )
        # The same answers as the rule asked for one bridge (a query each).
        for bridge in Bridge.objects.filter(family=self.jansen):
            self.assertEqual(bridge.consent_in_force, selected[bridge.pk])
