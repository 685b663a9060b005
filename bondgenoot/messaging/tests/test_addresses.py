"""Phone numbers of any country and email addresses we can really send to."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.test import SimpleTestCase

from bondgenoot.lib import addresses
from bondgenoot.lib.sms import is_mobile
from bondgenoot.messaging.planning import plan
from bondgenoot.people.models import Family, Guardian
from bondgenoot.testing import BaseTestCase


class PhoneNumbersTestCase(SimpleTestCase):
    def test_it_recognises_mobiles_of_any_country(self):
        for number in (
            "06 12345678",
            "+31 6 12345678",
            "0031612345678",
            "+212 612 345678",  # Morocco
            "+90 532 123 4567",  # Turkey
            "+380 50 123 4567",  # Ukraine
            "+48 512 345 678",  # Poland
            "+252 61 5123456",  # Somalia
        ):
            self.assertTrue(is_mobile(number), number)

    def test_it_does_not_take_a_landline_or_nonsense_for_a_mobile(self):
        for number in ("010 1234567", "+31 10 1234567", "+212 522 123456", "12345", "", "bel mij"):
            self.assertFalse(is_mobile(number), number)

    def test_it_stores_numbers_in_e164(self):
        self.assertEqual(addresses.normalise_phone("06-12 34 56 78"), "+31612345678")
        self.assertEqual(addresses.normalise_phone("00212 612 345678"), "+212612345678")
        self.assertEqual(addresses.normalise_phone("bel mij"), "bel mij")

    def test_it_refuses_a_number_it_cannot_use_with_a_clear_message(self):
        addresses.validate_phone("+90 532 123 4567")
        with self.assertRaisesMessage(ValidationError, "met landcode (+212"):
            addresses.validate_phone("12345")


class EmailAddressesTestCase(SimpleTestCase):
    def test_it_refuses_letters_before_the_at_with_a_reason(self):
        with self.assertRaisesMessage(ValidationError, "vóór de @"):
            addresses.validate_email_address("jösé@example.nl")

    def test_it_accepts_an_international_domain(self):
        addresses.validate_email_address("jan@bücher.de")
        self.assertTrue(addresses.can_send_email("jan@bücher.de"))

    def test_it_sends_an_international_domain_as_punycode(self):
        from django.core.mail import EmailMessage

        message = EmailMessage("Onderwerp", "Tekst", "school@school.nl", ["jan@bücher.de"])
        self.assertEqual(message.message()["To"], "jan@xn--bcher-kva.de")


class PlanningTestCase(BaseTestCase):
    def guardian(self) -> Guardian:
        return Guardian.objects.get(guardianships__pupil__family=self.el_amrani)

    def test_it_texts_a_foreign_mobile(self):
        guardian = self.guardian()
        guardian.email = ""
        guardian.phone = "00212 612 345678"
        guardian.preferred_channels = ["sms"]
        guardian.save()
        self.assertEqual(Guardian.objects.get(pk=guardian.pk).phone, "+212612345678")
        reachable, unreachable = plan(Family.objects.filter(pk=self.el_amrani.pk))
        self.assertEqual([(r.channel, r.address) for r in reachable], [("sms", "+212612345678")])
        self.assertEqual(unreachable, [])

    def test_it_never_sends_to_an_address_mail_servers_refuse(self):
        guardian = self.guardian()
        guardian.email = "jösé@example.nl"
        guardian.phone = ""
        guardian.preferred_channels = ["email"]
        guardian.save()
        reachable, unreachable = plan(Family.objects.filter(pk=self.el_amrani.pk))
        self.assertEqual(reachable, [])
        self.assertEqual(len(unreachable), 1)
        # Positive control: a plain address is used.
        guardian.email = "jose@example.nl"
        guardian.save()
        reachable, _ = plan(Family.objects.filter(pk=self.el_amrani.pk))
        self.assertEqual(
            [(r.channel, r.address) for r in reachable], [("email", "jose@example.nl")]
        )

    def test_the_model_refuses_bad_entries_on_clean(self):
        guardian = self.guardian()
        guardian.phone = "12345"
        guardian.email = "jösé@example.nl"
        with self.assertRaises(ValidationError) as caught:
            guardian.full_clean()
        self.assertEqual(set(caught.exception.message_dict), {"phone", "email"})
