"""The access policy, role by role (DESIGN.md's roles table)."""

from django.http import Http404

from bondgenoot import access
from bondgenoot.people.models import Membership, Pupil, Role
from bondgenoot.people.schoolyear import current_school_year
from bondgenoot.testing import BaseTestCase, make_group


def names(queryset) -> set[str]:
    return set(queryset.values_list("name", flat=True))


class FamiliesVisibleToTest(BaseTestCase):
    def test_it_shows_a_mentor_only_families_of_their_groups(self):
        self.assertEqual(names(access.families_visible_to(self.mentor)), {"Jansen", "Yilmaz"})

    def test_it_shows_a_care_coordinator_every_family_of_their_school(self):
        self.assertEqual(
            names(access.families_visible_to(self.care)), {"Jansen", "El Amrani", "Yilmaz"}
        )

    def test_it_shows_an_administrator_the_register_of_their_school(self):
        self.assertEqual(
            names(access.families_visible_to(self.admin)), {"Jansen", "El Amrani", "Yilmaz"}
        )

    def test_it_shows_a_teacher_no_family_pages(self):
        self.assertEqual(names(access.families_visible_to(self.teacher)), set())

    def test_it_shows_a_school_leader_no_families(self):
        self.assertEqual(names(access.families_visible_to(self.leader)), set())

    def test_it_shows_external_roles_nothing_without_consent_or_sharing(self):
        self.assertEqual(names(access.families_visible_to(self.keyfigure)), set())
        self.assertEqual(names(access.families_visible_to(self.partner)), set())

    def test_it_gives_a_parent_no_staff_family_page(self):
        # The staff page shows the whole family (step-siblings, another parent's address);
        # parents get their own view in the portal.
        self.assertEqual(names(access.families_visible_to(self.parent)), set())
        self.assertFalse(access.can_list_families(self.parent))

    def test_it_knows_the_pupils_a_parent_has_authority_over(self):
        self.assertEqual({p.family.name for p in access.parent_pupils(self.parent)}, {"Jansen"})
        self.parent.guardian_records.get().guardianships.update(parental_authority=False)
        self.assertFalse(access.parent_pupils(self.parent).exists())

    def test_it_keeps_schools_apart(self):
        self.assertEqual(names(access.families_visible_to(self.outsider)), {"Visser"})
        self.assertNotIn("Visser", names(access.families_visible_to(self.care)))

    def test_it_gives_a_user_with_two_roles_the_union(self):
        # dual: mentor of 2B and school leader. The leader role adds no families.
        self.assertEqual(names(access.families_visible_to(self.dual)), {"El Amrani", "Yilmaz"})
        Membership.objects.create(user=self.dual, school=self.school, role=Role.CARE_COORDINATOR)
        access.forget_roles(self.dual)
        self.assertEqual(
            names(access.families_visible_to(self.dual)), {"Jansen", "El Amrani", "Yilmaz"}
        )

    def test_it_ignores_last_years_mentor_groups(self):
        old = make_group(self.school, "3C", mentors=[self.outsider], year=current_school_year() - 1)
        Membership.objects.create(user=self.outsider, school=self.school, role=Role.MENTOR)
        Pupil.objects.filter(family=self.el_amrani).update(group=old)
        access.forget_roles(self.outsider)
        self.assertNotIn("El Amrani", names(access.families_visible_to(self.outsider)))

    def test_it_ignores_pupils_who_left(self):
        Pupil.objects.filter(family=self.jansen).update(left_on="2020-01-01")
        self.assertNotIn("Jansen", names(access.families_visible_to(self.mentor)))

    def test_it_shows_an_inactive_user_nothing(self):
        self.care.is_active = False
        self.assertEqual(names(access.families_visible_to(self.care)), set())

    def test_it_needs_a_membership_at_the_school_for_mentor_rights(self):
        # Listed as mentor of a group at a school where they have no mentor role: no access.
        self.group_2b.mentors.add(self.teacher)
        self.assertEqual(names(access.families_visible_to(self.teacher)), set())


class PupilsVisibleToTest(BaseTestCase):
    def test_it_lets_a_teacher_pick_pupils_they_teach(self):
        pupils = access.pupils_visible_to(self.teacher)
        self.assertEqual({p.family.name for p in pupils}, {"Jansen", "Yilmaz"})
        self.assertEqual(pupils.count(), 2)

    def test_it_gives_a_school_leader_and_externals_no_pupils(self):
        for user in (self.leader, self.keyfigure, self.partner):
            self.assertFalse(access.pupils_visible_to(user).exists(), user)

    def test_it_lets_the_outsider_see_only_their_school(self):
        self.assertEqual(
            {p.school_id for p in access.pupils_visible_to(self.outsider)}, {self.other_school.pk}
        )


class GetFamilyTest(BaseTestCase):
    def test_it_returns_a_visible_family(self):
        self.assertEqual(access.get_family(self.mentor, self.jansen.pk), self.jansen)

    def test_it_raises_404_for_an_invisible_family(self):
        with self.assertRaises(Http404):
            access.get_family(self.mentor, self.el_amrani.pk)
        with self.assertRaises(Http404):
            access.get_family(self.outsider, self.jansen.pk)

    def test_it_raises_404_for_nonsense_ids(self):
        with self.assertRaises(Http404):
            access.get_family(self.care, "not-a-uuid")


class CanEditFamilyTest(BaseTestCase):
    def test_it_allows_mentors_and_care_coordinators(self):
        self.assertTrue(access.can_edit_family(self.mentor, self.jansen))
        self.assertTrue(access.can_edit_family(self.care, self.el_amrani))

    def test_it_refuses_everyone_else(self):
        for user in (
            self.teacher,
            self.leader,
            self.admin,
            self.parent,
            self.outsider,
            self.keyfigure,
            self.partner,
        ):
            self.assertFalse(access.can_edit_family(user, self.jansen), user)
        self.assertFalse(access.can_edit_family(self.mentor, self.el_amrani))


class TwoFactorRolesTest(BaseTestCase):
    def test_it_requires_two_factor_for_care_administrators_and_partners_only(self):
        required = {
            u.username
            for u in (
                self.mentor,
                self.teacher,
                self.care,
                self.leader,
                self.admin,
                self.keyfigure,
                self.partner,
                self.parent,
                self.outsider,
                self.dual,
            )
            if access.requires_two_factor(u)
        }
        # Partners read shared signals: they too log in with a second step.
        self.assertEqual(required, {"care", "admin", "partner"})


class ContactsReadableOfTest(BaseTestCase):
    """``contacts_readable_of`` (a list's families, in Python) and ``contact_families``
    (a queryset) are two forms of one rule: those who work with the family."""

    def test_it_answers_as_the_queryset_for_every_role(self):
        from bondgenoot.people.models import Family

        # A care coordinator at one school who mentors a group at another.
        Membership.objects.create(user=self.care, school=self.other_school, role=Role.MENTOR)
        self.other_group.mentors.add(self.care)
        families = list(Family.objects.all())
        users = (self.mentor, self.care, self.dual, self.admin, self.teacher, self.leader)
        for user in (*users, self.outsider, self.keyfigure, self.partner, self.parent):
            access.forget_roles(user)
            with self.subTest(user=user.username):
                expected = set(access.contact_families(user).values_list("pk", flat=True))
                self.assertEqual(access.contacts_readable_of(user, families), expected)
                for family in families:
                    self.assertEqual(access.can_view_contacts(user, family), family.pk in expected)
        # Positive controls: the rule's two branches each let someone in.
        self.assertEqual(
            access.contacts_readable_of(self.care, families),
            {self.jansen.pk, self.el_amrani.pk, self.yilmaz.pk, self.visser.pk},
        )
        self.assertEqual(
            access.contacts_readable_of(self.mentor, families), {self.jansen.pk, self.yilmaz.pk}
        )
