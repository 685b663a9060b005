"""Rules the capability matrix does not reach on its own; each was a surviving breakage
of ``make mutate-access`` until a test here caught it."""

from __future__ import annotations

from datetime import date, timedelta
from unittest import mock

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from bondgenoot import access
from bondgenoot.access import core
from bondgenoot.bridges.models import Bridge, Consent, KeyFigure
from bondgenoot.meetings.models import Meeting
from bondgenoot.people.models import Guardianship, Membership, Pupil, Role
from bondgenoot.people.schoolyear import current_school_year
from bondgenoot.testing import (
    BaseTestCase,
    make_bridge,
    make_group,
    make_key_figure,
    make_user,
)


class ParentPupilsTest(BaseTestCase):
    def test_it_forgets_a_child_who_left(self):
        pupil = Pupil.objects.get(family=self.jansen)
        self.assertIn(pupil, access.parent_pupils(self.parent))  # positive control
        Pupil.objects.filter(pk=pupil.pk).update(left_on=date.today())
        self.assertNotIn(pupil, access.parent_pupils(self.parent))

    def test_it_needs_parental_authority(self):
        pupil = Pupil.objects.get(family=self.jansen)
        self.assertIn(pupil, access.parent_pupils(self.parent))
        Guardianship.objects.filter(guardian__user=self.parent).update(parental_authority=False)
        self.assertNotIn(pupil, access.parent_pupils(self.parent))


class ParentShareAnswerTest(BaseTestCase):
    """A parent answers a proposed share (consent or no) only on the page of the child it
    is about, even when they may see both children."""

    def test_it_is_about_the_child_whose_page_it_is(self):
        from django.http import Http404

        from bondgenoot.network.models import Signal
        from bondgenoot.people.models import Guardian, Organisation
        from bondgenoot.portal.actions import ask_share_consent
        from bondgenoot.testing import make_agreement

        noah = Pupil.objects.get(family=self.jansen)
        other = Pupil.objects.get(family=self.el_amrani)
        mother = Guardian.objects.get(user=self.parent)
        Guardianship.objects.create(pupil=other, guardian=mother, relation="mother")
        version = make_agreement(
            self.admin, self.school, Organisation.objects.get(name="Leerplicht"),
            category="wellbeing", legal_basis="consent", consent_from="parents",
        )  # fmt: skip
        signal = Signal.objects.create(
            school=self.school, pupil=noah, category="wellbeing", observed_on=date.today(),
            observation="x", author=self.mentor,
        )  # fmt: skip
        ask = ask_share_consent(self.care, signal, version)
        self.assertEqual(access.get_parent_share_answer(self.parent, noah, ask.pk), ask)
        with self.assertRaises(Http404):
            access.get_parent_share_answer(self.parent, other, ask.pk)


class LoggablePupilsTest(BaseTestCase):
    def test_care_records_only_about_pupils_still_at_school(self):
        first, second = Pupil.objects.filter(family=self.yilmaz).order_by("date_of_birth")
        self.assertEqual(set(access.loggable_pupils(self.care, self.yilmaz)), {first, second})
        Pupil.objects.filter(pk=first.pk).update(left_on=date.today())
        self.assertEqual(set(access.loggable_pupils(self.care, self.yilmaz)), {second})


class NextStepOwnersTest(BaseTestCase):
    def test_it_offers_this_years_mentors_not_last_years(self):
        last_year = make_user("lastyear", school=self.school, roles=[Role.MENTOR])
        old = make_group(self.school, "1X", mentors=[last_year], year=current_school_year() - 1)
        Pupil.objects.filter(family=self.jansen).update(group=old)
        self.assertNotIn(last_year, access.next_step_owner_choices(self.jansen))
        old.school_year = current_school_year()
        old.save()
        self.assertIn(last_year, access.next_step_owner_choices(self.jansen))  # control


class EndedBridgeTest(BaseTestCase):
    def test_an_ended_bridge_opens_nothing(self):
        kf = KeyFigure.objects.create(
            school=self.school, name="K", kind="caretaker", user=self.keyfigure
        )
        bridge = Bridge.objects.create(family=self.jansen, key_figure=kf, introduced_by=self.care)
        mother = self.jansen.pupils.first().guardianships.first().guardian
        Consent.objects.create(
            bridge=bridge,
            guardian=mother,
            given_on=date.today(),
            how="phone",
            recorded_by=self.care,
        )
        self.assertTrue(access.consented_bridges(self.keyfigure).exists())  # control
        Bridge.objects.filter(pk=bridge.pk).update(ended_at=timezone.now())
        self.assertFalse(access.consented_bridges(self.keyfigure).exists())


class BridgeManagementTest(BaseTestCase):
    """Seeing a family's bridges (those who work with it) and managing them (those who
    may change the family) are separate rules; today the same people hold both. If the
    ledger were ever opened to administrators, they still could not manage bridges."""

    def test_reading_does_not_give_managing(self):
        kf = make_key_figure(self.school, "K", kind="caretaker")
        bridge = make_bridge(self.jansen, kf, self.care)
        self.assertEqual(access.get_bridge_for_edit(self.care, bridge.pk), bridge)  # control
        wider = {
            **core.CAPABILITIES,
            "ledger.whole_school": frozenset({Role.CARE_COORDINATOR, Role.ADMINISTRATOR}),
        }
        with mock.patch.dict(core.CAPABILITIES, wider), self.assertRaises(PermissionDenied):
            access.get_bridge_for_edit(self.admin, bridge.pk)


class MeetingOrganiserTest(BaseTestCase):
    def test_an_organiser_who_lost_the_role_no_longer_manages(self):
        now = timezone.now()
        meeting = Meeting.objects.create(
            school=self.school,
            kind="informal",
            title="Koffie",
            starts_at=now + timedelta(days=2),
            ends_at=now + timedelta(days=2, hours=1),
            place="Aula",
            created_by=self.mentor,
        )
        self.assertTrue(access.can_manage_meeting(self.mentor, meeting))  # control
        Membership.objects.filter(user=self.mentor).update(role=Role.TEACHER)
        access.forget_roles(self.mentor)
        self.assertFalse(access.can_manage_meeting(self.mentor, meeting))


class TranslationRequestRulesTest(BaseTestCase):
    """A key figure translates only for families they bridge with consent in force, all
    of them; only their own requests; a colleague holds a staff role at the school."""

    def setUp(self):
        from bondgenoot.messaging.models import TranslationRequest

        self.entry = make_key_figure(self.school, user=self.keyfigure, languages=["ar"])
        mother = Guardianship.objects.filter(pupil__family=self.el_amrani).first().guardian
        self.bridge = make_bridge(self.el_amrani, self.entry, self.care, consent_from=mother)
        self.asked = TranslationRequest.objects.create(
            school=self.school,
            asked_by=self.care,
            translator=self.keyfigure,
            via="key_figure",
            language="ar",
            subject="Hoi",
            body="Hoi",
            source="x",
        )
        self.asked.families.set([self.el_amrani])

    def offered(self, families):
        return [t.via for t in access.translators(self.care, self.school.pk, "ar", families)]

    def test_a_key_figure_is_offered_only_with_consent_for_every_family(self):
        self.assertEqual(self.offered({self.el_amrani.pk}), ["key_figure"])  # control
        self.assertEqual(self.offered({self.el_amrani.pk, self.yilmaz.pk}), [])
        self.assertEqual(self.offered(set()), [])
        self.assertEqual(access.translators(self.mentor, self.school.pk, "nl", set()), [])

    def test_the_request_goes_with_the_consent_and_is_only_the_translators(self):
        self.assertTrue(access.translation_requests_to_do(self.keyfigure).exists())  # control
        other = make_user("sleutel2", school=self.school, roles=[Role.KEY_FIGURE])
        make_bridge(
            self.el_amrani,
            make_key_figure(self.school, "Ander", user=other),
            self.care,
            consent_from=Guardianship.objects.filter(pupil__family=self.el_amrani).first().guardian,
        )
        self.assertFalse(access.translation_requests_to_do(other).exists())
        self.asked.families.add(self.yilmaz)  # a family without their bridge
        self.assertFalse(access.translation_requests_to_do(self.keyfigure).exists())
        self.asked.families.remove(self.yilmaz)
        Consent.objects.filter(bridge=self.bridge).update(withdrawn_at=timezone.now())
        self.assertFalse(access.translation_requests_to_do(self.keyfigure).exists())
        self.assertEqual(self.offered({self.el_amrani.pk}), [])
