from io import StringIO

from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count
from django.test import TestCase, override_settings

from bondgenoot import access
from bondgenoot.audit.models import AuditEntry
from bondgenoot.people.models import Family, Guardian, Membership, Pupil, Role, User
from bondgenoot.seeding import DEMO_ACCOUNTS, seed


def snapshot() -> list:
    return list(Family.objects.order_by("id").values_list("id", "name")) + list(
        Guardian.objects.order_by("id").values_list("id", "first_name", "postcode", "email")
    )


@override_settings(DEBUG=True)
class SeedTest(TestCase):
    def test_it_loads_the_demo_scale(self):
        out = StringIO()
        call_command("seed", "--scale", "demo", stdout=out)
        self.assertEqual(Pupil.objects.count(), 120)
        self.assertTrue(190 <= Guardian.objects.count() <= 250, Guardian.objects.count())
        staff = Membership.objects.exclude(
            role__in=[Role.KEY_FIGURE, Role.PARTNER, Role.NETWORK_ANALYST]
        )
        self.assertEqual(staff.values("user").distinct().count(), 15)
        for username, *_rest in DEMO_ACCOUNTS:
            self.assertIn(username, out.getvalue())
            self.assertTrue(User.objects.get(username=username).check_password("bondgenoot-demo"))
        self.assertTrue(AuditEntry.objects.filter(action="seed").exists())
        analyst = User.objects.get(username="analist")
        self.assertTrue(analyst.check_password("bondgenoot-demo"))
        self.assertEqual(analyst.memberships.filter(role=Role.NETWORK_ANALYST).count(), 2)
        self.assert_the_demo_parent_has_a_rich_portal()

    def assert_the_demo_parent_has_a_rich_portal(self):
        from django.urls import reverse

        from bondgenoot.portal.models import Activation

        parent = User.objects.get(username="ouder")
        self.assertTrue(parent.check_password("bondgenoot-demo"))
        guardian = Guardian.objects.get(user=parent)
        activated = Activation.objects.filter(guardian=guardian, used_at__isnull=False)
        self.assertTrue(activated.exists())
        [child] = access.parent_children(parent)
        self.assertGreaterEqual(access.parent_contacts(parent, child, guardian).count(), 3)
        self.assertTrue(access.parent_signals(parent, child).filter(shares__isnull=False).exists())
        self.assertTrue(
            access.parent_bridges(parent, child)
            .filter(consents__guardian=guardian, consents__withdrawn_at__isnull=True)
            .exists()
        )
        self.assertTrue(access.parent_invitations(parent).exists())
        self.client.force_login(parent)
        for name in ("child", "recorded", "signals", "consents", "looked"):
            page = self.client.get(reverse(f"portal:{name}", args=[child.pk]))
            self.assertEqual(page.status_code, 200, name)
        # a protocol published and one in consultation, for parents too
        protocols = self.client.get(reverse("protocols:parent_list", args=[child.pk]))
        self.assertContains(protocols, "Hoe we omgaan met signalen")
        self.assertContains(protocols, "De Meldcode op onze school")
        # One child: the start page is the child's page (no second round trip).
        start = self.client.get("/", follow=True)
        self.assertEqual(start.redirect_chain, [(reverse("portal:home"), 302)])
        self.assertContains(start, 'aria-current="page"')

    def test_it_is_deterministic_per_seed(self):
        runs = []
        for seed_number in (7, 7, 8):
            with transaction.atomic():
                seed("demo", seed_number)
                runs.append(snapshot())
                transaction.set_rollback(True)
        self.assertEqual(runs[0], runs[1])
        self.assertNotEqual(runs[0], runs[2])

    def test_it_has_the_diversity_of_a_dutch_city(self):
        seed("demo", 1)
        languages = set(
            Guardian.home_languages.through.objects.values_list("language_id", flat=True)
        )
        self.assertTrue({"nl", "ar", "tr"} <= languages, languages)
        self.assertGreaterEqual(len(languages), 6)
        self.assertTrue(Guardian.objects.filter(email="").exists())
        sizes = Family.objects.annotate(n=Count("pupils")).values_list("n", flat=True)
        self.assertTrue({1, 2} <= set(sizes), "single children and siblings")
        guardians_per_family = {
            Guardian.objects.of_family(f).count() for f in Family.objects.all()[:60]
        }
        self.assertIn(1, guardians_per_family)  # one-parent families
        self.assertIn(2, guardians_per_family)

    def test_its_demo_mentor_sees_only_their_own_groups(self):
        seed("demo", 1)
        mentor = User.objects.get(username="mentor")
        visible = access.families_visible_to(mentor)
        self.assertTrue(visible.exists())
        self.assertLess(visible.count(), Family.objects.count())
        groups = set(
            Pupil.objects.filter(family__in=visible, group__mentors=mentor).values_list(
                "group", flat=True
            )
        )
        self.assertEqual(groups, set(mentor.mentor_groups.values_list("pk", flat=True)))
        parent = User.objects.get(username="ouder")
        self.assertTrue(access.parent_pupils(parent).exists())
        self.assertTrue(access.requires_two_factor(User.objects.get(username="zorg")))

    def test_it_refuses_a_database_with_data_unless_told_to_skip(self):
        seed("demo", 1)
        with self.assertRaisesMessage(CommandError, "has data already"):
            call_command("seed", stdout=StringIO())
        out = StringIO()
        call_command("seed", "--if-empty", stdout=out)
        self.assertIn("not loaded again", out.getvalue())
        self.assertEqual(Pupil.objects.count(), 120)
