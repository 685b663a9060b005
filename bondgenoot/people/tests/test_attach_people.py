"""``attach_people`` (behind ``with_summary``) gives what Django's nested prefetching gives:
the same pupils, groups, mentors, guardianships, guardians and languages, in the same
order, without a query when read; and each group and guardian as one object."""

from datetime import date

from django.db.models import Prefetch

from bondgenoot.people.models import Family, Group, Guardian, Guardianship, Pupil
from bondgenoot.people.querysets import attach_people
from bondgenoot.testing import BaseTestCase, make_family, make_group, make_school, make_user


def named_mentors(group: Group) -> list:
    """A group's mentors in the order they were named (the link's id), read afresh."""
    links = Group.mentors.through.objects.filter(group=group).select_related("user")
    return [link.user for link in links.order_by("id")]


def described(family: Family, mentors=lambda group: list(group.mentors.all())) -> list:
    return [
        (
            pupil.pk,
            pupil.full_name,
            pupil.date_of_birth,
            pupil.family.pk,
            None
            if pupil.group is None
            else (
                pupil.group.pk,
                pupil.group.name,
                pupil.group.school_year,
                [(m.pk, m.get_full_name(), m.username) for m in mentors(pupil.group)],
            ),
            [
                (
                    link.pk,
                    link.pupil.pk,
                    link.relation,
                    link.parental_authority,
                    link.lives_with,
                    link.receives_post,
                    link.guardian.pk,
                    link.guardian.full_name,
                    link.guardian.email,
                    link.guardian.preferred_channels,
                    link.guardian.needs_interpreter,
                    link.guardian.written_language and link.guardian.written_language.code,
                    [lang.code for lang in link.guardian.home_languages.all()],
                )
                for link in pupil.guardianships.all()
            ],
        )
        for pupil in family.pupils.all()
    ]


def prefetched(pks) -> list[Family]:
    """The same, the way Django prefetches it."""
    return list(
        Family.objects.filter(pk__in=pks)
        .order_by("name")
        .prefetch_related(
            Prefetch(
                "pupils",
                Pupil.objects.current().select_related("group").order_by("date_of_birth", "id"),
            ),
            Prefetch(
                "pupils__guardianships",
                Guardianship.objects.select_related(
                    "guardian", "guardian__written_language"
                ).order_by("guardian__last_name", "id"),
            ),
            Prefetch("pupils__guardianships__guardian__home_languages"),
        )
    )


class AttachPeopleTest(BaseTestCase):
    def setUp(self):
        school = make_school()
        later, earlier = make_user("zeeman", school=school), make_user("aalders", school=school)
        first = make_group(school, "1A")
        first.mentors.add(earlier)  # named first, though made later
        first.mentors.add(later)
        second = make_group(school, "2B")
        self.big = make_family(
            school, [first, second, first], guardians=3, languages=("ar", "nl", "tr")
        )
        self.small = make_family(school, second, name="Yilmaz", guardians=1, written=None)
        self.empty = make_family(school, [], name="Leeg", guardians=0)
        pupils = list(Pupil.objects.filter(family=self.big).order_by("date_of_birth"))
        pupils[0].group = None  # a pupil without a group
        pupils[0].save()
        pupils[1].left_on = date(2024, 7, 1)  # a pupil who left: not shown
        pupils[1].save()
        Guardianship.objects.filter(pupil=pupils[2]).delete()  # a pupil without guardians
        # A stepfather of the small family is also linked to the big family's first pupil.
        stepfather = Guardian.objects.get(guardianships__pupil__family=self.small)
        Guardianship.objects.create(
            pupil=pupils[0], guardian=stepfather, relation=Guardianship.Relation.STEPPARENT
        )

    def test_it_reads_what_prefetching_reads(self):
        pks = [self.big.pk, self.small.pk, self.empty.pk]
        families = list(Family.objects.filter(pk__in=pks).order_by("name"))
        with self.assertNumQueries(2):  # the people, then the groups' mentors
            attach_people(families)
        with self.assertNumQueries(0):
            got = [described(f) for f in families]
        expected = [described(f, named_mentors) for f in prefetched(pks)]
        self.assertEqual(got, expected)
        # The data has what the test is about.
        self.assertEqual(
            [len(d) for d in got],
            [2, 0, 1],  # big: the one without group and the one without guardians; Leeg
        )
        self.assertIn(None, [pupil[4] for pupil in got[0]])
        self.assertEqual([m[2] for m in got[0][1][4][3]], ["aalders", "zeeman"])

    def test_each_group_and_guardian_is_one_object(self):
        families = list(Family.objects.filter(pk__in=[self.big.pk, self.small.pk]))
        attach_people(families)
        guardians: dict = {}
        for family in families:
            for pupil in family.pupils.all():
                self.assertIs(pupil.family, family)
                for link in pupil.guardianships.all():
                    self.assertIs(link.pupil, pupil)
                    self.assertIs(
                        guardians.setdefault(link.guardian.pk, link.guardian), link.guardian
                    )
        self.assertEqual(len(guardians), 4)

    def test_with_summary_attaches_them(self):
        family = Family.objects.with_summary().get(pk=self.big.pk)
        with self.assertNumQueries(0):
            got = described(family)
        self.assertEqual(got, described(prefetched([self.big.pk])[0], named_mentors))
