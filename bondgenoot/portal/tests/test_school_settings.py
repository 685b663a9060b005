"""The school's settings (set by the administrator under /beheer/, read through
``people.school_settings``) where parents meet them in the portal: staff names in "who
looked" and "what the school recorded", how to reach the school, the languages offered,
and when a restriction comes up for review."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from bondgenoot.audit.log import record
from bondgenoot.audit.models import AuditEntry
from bondgenoot.people import school_settings
from bondgenoot.people.models import Guardian, SchoolSettings
from bondgenoot.portal import actions
from bondgenoot.portal.models import RestrictionReason
from bondgenoot.testing import add_contact

from .test_portal import PortalCase


def choose(school, **values):
    SchoolSettings.objects.update_or_create(school=school, defaults=values)


class SettingsCase(PortalCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.mentor.first_name, cls.mentor.last_name = "Mila", "de Vries"
        cls.mentor.save()


class TestStaffNames(SettingsCase):
    def setUp(self):
        record(
            self.mentor,
            AuditEntry.Action.VIEW,
            self.noah,
            school_id=self.school.pk,
            family_id=str(self.jansen.pk),
        )
        contact = add_contact(self.jansen, self.mentor, note="Gesprek over rooster")
        contact.pupils.set([self.noah])
        contact.guardians.set([self.mother])
        self.login(self.parent)

    def test_it_shows_role_and_organisation_but_no_names_by_default(self):
        self.assertIs(school_settings.defaults()["parents_see_staff_names"], False)
        for page in ("looked", "recorded"):
            response = self.client.get(self.url(page, self.noah.pk))
            self.assertNotContains(response, "Mila de Vries")
            self.assertContains(response, "Mentor")  # the role
            self.assertContains(response, self.school.name)  # the organisation

    def test_it_shows_names_when_the_school_says_so(self):
        choose(self.school, parents_see_staff_names=True)
        for page in ("looked", "recorded"):
            self.assertContains(self.client.get(self.url(page, self.noah.pk)), "Mila de Vries")

    def test_it_hides_names_when_the_school_says_no(self):
        choose(self.school, parents_see_staff_names=False)
        for page in ("looked", "recorded"):
            response = self.client.get(self.url(page, self.noah.pk))
            self.assertNotContains(response, "Mila de Vries")
            self.assertContains(response, "Mentor")


class TestHowToReachTheSchool(SettingsCase):
    def test_it_shows_only_what_the_school_set(self):
        self.login(self.parent)
        response = self.client.get(self.url("child", self.noah.pk))
        for label in ("Bereikbaar", "Telefoon van de school", "E-mail van de school"):
            self.assertNotContains(response, label)

    def test_it_shows_the_schools_times_phone_and_email(self):
        choose(
            self.school,
            reachable_times="ma–vr 8.30–16.00 uur",
            contact_phone="0101234567",
            contact_email="balie@school.example.org",
        )
        self.login(self.parent)
        response = self.client.get(self.url("child", self.noah.pk))
        self.assertContains(response, "<dt>Bereikbaar</dt><dd>ma–vr 8.30–16.00 uur</dd>", html=True)
        self.assertContains(response, "Telefoon van de school")
        self.assertContains(response, 'href="tel:0101234567"')
        self.assertContains(response, "E-mail van de school")
        self.assertContains(response, 'href="mailto:balie@school.example.org"')

    def test_it_labels_them_in_the_parents_language(self):
        choose(self.school, contact_phone="0101234567")
        self.login(self.parent)
        self.client.post(self.url("language"), {"language": "en", "next": "/ouders/"})
        self.assertContains(self.client.get(self.url("child", self.noah.pk)), "School phone")


class TestLanguagesOffered(SettingsCase):
    def picker(self, response):
        return [
            code
            for code in school_settings.FAMILY_LANGUAGES
            if f'value="{code}" lang=' in response.content.decode()
        ]

    def test_it_offers_all_eight_by_default(self):
        self.login(self.parent)
        response = self.client.get(self.url("child", self.noah.pk))
        self.assertEqual(self.picker(response), list(school_settings.FAMILY_LANGUAGES))

    def test_it_offers_only_the_schools_languages_and_dutch(self):
        choose(self.school, parent_languages=["en", "ar"])
        self.login(self.parent)
        response = self.client.get(self.url("child", self.noah.pk))
        self.assertEqual(self.picker(response), ["nl", "en", "ar"])

    def test_it_refuses_a_language_the_school_does_not_offer(self):
        choose(self.school, parent_languages=["nl", "ar"])
        self.login(self.parent)
        self.client.post(self.url("language"), {"language": "tr", "next": "/ouders/"})
        response = self.client.get(self.url("child", self.noah.pk))
        self.assertContains(response, 'lang="nl"')
        self.assertFalse(hasattr(self.parent, "parent_preference"))
        # positive control: an offered language sticks
        self.client.post(self.url("language"), {"language": "ar", "next": "/ouders/"})
        self.assertContains(self.client.get(self.url("child", self.noah.pk)), 'dir="rtl"')

    def test_it_falls_back_to_dutch_when_the_school_drops_the_chosen_language(self):
        self.login(self.parent)
        self.client.post(self.url("language"), {"language": "tr", "next": "/ouders/"})
        self.assertContains(self.client.get(self.url("child", self.noah.pk)), 'lang="tr"')
        choose(self.school, parent_languages=["nl", "en"])
        response = self.client.get(self.url("child", self.noah.pk))
        self.assertNotContains(response, 'lang="tr" selected')
        self.assertContains(response, '<html lang="nl"')

    def test_it_offers_what_any_of_the_parents_schools_offers(self):
        choose(self.school, parent_languages=["nl", "en"])
        choose(self.other_school, parent_languages=["nl", "pl"])
        Guardian.objects.create(school=self.other_school, last_name="Jansen", user=self.parent)
        self.login(self.parent)
        response = self.client.get(self.url("child", self.noah.pk))
        self.assertEqual(self.picker(response), ["nl", "en", "pl"])


class TestRestrictionReview(SettingsCase):
    def test_it_comes_up_for_review_after_the_schools_term(self):
        choose(self.school, restriction_review_weeks=4)
        contact = add_contact(self.jansen, self.mentor)
        restriction = actions.restrict(self.care, reason=RestrictionReason.POLICE, contact=contact)
        self.assertEqual(restriction.review_on, timezone.localdate() + timedelta(weeks=4))
        # the care coordinator's list shows that date
        self.login(self.care)
        response = self.client.get(reverse("portal:restrict", args=[self.jansen.pk]))
        self.assertContains(
            response,
            "opnieuw bekijken op " + date_format(restriction.review_on, "SHORT_DATE_FORMAT"),
        )

    def test_it_uses_the_default_term_otherwise(self):
        contact = add_contact(self.jansen, self.mentor)
        restriction = actions.restrict(self.care, reason=RestrictionReason.POLICE, contact=contact)
        self.assertEqual(restriction.review_on, timezone.localdate() + timedelta(weeks=26))


class TestSettingsReadWithTheLanguages(SettingsCase):
    """A parent's page reads its schools' settings with the languages offered
    (``school_settings.for_parent``): the same values as ``school_settings.values``."""

    def test_they_are_the_schools_values(self):
        Guardian.objects.create(school=self.other_school, last_name="Jansen", user=self.parent)
        cases = [
            {},  # no row: the defaults
            {"contact_phone": "0101234567", "reachable_times": "", "parent_languages": []},
            {"parents_see_staff_names": True, "small_cell": 12, "parent_languages": ["en"]},
            {"restriction_review_weeks": 4, "contact_email": "a@b.nl", "parent_languages": None},
        ]
        for chosen in cases:
            with self.subTest(chosen=chosen):
                SchoolSettings.objects.filter(school=self.school).delete()
                if chosen:
                    choose(self.school, **chosen)
                choose(self.other_school, signal_review_years=3)
                offered, by_school = school_settings.for_parent(self.parent.pk)
                self.assertEqual(offered, school_settings.parent_languages_for(self.parent.pk))
                self.assertEqual(set(by_school), {self.school.pk, self.other_school.pk})
                for school in (self.school, self.other_school):
                    self.assertEqual(by_school[school.pk], school_settings.values(school.pk))

    def test_the_childs_page_uses_them(self):
        choose(self.school, contact_phone="0101234567")
        self.login(self.parent)
        self.client.get(self.url("child", self.noah.pk))
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            self.assertContains(self.client.get(self.url("child", self.noah.pk)), "0101234567")
        read = [q["sql"] for q in ctx.captured_queries if "schoolsettings" in q["sql"]]
        self.assertEqual(len(read), 1, read)
