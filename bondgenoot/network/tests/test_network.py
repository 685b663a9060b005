"""The care and safety network: per role, agreement versions, consent, only the agreed
fields leave the school, feedback terms in working days, restriction, retention,
emergency access and audited reads."""

import io
from datetime import date, timedelta

from django.core.management import call_command
from django.test import SimpleTestCase
from django.urls import reverse
from django.utils import timezone

from bondgenoot.audit.models import AuditEntry
from bondgenoot.network import actions
from bondgenoot.network.models import BreakGlass, Feedback, Share, Signal
from bondgenoot.network.workdays import add_working_days, easter, holidays, working_days_between
from bondgenoot.people.models import Guardian, Organisation, Pupil
from bondgenoot.testing import BaseTestCase

# Dates relative to today: the signal counts cover the last year, and consent cannot be
# given in the future.
RECENTLY = date.today() - timedelta(days=10)

SIGNAL = {
    "category": "absence",
    "observed_on": RECENTLY.isoformat(),
    "observed_where": "Lokaal 12",
    "observed_by": "",
    "observation": "Noah was deze week drie keer niet in de eerste les.",
    "pupil_words": "Ik moet 's ochtends op mijn broertje passen.",
    "interpretation": "Mogelijk zorgtaken thuis.",
    "parents_informed": "1",
}


class WorkdaysTest(SimpleTestCase):
    def test_dutch_public_holidays(self):
        self.assertEqual(easter(2026), date(2026, 4, 5))
        self.assertIn(date(2026, 4, 6), holidays(2026))  # Easter Monday
        self.assertIn(date(2026, 4, 27), holidays(2026))  # King's Day
        self.assertIn(date(2025, 4, 26), holidays(2025))  # the 27th was a Sunday
        self.assertIn(date(2026, 5, 14), holidays(2026))  # Ascension Day
        self.assertIn(date(2026, 5, 25), holidays(2026))  # Whit Monday

    def test_counting_working_days(self):
        # Thursday 24 December 2026 + 2 working days: skips Christmas, Boxing Day, Sunday.
        self.assertEqual(add_working_days(date(2026, 12, 24), 2), date(2026, 12, 29))
        self.assertEqual(working_days_between(date(2026, 12, 24), date(2026, 12, 29)), 2)
        self.assertEqual(working_days_between(date(2026, 12, 29), date(2026, 12, 24)), -2)


class NetworkTestCase(BaseTestCase):
    def setUp(self):
        self.noah = Pupil.objects.get(family=self.jansen)
        self.attendance_office = Organisation.objects.get(name="Leerplicht")
        self.youth_team = Organisation.objects.create(name="Wijkteam", kind="youth_team")
        self.version = actions.save_agreement(
            self.admin,
            self.school.pk,
            "absence",
            self.attendance_office,
            {
                "legal_basis": "legal_duty",
                "consent_from": "none",
                "fields": ["pupil_name", "category", "observation"],
                "feedback_days": 5,
                "convenant": "Convenant Leerplicht 2026",
                "active": True,
            },
        )

    def record(self, user=None, **fields):
        self.login(user or self.teacher)
        return self.client.post(
            reverse("network:new"), {"leerling": str(self.noah.pk), **SIGNAL, **fields}
        )


class RecordSignalTest(NetworkTestCase):
    def test_a_teacher_records_and_reads_back_only_their_own_without_interpretation(self):
        self.assertRedirects(self.record(), reverse("network:list"))
        signal = Signal.objects.get()
        self.assertEqual(signal.author, self.teacher)
        self.assertEqual(signal.interpretation, "Mogelijk zorgtaken thuis.")
        page = self.client.get(reverse("network:signal", args=[signal.pk]))
        self.assertContains(page, "drie keer niet")
        self.assertNotContains(page, "Mogelijk zorgtaken")
        other = Signal.objects.create(
            school=self.school,
            pupil=self.noah,
            category="bullying",
            observed_on=RECENTLY - timedelta(days=19),
            observation="Iemand anders schreef dit.",
            author=self.mentor,
        )
        self.assertEqual(
            self.client.get(reverse("network:signal", args=[other.pk])).status_code, 404
        )

    def test_the_care_coordinator_reads_everything_and_every_read_is_audited(self):
        self.record()
        signal = Signal.objects.get()
        self.login(self.care)
        page = self.client.get(reverse("network:signal", args=[signal.pk]))
        self.assertContains(page, "Mogelijk zorgtaken")
        entry = AuditEntry.objects.filter(action="view", object_type="network.signal").last()
        self.assertEqual(entry.actor_id, self.care.pk)
        chronology = self.client.get(reverse("network:chronology", args=[self.noah.pk]))
        self.assertContains(chronology, "drie keer niet")
        self.assertTrue(AuditEntry.objects.filter(detail__page="chronology").exists())

    def test_who_may_not_read(self):
        self.record()
        signal = Signal.objects.get()
        for user in (
            self.leader,
            self.admin,
            self.mentor,
            self.keyfigure,
            self.partner,
            self.outsider,
        ):
            self.login(user)
            self.assertEqual(
                self.client.get(reverse("network:signal", args=[signal.pk])).status_code, 404, user
            )
            self.assertEqual(
                self.client.get(reverse("network:chronology", args=[self.noah.pk])).status_code,
                404,
                user,
            )

    def test_a_label_is_pointed_out_once_and_nothing_typed_is_lost(self):
        response = self.record(observation="Noah is lui en brutaal in de les.")
        self.assertEqual(response.status_code, 400)
        self.assertEqual([f.text for f in response.context["labels"]], ["lui", "brutaal"])
        self.assertContains(response, "Noah is lui en brutaal in de les.", status_code=400)
        self.assertFalse(Signal.objects.exists())
        self.client.post(
            reverse("network:new"),
            {
                "leerling": str(self.noah.pk),
                **SIGNAL,
                "observation": "Noah is lui.",
                "labels_checked": "1",
            },
        )
        self.assertTrue(Signal.objects.exists())

    def test_not_informing_the_parents_needs_a_reason(self):
        response = self.record(parents_informed="0")
        self.assertEqual(response.status_code, 400)
        self.assertIn("parents_not_informed_reason", response.context["form"].errors)

    def test_only_pupils_the_user_may_pick(self):
        visser = Pupil.objects.get(family=self.visser)
        self.login(self.teacher)
        response = self.client.get(reverse("network:new") + f"?leerling={visser.pk}")
        self.assertEqual(response.status_code, 404)

    def test_a_malformed_or_missing_pupil_id_is_404(self):
        self.login(self.teacher)
        for query in ("?leerling=not-a-uuid", "?leerling=12", ""):
            with self.subTest(query=query):
                response = self.client.get(reverse("network:new") + query)
                self.assertEqual(response.status_code, 404)

    def test_a_leader_sees_counts_without_small_numbers(self):
        self.record()
        self.login(self.leader)
        page = self.client.get(reverse("network:counts"))
        self.assertEqual(page.status_code, 200)
        row = next(r for r in page.context["rows"] if r["count"])
        self.assertTrue(row["hidden"])
        self.assertNotContains(page, "Noah")

    def test_several_colleagues_noticing_something_is_hinted(self):
        self.record()
        self.record(user=self.mentor)
        self.login(self.care)
        page = self.client.get(reverse("network:list"))
        self.assertEqual([r["authors"] for r in page.context["several"]], [2])


class ShareTest(NetworkTestCase):
    def setUp(self):
        super().setUp()
        self.record()
        self.signal = Signal.objects.get()
        self.login(self.care)

    def share(self, version, **fields):
        return self.client.post(
            reverse("network:share", args=[self.signal.pk]), {"version": str(version.pk), **fields}
        )

    def test_only_the_agreed_fields_leave_the_school_and_the_share_is_logged(self):
        self.assertRedirects(
            self.share(self.version), reverse("network:signal", args=[self.signal.pk])
        )
        share = Share.objects.get()
        self.assertEqual(set(share.payload), {"pupil_name", "category", "observation"})
        self.assertNotIn("Ik moet", str(share.payload))  # the pupil's words were not agreed
        self.assertNotIn("zorgtaken", str(share.payload))  # never the interpretation
        self.assertEqual((share.version, share.legal_basis), (self.version, "legal_duty"))
        self.assertEqual(share.feedback_due, add_working_days(timezone.localdate(), 5))
        entry = AuditEntry.objects.get(action="export")
        self.assertEqual(entry.detail["agreement_version"], 1)

    def test_a_share_that_needs_consent_is_refused_without_it(self):
        version = actions.save_agreement(
            self.admin,
            self.school.pk,
            "absence",
            self.youth_team,
            {
                "legal_basis": "consent",
                "consent_from": "parents",
                "fields": ["pupil_name"],
                "feedback_days": 10,
                "convenant": "Wijkteam",
                "active": True,
            },
        )
        response = self.share(version)
        self.assertEqual(response.status_code, 400)
        self.assertFalse(Share.objects.exists())
        mother = Guardian.objects.filter(guardianships__pupil=self.noah).first()
        self.share(
            version,
            consent_guardian=str(mother.pk),
            consent_on=(RECENTLY + timedelta(days=5)).isoformat(),
        )
        self.assertEqual(Share.objects.get().consent_guardian, mother)

    def test_only_partners_with_an_agreement_for_the_category_are_offered(self):
        page = self.client.get(reverse("network:signal", args=[self.signal.pk]))
        self.assertEqual([v.pk for v in page.context["versions"]], [self.version.pk])
        bullying = actions.save_agreement(
            self.admin,
            self.school.pk,
            "bullying",
            self.youth_team,
            {
                "legal_basis": "public_task",
                "consent_from": "none",
                "fields": ["pupil_name"],
                "feedback_days": 10,
                "convenant": "x",
                "active": True,
            },
        )
        self.assertEqual(self.share(bullying).status_code, 400)
        self.assertFalse(Share.objects.exists())

    def test_a_new_version_applies_to_new_shares_and_old_shares_keep_theirs(self):
        self.share(self.version)
        v2 = actions.save_agreement(
            self.admin,
            self.school.pk,
            "absence",
            self.attendance_office,
            {
                "legal_basis": "legal_duty",
                "consent_from": "none",
                "fields": ["pupil_name", "category", "observation", "pupil_words"],
                "feedback_days": 3,
                "convenant": "Convenant Leerplicht 2027",
                "active": True,
            },
        )
        self.assertEqual(v2.number, 2)
        self.assertEqual(self.share(self.version).status_code, 400)  # v1 is no longer in force
        self.share(v2)
        first, second = Share.objects.order_by("shared_at")
        self.assertEqual((first.version.number, second.version.number), (1, 2))
        self.assertIn("pupil_words", second.payload)
        self.assertNotIn("pupil_words", first.payload)

    def test_a_restriction_is_set_by_care_only_and_audited(self):
        self.share(self.version)
        share = Share.objects.get()
        self.client.post(
            reverse("network:restrict", args=[share.pk]), {"reason": "Veiligheid van het kind"}
        )
        share.refresh_from_db()
        self.assertTrue(share.restricted)
        entry = AuditEntry.objects.filter(object_type="network.share", action="update").get()
        self.assertEqual(entry.detail["reason"], "Veiligheid van het kind")
        self.login(self.mentor)
        response = self.client.post(
            reverse("network:restrict", args=[share.pk]), {"reason": "x" * 20}
        )
        self.assertEqual(response.status_code, 404)


class PartnerTest(NetworkTestCase):
    def setUp(self):
        super().setUp()
        self.record()
        self.signal = Signal.objects.get()
        self.share = actions.share_signal(
            self.care,
            self.signal,
            self.version,
            consent_guardian=None,
            consent_by_pupil=False,
            consent_on=None,
            parents_informed=True,
        )

    def test_a_partner_sees_only_its_own_shares_and_only_the_agreed_fields(self):
        self.login(self.partner)  # attendance office, two-step login
        inbox = self.client.get(reverse("network:partner"))
        self.assertContains(inbox, "Noah")
        page = self.client.get(reverse("network:partner_share", args=[self.share.pk]))
        self.assertContains(page, "drie keer niet")
        self.assertNotContains(page, "broertje")
        self.assertNotContains(page, "zorgtaken")
        self.client.post(
            reverse("network:partner_share", args=[self.share.pk]),
            {"status": "taken_up", "note": "Gesprek gepland."},
        )
        self.assertEqual(Feedback.objects.get().status, "taken_up")
        # Another organisation's user sees nothing.
        self.partner.organisation = self.youth_team
        self.partner.save()
        self.assertEqual(
            self.client.get(reverse("network:partner_share", args=[self.share.pk])).status_code, 404
        )
        self.assertNotContains(self.client.get(reverse("network:partner")), "Noah")

    def test_staff_cannot_open_the_partner_pages(self):
        for user in (self.care, self.mentor):
            self.login(user)
            self.assertEqual(self.client.get(reverse("network:partner")).status_code, 403)
            url = reverse("network:partner_share", args=[self.share.pk])
            self.assertEqual(self.client.get(url).status_code, 404)

    def test_overdue_feedback_is_counted_in_working_days(self):
        Share.objects.filter(pk=self.share.pk).update(
            feedback_due=timezone.localdate() - timedelta(days=7)
        )
        self.login(self.care)
        row = self.client.get(reverse("network:list")).context["due"][0]
        self.assertGreaterEqual(row["overdue"], 4)


class RetentionTest(NetworkTestCase):
    def test_dry_run_reports_and_the_real_run_deletes_and_audits(self):
        self.record()
        signal = Signal.objects.get()
        Pupil.objects.filter(pk=self.noah.pk).update(left_on=date(2023, 7, 1))
        out = io.StringIO()
        call_command("apply_retention", "--dry-run", stdout=out)
        self.assertIn("Would delete: 1 signal(s)", out.getvalue())
        self.assertTrue(Signal.objects.exists())
        call_command("apply_retention", stdout=io.StringIO())
        self.assertFalse(Signal.objects.exists())
        entry = AuditEntry.objects.get(action="delete")
        self.assertEqual((entry.object_id, entry.detail["retention"]), (str(signal.pk), True))

    def test_recent_leavers_are_kept(self):
        self.record()
        Pupil.objects.filter(pk=self.noah.pk).update(
            left_on=timezone.localdate() - timedelta(days=30)
        )
        call_command("apply_retention", stdout=io.StringIO())
        self.assertTrue(Signal.objects.exists())


class BreakGlassTest(NetworkTestCase):
    def test_another_schools_care_coordinator_needs_a_typed_reason(self):
        from bondgenoot.people.models import Role
        from bondgenoot.testing import make_user

        other_care = make_user("othercare", school=self.other_school, roles=[Role.CARE_COORDINATOR])
        self.login(other_care)
        url = reverse("network:chronology", args=[self.noah.pk])
        self.assertEqual(self.client.get(url).status_code, 404)
        short = self.client.post(
            reverse("network:break_glass"),
            {"school": self.school.pk, "pupil_number": self.noah.pupil_number, "reason": "nodig"},
        )
        self.assertEqual(short.status_code, 400)
        reason = "Noah is vandaag bij ons binnengekomen na een incident; ik moet weten wie ik bel."
        response = self.client.post(
            reverse("network:break_glass"),
            {"school": self.school.pk, "pupil_number": self.noah.pupil_number, "reason": reason},
        )
        self.assertRedirects(response, url)
        self.assertEqual(self.client.get(url).status_code, 200)
        entry = AuditEntry.objects.filter(detail__break_glass=True).get()
        self.assertEqual((entry.school_id, entry.detail["reason"]), (self.school.pk, reason))
        BreakGlass.objects.update(until=timezone.now() - timedelta(minutes=1))
        self.assertEqual(self.client.get(url).status_code, 404)


class ChronologyTest(NetworkTestCase):
    def test_contacts_about_a_brother_or_sister_are_left_out(self):
        from bondgenoot.testing import add_contact

        yilmaz_pupils = list(Pupil.objects.filter(family=self.yilmaz).order_by("date_of_birth"))
        about_sibling = add_contact(self.yilmaz, self.care, note="Over de broer.")
        about_sibling.pupils.set([yilmaz_pupils[1]])
        add_contact(self.yilmaz, self.care, note="Over het hele gezin.")
        self.login(self.care)
        page = self.client.get(reverse("network:chronology", args=[yilmaz_pupils[0].pk]))
        self.assertContains(page, "Over het hele gezin.")
        self.assertNotContains(page, "Over de broer.")

    def test_emergency_access_shows_no_contacts_and_a_failed_lookup_is_logged(self):
        from bondgenoot.people.models import Role
        from bondgenoot.testing import add_contact, make_user

        add_contact(self.jansen, self.care, note="Gesprek thuis.")
        other_care = make_user("othercare", school=self.other_school, roles=[Role.CARE_COORDINATOR])
        self.login(other_care)
        reason = "Dringend: de leerling is bij ons opgevangen en we moeten weten wie we bellen."
        self.client.post(
            reverse("network:break_glass"),
            {"school": self.school.pk, "pupil_number": "nope", "reason": reason},
        )
        self.assertTrue(AuditEntry.objects.filter(detail__found=False).exists())
        self.client.post(
            reverse("network:break_glass"),
            {"school": self.school.pk, "pupil_number": self.noah.pupil_number, "reason": reason},
        )
        page = self.client.get(reverse("network:chronology", args=[self.noah.pk]))
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, "Gesprek thuis.")
