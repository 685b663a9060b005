"""The parent rules of ``access.parentvoice`` on their own, beside the pages."""

from bondgenoot import access
from bondgenoot.people.models import Guardianship

from .base import VoiceTestCase


class ParentAccessTest(VoiceTestCase):
    def test_it_never_loads_the_interpretation_of_a_signal(self):
        signal = access.visible_signals_for_parent(self.parent, self.pupil).get()
        self.assertEqual(signal.observation, "Noah was twee dagen afwezig.")
        self.assertIn("interpretation", signal.get_deferred_fields())

    def test_it_shows_this_childs_contacts_only(self):
        contacts = set(access.visible_contacts_for_parent(self.parent, self.pupil))
        self.assertEqual(contacts, {self.contact})
        # The other guardian (with authority over both children) sees all three.
        self.assertEqual(
            set(access.visible_contacts_for_parent(self.other_guardian_user(), self.pupil)),
            {self.contact, self.both_contact},
        )

    def other_guardian_user(self):
        from bondgenoot.testing import make_user

        user = make_user("other-guardian")
        self.other_guardian.user = user
        self.other_guardian.save()
        return user

    def test_it_shows_nothing_without_authority_or_to_staff(self):
        self.assertTrue(access.visible_signals_for_parent(self.parent, self.pupil).exists())
        for user in (self.mentor, self.care):
            self.assertFalse(access.visible_contacts_for_parent(user, self.pupil).exists())
            self.assertFalse(access.visible_signals_for_parent(user, self.pupil).exists())
        Guardianship.objects.filter(guardian=self.guardian).update(parental_authority=False)
        access.forget_roles(self.parent)  # read once per request: a new request
        self.assertFalse(access.visible_contacts_for_parent(self.parent, self.pupil).exists())
        self.assertFalse(access.visible_shares_for_parent(self.parent, self.pupil).exists())

    def test_it_leaves_out_shares_the_parents_may_not_know_of(self):
        shares = set(access.visible_shares_for_parent(self.parent, self.pupil))
        self.assertEqual(shares, {self.share})

    def test_the_conversation_goes_to_the_contact_person_else_the_mentor(self):
        self.assertEqual(access.conversation_owner(self.pupil), self.mentor)
        self.jansen.contact_person = self.care
        self.jansen.save()
        self.pupil.refresh_from_db()
        self.assertEqual(access.conversation_owner(self.pupil), self.care)
