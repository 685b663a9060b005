"""``guardian_id_for`` answers from the child read through ``parent_children`` what
``guardian_for`` answers with a query: the same guardian record for every login and
child (several records of one login, a record without authority, a child who left)."""

from __future__ import annotations

from uuid import UUID

from django.http import Http404

from bondgenoot import access
from bondgenoot.people.models import Guardian, Guardianship, Pupil, User
from bondgenoot.testing import BaseTestCase, count_queries


class GuardianIdForAgreesWithGuardianForTest(BaseTestCase):
    def test_it_gives_the_same_record_for_every_login_and_child(self):
        yilmaz = list(Pupil.objects.filter(family=self.yilmaz))
        # The parent's login on three more records: with authority over a Yilmaz child
        # and over their own child again, and one without authority over the other.
        for n, (pupil, authority) in enumerate(
            [(yilmaz[0], True), (yilmaz[1], False), (None, True), (None, True)]
        ):
            record = Guardian.objects.create(
                school=self.school, first_name=f"Record {n}", last_name="Jansen", user=self.parent
            )
            own = pupil or Pupil.objects.filter(family=self.jansen).first()
            Guardianship.objects.create(
                pupil=own, guardian=record, relation="parent", parental_authority=authority
            )
        # The lowest ids on Noah: the parent's record without authority, and another
        # guardian's (no login) with authority; neither is the parent's record for Noah.
        noah = Pupil.objects.filter(family=self.jansen).first()
        for n, (login, authority) in enumerate([(self.parent, False), (None, True)], start=1):
            record = Guardian.objects.create(
                id=UUID(int=n), school=self.school, last_name="Jansen", user=login
            )
            Guardianship.objects.create(
                pupil=noah, guardian=record, relation="parent", parental_authority=authority
            )
        # Another login with authority over a child who left: that child is not theirs.
        other = Guardian.objects.filter(guardianships__pupil__family=self.el_amrani).first()
        other.user = self.outsider
        other.save()
        Pupil.objects.filter(family=self.el_amrani).update(left_on="2026-09-01")
        answered = 0
        for user in User.objects.all():
            access.forget_roles(user)
            children = list(access.parent_children(user))
            for child in children:
                with self.subTest(user=user.username, child=child.first_name):
                    expected = access.guardian_for(user, child).pk
                    self.assertEqual(access.guardian_id_for(user, child), expected)
                    self.assertEqual(
                        count_queries(lambda u=user, c=child: access.guardian_id_for(u, c)), 0
                    )
                    answered += 1
            for pupil in Pupil.objects.exclude(pk__in=[c.pk for c in children]):
                # A pupil read otherwise: guardian_for's answer, 404 included.
                self.assertEqual(
                    self.answer(user, pupil, access.guardian_id_for),
                    self.answer(
                        user, pupil, lambda user, pupil: access.guardian_for(user, pupil).pk
                    ),
                )
        self.assertEqual(answered, 2)  # positive control: the parent's two children

    @staticmethod
    def answer(user, pupil, ask):
        try:
            return ask(user, pupil)
        except Http404:
            return "404"
