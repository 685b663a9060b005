"""Pupils and guardians: a guardian's phone (phonenumbers), a pupil mid-year, moving a
pupil (history kept), a pupil who left (retention starts), guardianships, merging
two families."""

from datetime import date

from django.urls import reverse

from bondgenoot import access
from bondgenoot.administration.models import Placement
from bondgenoot.audit.models import AuditEntry
from bondgenoot.contacts.models import Contact, FamilySummary
from bondgenoot.network.models import Signal
from bondgenoot.people.models import Family, Guardian, Guardianship, Pupil
from bondgenoot.testing import BaseTestCase, add_contact, make_family


class GuardianTest(BaseTestCase):
    def setUp(self):
        self.login(self.admin)
        self.guardian = Guardian.objects.filter(guardianships__pupil__family=self.jansen).first()
        self.url = reverse("administration:guardian", args=[self.guardian.pk])

    def data(self, **extra):
        return {
            "first_name": self.guardian.first_name,
            "last_name": self.guardian.last_name,
            "phone": "06 4321 8765",
            "email": "Maria@Example.org",
            "postcode": "3081ab",
            "home_languages": ["nl"],
            "written_language": "nl",
            "preferred_channels": ["phone"],
            **extra,
        }

    def test_it_normalises_a_phone_number_and_logs_which_fields_changed(self):
        response = self.client.post(self.url, self.data())
        self.assertEqual(response.status_code, 302)
        self.guardian.refresh_from_db()
        self.assertEqual(self.guardian.phone, "+31643218765")
        self.assertEqual(self.guardian.email, "maria@example.org")
        self.assertEqual(self.guardian.postcode, "3081 AB")
        entry = AuditEntry.objects.get(object_id=str(self.guardian.pk), action="update")
        self.assertIn("phone", entry.detail["fields"])
        self.assertNotIn("+31643218765", str(entry.detail))

    def test_it_accepts_a_mobile_of_another_country(self):
        self.client.post(self.url, self.data(phone="+32 470 12 34 56"))
        self.guardian.refresh_from_db()
        self.assertEqual(self.guardian.phone, "+32470123456")

    def test_it_refuses_a_wrong_number_clearly_and_keeps_what_was_typed(self):
        before = self.guardian.phone
        response = self.client.post(self.url, self.data(phone="06 123", email="not-an-email"))
        self.assertEqual(response.status_code, 400)
        self.assertContains(
            response, "Met dit telefoonnummer kunnen we niet bellen", status_code=400
        )
        self.assertContains(response, 'value="06 123"', status_code=400)
        self.assertContains(response, 'value="not-an-email"', status_code=400)
        self.guardian.refresh_from_db()
        self.assertEqual(self.guardian.phone, before)  # nothing saved


class PupilTest(BaseTestCase):
    def setUp(self):
        self.login(self.admin)
        self.pupil = Pupil.objects.get(family=self.jansen)

    def test_it_adds_a_pupil_mid_year_to_a_new_family_or_a_siblings(self):
        data = {
            "first_name": "Daan",
            "last_name": "de Wit",
            "date_of_birth": "2013-02-03",
            "pupil_number": "77001",
            "group": self.group_1a.pk,
        }
        response = self.client.post(reverse("administration:pupil_new"), data)
        daan = Pupil.objects.get(pupil_number="77001")
        self.assertRedirects(response, reverse("administration:pupil", args=[daan.pk]))
        self.assertEqual(daan.family.name, "Gezin de Wit")
        self.assertEqual(Placement.objects.get(pupil=daan).group, self.group_1a)
        # A sibling joins the family of the pupil number given.
        data |= {"pupil_number": "77002", "first_name": "Eva", "sibling_number": "77001"}
        self.client.post(reverse("administration:pupil_new"), data)
        self.assertEqual(Pupil.objects.get(pupil_number="77002").family, daan.family)
        # The same number twice is refused, with the form kept.
        response = self.client.post(reverse("administration:pupil_new"), data)
        self.assertContains(response, "Er is al een leerling", status_code=400)
        self.assertContains(response, 'value="Eva"', status_code=400)

    def test_it_moves_a_pupil_and_keeps_the_history(self):
        url = reverse("administration:pupil_move", args=[self.pupil.pk])
        self.client.post(url, {"move-group": self.group_2b.pk})
        self.pupil.refresh_from_db()
        self.assertEqual(self.pupil.group, self.group_2b)
        history = list(Placement.objects.filter(pupil=self.pupil).order_by("pk"))
        self.assertEqual([p.group for p in history], [self.group_1a, self.group_2b])
        self.assertIsNotNone(history[0].ended_on)
        self.assertIsNone(history[1].ended_on)
        # The mentors follow: 1A's mentor no longer sees the family, 2B's does.
        access.forget_roles(self.mentor)
        access.forget_roles(self.dual)
        self.assertFalse(access.families_visible_to(self.mentor).filter(pk=self.jansen.pk))
        self.assertTrue(access.families_visible_to(self.dual).filter(pk=self.jansen.pk))

    def test_it_marks_a_pupil_as_left_so_retention_starts(self):
        url = reverse("administration:pupil_left", args=[self.pupil.pk])
        self.client.post(url, {"left-left_on": "2026-03-01"})
        self.pupil.refresh_from_db()
        self.assertEqual(self.pupil.left_on, date(2026, 3, 1))
        placement = Placement.objects.get(pupil=self.pupil)
        self.assertEqual((placement.ended_on, placement.why), (date(2026, 3, 1), "left"))
        response = self.client.post(url, {"left-left_on": ""})
        self.assertEqual(response.status_code, 400)

    def test_it_changes_parental_authority_and_access_follows_at_once(self):
        link = Guardianship.objects.filter(pupil=self.pupil).order_by("pk").first()
        before = set(Guardian.objects.with_authority(family=self.jansen))
        self.assertIn(link.guardian, before)
        url = reverse("administration:guardianship", args=[self.pupil.pk, link.pk])
        self.client.post(
            url, {f"link{link.pk}-relation": "mother", f"link{link.pk}-lives_with": "on"}
        )
        self.assertNotIn(link.guardian, set(Guardian.objects.with_authority(family=self.jansen)))
        entry = AuditEntry.objects.get(object_type="people.guardianship", action="update")
        self.assertEqual(entry.detail["changes"]["parental_authority"], {"from": True, "to": False})
        # Unlink.
        self.client.post(url, {f"link{link.pk}-relation": "mother", "unlink": "1"})
        self.assertFalse(Guardianship.objects.filter(pk=link.pk).exists())

    def test_it_links_a_parent_of_a_sibling_and_adds_a_new_one(self):
        yilmaz = list(Pupil.objects.filter(family=self.yilmaz).order_by("pk"))
        link = Guardianship.objects.filter(pupil=yilmaz[0]).first()
        link.delete()
        url = reverse("administration:guardian_link", args=[yilmaz[0].pk])
        self.client.post(
            url,
            {
                "link-guardian": str(link.guardian_id),
                "link-relation": "father",
                "link-parental_authority": "on",
            },
        )
        self.assertTrue(Guardianship.objects.filter(pupil=yilmaz[0], guardian=link.guardian_id))
        url = reverse("administration:guardian_new", args=[yilmaz[0].pk])
        response = self.client.post(
            url,
            {
                "guardian-last_name": "Yilmaz",
                "guardian-first_name": "Oma",
                "guardian-phone": "0612",
                "link-relation": "grandparent",
            },
        )
        self.assertContains(response, "kunnen we niet bellen", status_code=400)
        self.assertContains(response, 'value="Oma"', status_code=400)
        self.client.post(
            url,
            {
                "guardian-last_name": "Yilmaz",
                "guardian-first_name": "Oma",
                "link-relation": "grandparent",
            },
        )
        self.assertTrue(
            Guardianship.objects.filter(
                pupil=yilmaz[0], guardian__first_name="Oma", relation="grandparent"
            )
        )


class MergeTest(BaseTestCase):
    def test_it_merges_two_families_with_their_contacts_and_signals(self):
        double = make_family(self.school, self.group_1a, name="Jansen-dubbel")
        pupil = Pupil.objects.get(family=double)
        contact = add_contact(double, self.mentor)
        signal = Signal.objects.create(
            school=self.school,
            pupil=pupil,
            category="absence",
            observed_on=date.today(),
            observation="Te laat.",
            author=self.mentor,
        )
        # Rows that point at a family without a way back (related_name="+").
        from datetime import timedelta

        from django.utils import timezone

        from bondgenoot.meetings.models import Attendance, Invitation, Meeting

        now = timezone.now()
        meeting = Meeting.objects.create(
            school=self.school,
            kind="informal",
            title="Koffie",
            starts_at=now + timedelta(days=1),
            ends_at=now + timedelta(days=1, hours=1),
            place="Aula",
            created_by=self.leader,
        )
        meeting.families.add(double, self.jansen)
        guardian = Guardian.objects.filter(guardianships__pupil=pupil).first()
        invitation = Invitation.objects.create(
            meeting=meeting, family=double, guardian=guardian, how="email"
        )
        Attendance.objects.create(meeting=meeting, family=double, checked_in_by=self.mentor)
        Attendance.objects.create(meeting=meeting, family=self.jansen, checked_in_by=self.mentor)
        keep_number = Pupil.objects.get(family=self.jansen).pupil_number
        self.login(self.admin)
        url = reverse("administration:family_merge")
        data = {"keep": keep_number, "drop": pupil.pupil_number}
        preview = self.client.post(url, data)
        self.assertEqual(preview.status_code, 200)
        self.assertContains(preview, "Jansen-dubbel")
        self.assertTrue(Family.objects.filter(pk=double.pk).exists())  # nothing moved yet
        self.client.post(url, data | {"confirm": "on"})
        self.assertFalse(Family.objects.filter(pk=double.pk).exists())
        contact.refresh_from_db()
        signal.refresh_from_db()
        self.assertEqual(contact.family_id, self.jansen.pk)
        self.assertEqual(signal.pupil.family_id, self.jansen.pk)
        self.assertEqual(Pupil.objects.filter(family=self.jansen).count(), 2)
        self.assertTrue(FamilySummary.objects.filter(family=self.jansen).exists())
        self.assertEqual(Contact.objects.filter(family=self.jansen).count(), 1)
        entry = AuditEntry.objects.get(object_id=str(self.jansen.pk), action="update")
        self.assertEqual(entry.detail["moved"]["contacts.contact"], 1)
        self.assertTrue(AuditEntry.objects.filter(object_id=str(double.pk), action="delete"))
        invitation.refresh_from_db()
        self.assertEqual(invitation.family_id, self.jansen.pk)
        self.assertEqual(list(meeting.families.all()), [self.jansen])
        # The same family at the same meeting once: the duplicate check-in is dropped.
        self.assertEqual(Attendance.objects.filter(meeting=meeting).count(), 1)

    def test_it_refuses_unknown_numbers_and_the_same_family(self):
        self.login(self.admin)
        number = Pupil.objects.get(family=self.jansen).pupil_number
        url = reverse("administration:family_merge")
        response = self.client.post(url, {"keep": number, "drop": number, "confirm": "on"})
        self.assertContains(response, "al in hetzelfde gezin", status_code=400)
        visser = Pupil.objects.get(family=self.visser).pupil_number
        response = self.client.post(url, {"keep": number, "drop": visser, "confirm": "on"})
        self.assertContains(response, "Geen leerling met dit nummer", status_code=400)
        self.assertTrue(Family.objects.filter(pk=self.visser.pk).exists())
