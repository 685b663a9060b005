"""The mentor rules answered over a family read with its people (the family page) give
the same answers as the querysets: ``visible_among`` as ``pupils_visible_to``, and
``mentors_family`` as ``mentored_family_ids``."""

from __future__ import annotations

from bondgenoot import access
from bondgenoot.people.models import Family, Group, Pupil, Role, User
from bondgenoot.testing import BaseTestCase, make_user


class VisibleAmongAgreesWithTheQuerysetTest(BaseTestCase):
    def test_it_gives_the_same_answer_for_every_user_and_family(self):
        # A mentor of 2B who teaches 1A: the taught rule too (Yilmaz has a pupil in each).
        both = make_user("both", school=self.school, roles=[Role.MENTOR, Role.TEACHER])
        self.group_2b.mentors.add(both)
        self.group_1a.teachers.add(both)
        # A pupil who left counts for neither.
        left = Pupil.objects.filter(family=self.yilmaz).first()
        Pupil.objects.filter(pk=left.pk).update(left_on="2026-09-01")
        answers = set()
        for user in User.objects.all():
            for family in Family.objects.all():
                access.forget_roles(user)
                pupils = Family.objects.with_summary().get(pk=family.pk).pupils.all()
                expected = set(
                    access.pupils_visible_to(user)
                    .filter(family=family, left_on__isnull=True)
                    .values_list("pk", flat=True)
                )
                self.assertEqual(
                    access.visible_among(user, pupils), expected, (user.username, family.name)
                )
                # Pupils who left among them (read with group and mentors) count for none.
                everyone = Pupil.objects.filter(family=family).select_related("group")
                everyone = everyone.prefetch_related("group__mentors")
                self.assertEqual(access.visible_among(user, everyone), expected)
                answers.add(len(expected))
        # Positive control: some users may pick pupils, others none.
        self.assertIn(0, answers)
        self.assertTrue(answers - {0})
        access.forget_roles(both)
        yilmaz = Pupil.objects.current().filter(family=self.yilmaz)
        self.assertEqual(len(access.visible_among(both, yilmaz)), 1)


class MentorsFamilyAgreesWithTheQuerysetTest(BaseTestCase):
    def test_it_gives_the_same_answer_for_every_user_and_family(self):
        # Last year's group of the mentor's, and a pupil who left: neither counts.
        old = make_user("old", school=self.school, roles=[Role.MENTOR])
        last_year = Group.objects.create(
            school=self.school, name="1A", school_year=self.group_1a.school_year - 1
        )
        last_year.mentors.add(old)
        Pupil.objects.filter(family=self.jansen).update(group=last_year)
        left = Pupil.objects.filter(family=self.yilmaz, group=self.group_2b).first()
        Pupil.objects.filter(pk=left.pk).update(left_on="2026-09-01")
        # Named a mentor of a group without the mentor role at the school: no mentor.
        self.group_2b.mentors.add(self.teacher)
        answers = []
        for user in User.objects.all():
            for family in Family.objects.all():
                access.forget_roles(user)
                loaded = Family.objects.with_summary().get(pk=family.pk)
                expected = family.pk in access.mentored_family_ids(user)
                self.assertEqual(
                    access.mentors_family(user, loaded), expected, (user.username, family.name)
                )
                self.assertEqual(access.mentors_family(user, family), expected)
                # Read with every pupil, those who left too: they count for none.
                everyone = Family.objects.prefetch_related("pupils__group__mentors")
                self.assertEqual(access.mentors_family(user, everyone.get(pk=family.pk)), expected)
                # Read with the answer ("Mijn gezinnen"): the same, without a query; read
                # with another user's answer, this user's own.
                flagged = access.with_mentored(user, Family.objects.all()).get(pk=family.pk)
                access.forget_roles(user)
                access.roles_by_school(user)
                with self.assertNumQueries(0):
                    self.assertEqual(access.mentors_family(user, flagged), expected)
                for other in (self.mentor, self.dual):
                    theirs = access.with_mentored(other, Family.objects.all()).get(pk=family.pk)
                    self.assertEqual(access.mentors_family(user, theirs), expected)
                answers.append(expected)
        self.assertIn(True, answers)  # positive control
        self.assertIn(False, answers)


class ParentChildrenReadOnceTest(BaseTestCase):
    def test_the_children_a_start_page_read_answer_is_parent_of(self):
        mine = Pupil.objects.get(family=self.jansen)
        other = Pupil.objects.filter(family=self.yilmaz).first()
        self.assertTrue(access.is_parent_of(self.parent, mine))  # positive control
        self.assertFalse(access.is_parent_of(self.parent, other))
        access.forget_roles(self.parent)
        access.remember_children(self.parent, list(access.parent_children(self.parent)))
        with self.assertNumQueries(0):
            self.assertTrue(access.is_parent_of(self.parent, mine))
            self.assertFalse(access.is_parent_of(self.parent, other))
        # Staff are nobody's parent here.
        self.assertFalse(access.is_parent_of(self.mentor, mine))
