"""The cast of the parent's voice tests, on top of ``BaseTestCase``.

The ``parent`` user is one guardian of the Jansen family's pupil Noah.
The other Jansen guardian has parental authority too; their address, phone and
email must never reach the parent. We add a step-sibling (whose only guardian here is
the other guardian), a contact about Noah, one about Sara, one about Noah and Sara, a signal about
Noah with an interpretation, a share of it, and a share the parents may not know of.
"""

from __future__ import annotations

from datetime import date

from bondgenoot.network import actions as network_actions
from bondgenoot.network.models import Signal
from bondgenoot.people.models import Guardian, Guardianship, Organisation, Pupil
from bondgenoot.testing import BaseTestCase, add_contact


class VoiceTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.pupil = Pupil.objects.get(family=cls.jansen)
        cls.guardian = Guardian.objects.get(user=cls.parent)
        cls.other_guardian = (
            Guardian.objects.filter(guardianships__pupil=cls.pupil)
            .exclude(pk=cls.guardian.pk)
            .get()
        )
        cls.other_guardian.phone = "0699999999"
        cls.other_guardian.email = "other.parent@example.org"
        cls.other_guardian.street = "Geheimstraat 7"
        cls.other_guardian.save()
        cls.step_sibling = Pupil.objects.create(
            school=cls.school,
            family=cls.jansen,
            group=cls.group_1a,
            first_name="Stiefzus",
            last_name="Jansen",
            date_of_birth=date(2011, 1, 1),
            pupil_number="9901",
        )
        Guardianship.objects.create(
            pupil=cls.step_sibling, guardian=cls.other_guardian, relation="father"
        )
        cls.contact = add_contact(cls.jansen, cls.mentor, note="Goed gesprek over Noah.")
        cls.contact.pupils.set([cls.pupil])
        cls.sibling_contact = add_contact(cls.jansen, cls.mentor, note="Over de stiefzus.")
        cls.sibling_contact.pupils.set([cls.step_sibling])
        cls.both_contact = add_contact(cls.jansen, cls.mentor, note="Over beide kinderen.")
        cls.both_contact.pupils.set([cls.pupil, cls.step_sibling])
        cls.signal = network_actions.record_signal(
            cls.mentor,
            cls.pupil,
            {
                "category": "absence",
                "observed_on": date.today(),
                "observation": "Noah was twee dagen afwezig.",
                "interpretation": "GEHEIME-INTERPRETATIE",
            },
        )
        org = Organisation.objects.create(name="Leerplicht Zuid", kind="attendance")
        version = network_actions.save_agreement(
            cls.admin,
            cls.school.pk,
            "absence",
            org,
            {
                "legal_basis": "legal_duty",
                "consent_from": "none",
                "fields": ["pupil_name", "category", "observation"],
                "feedback_days": 5,
                "convenant": "Convenant 2026",
                "active": True,
            },
        )
        cls.share = network_actions.share_signal(
            cls.care,
            cls.signal,
            version,
            consent_guardian=None,
            consent_by_pupil=False,
            consent_on=None,
            parents_informed=True,
        )
        secret_org = Organisation.objects.create(name="Politie Geheim", kind="police")
        secret_version = network_actions.save_agreement(
            cls.admin,
            cls.school.pk,
            "absence",
            secret_org,
            {
                "legal_basis": "legal_duty",
                "consent_from": "none",
                "fields": ["category"],
                "feedback_days": 5,
                "convenant": "Convenant 2026",
                "active": True,
            },
        )
        cls.secret_share = network_actions.share_signal(
            cls.care,
            cls.signal,
            secret_version,
            consent_guardian=None,
            consent_by_pupil=False,
            consent_on=None,
            parents_informed=False,
        )
        network_actions.restrict_share(cls.care, cls.secret_share, "Veiligheid van het kind.")
        cls.el_amrani_pupil = Pupil.objects.get(family=cls.el_amrani)
        cls.el_amrani_contact = add_contact(cls.el_amrani, cls.dual, note="Ander gezin.")
        cls.el_amrani_signal = Signal.objects.create(
            school=cls.school,
            pupil=cls.el_amrani_pupil,
            category="absence",
            observed_on=date.today(),
            observation="Ander gezin.",
            author=cls.dual,
        )
