"""``visible_among`` (the pupils of a family page a user may pick, answered over pupils
read already) gives the same answer as the ``pupils_visible_to`` queryset."""

from __future__ import annotations

from bondgenoot import access
from bondgenoot.people.models import Family, Pupil, Role, User
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
                pupils = Pupil.objects.current().filter(family=family)
                expected = set(
                    access.pupils_visible_to(user)
                    .filter(family=family, left_on__isnull=True)
                    .values_list("pk", flat=True)
                )
                self.assertEqual(
                    access.visible_among(user, pupils), expected, (user.username, family.name)
                )
                answers.add(len(expected))
        # Positive control: some users may pick pupils, others none.
        self.assertIn(0, answers)
        self.assertTrue(answers - {0})
        access.forget_roles(both)
        yilmaz = Pupil.objects.current().filter(family=self.yilmaz)
        self.assertEqual(len(access.visible_among(both, yilmaz)), 1)
