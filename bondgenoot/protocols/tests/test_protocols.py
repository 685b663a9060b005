"""Protocols written together: a draft for its audience, comments per paragraph with a
reply each, the final version published with who commented in general terms, and
parents reading and commenting in the parent frame in their language."""

from __future__ import annotations

from django.urls import reverse

from bondgenoot import access
from bondgenoot.audit.models import AuditEntry
from bondgenoot.people.models import Pupil
from bondgenoot.protocols import actions
from bondgenoot.protocols.models import Comment, ProtocolVersion
from bondgenoot.testing import BaseTestCase

TEXT = "Wat we doen bij een signaal.\n\nWe bellen eerst de ouders.\n\nDaarna praten we samen."


def draft(by, school, **audience) -> ProtocolVersion:
    values = {"title": "Hoe we omgaan met signalen", "for_staff": False, **audience}
    return actions.open_draft(by, school.pk, values, TEXT, "We bellen u eerst.")


class ProtocolActionsTest(BaseTestCase):
    def test_it_opens_a_draft_in_paragraphs_and_audits_it(self):
        version = draft(self.care, self.school, for_parents=True)
        self.assertEqual(version.state, ProtocolVersion.State.CONSULTATION)
        self.assertEqual(version.number, 1)
        self.assertEqual(
            [p.text for p in version.paragraphs.all()],
            [
                "Wat we doen bij een signaal.",
                "We bellen eerst de ouders.",
                "Daarna praten we samen.",
            ],
        )
        self.assertTrue(
            AuditEntry.objects.filter(object_id=str(version.pk), action="create").exists()
        )

    def test_it_needs_an_audience(self):
        with self.assertRaises(actions.Refused):
            draft(self.care, self.school)
        self.assertTrue(draft(self.care, self.school, for_staff=True).pk)  # control

    def test_publishing_needs_a_reply_to_every_comment_then_versions_the_text(self):
        version = draft(self.care, self.school, for_staff=True, for_parents=True)
        paragraph = version.paragraphs.get(position=2)
        comment = actions.add_comment(self.parent, paragraph, "parent", "Bel ook de vader.")
        actions.add_comment(self.mentor, paragraph, "staff", "Graag binnen een dag.")
        with self.assertRaises(actions.Refused) as refused:
            actions.publish(self.care, version, TEXT, "Kort.")
        self.assertEqual(refused.exception.code, "unanswered")
        for c in Comment.objects.filter(paragraph=paragraph):
            actions.reply(self.care, c, "Goed punt, dat nemen we over.")
        final = actions.publish(self.care, version, TEXT + "\n\nWe bellen beide ouders.", "Kort.")
        version.refresh_from_db()
        self.assertEqual(version.state, ProtocolVersion.State.CLOSED)
        self.assertEqual((final.number, final.state), (2, ProtocolVersion.State.FINAL))
        self.assertEqual(final.paragraphs.count(), 4)
        self.assertEqual(final.commented_by, ["parent", "staff"])  # kinds, no names
        self.assertIsNotNone(final.published_at)
        comment.refresh_from_db()
        self.assertEqual(comment.replied_by, self.care)
        # The round is over: no more comments on it.
        with self.assertRaises(actions.Refused):
            actions.add_comment(self.parent, paragraph, "parent", "Nog iets.")

    def test_a_new_round_keeps_the_published_text_and_only_one_round_is_open(self):
        version = draft(self.care, self.school, for_staff=True)
        actions.publish(self.care, version, TEXT, "")
        protocol = version.protocol
        revision = actions.open_revision(self.care, protocol, TEXT + "\n\nNieuw.", "")
        self.assertEqual(revision.number, 3)
        with self.assertRaises(actions.Refused):
            actions.open_revision(self.care, protocol, TEXT, "")
        self.assertTrue(protocol.versions.filter(state="final").exists())


class ProtocolAccessTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.for_staff = draft(cls.care, cls.school, for_staff=True).protocol
        cls.for_partners = draft(cls.care, cls.school, for_partners=True).protocol
        cls.for_parents = draft(cls.care, cls.school, for_parents=True).protocol
        cls.elsewhere = draft(cls.care, cls.other_school, for_staff=True).protocol
        cls.pupil = Pupil.objects.filter(family=cls.jansen).first()

    def visible(self, user):
        return set(access.protocols_visible_to(user).values_list("pk", flat=True))

    def test_the_writer_sees_every_protocol_of_the_school_and_none_elsewhere(self):
        self.assertEqual(
            self.visible(self.care), {self.for_staff.pk, self.for_partners.pk, self.for_parents.pk}
        )

    def test_staff_and_partners_see_what_is_written_for_them(self):
        for user in (self.mentor, self.teacher, self.leader, self.admin):
            with self.subTest(user=user.username):
                self.assertEqual(self.visible(user), {self.for_staff.pk})
                self.assertEqual(access.commenter_kind(user, self.for_staff), "staff")
                self.assertIsNone(access.commenter_kind(user, self.for_partners))
        self.assertEqual(self.visible(self.partner), {self.for_partners.pk})
        self.assertEqual(access.commenter_kind(self.partner, self.for_partners), "partner")
        self.assertIsNone(access.commenter_kind(self.partner, self.for_staff))

    def test_others_see_none(self):
        for user in (self.keyfigure, self.parent):
            with self.subTest(user=user.username):
                self.assertEqual(self.visible(user), set())
        # A mentor at another school sees only that school's staff protocol.
        self.assertEqual(self.visible(self.outsider), {self.elsewhere.pk})

    def test_parents_see_protocols_for_parents_of_their_childs_school_only(self):
        self.assertEqual(
            set(access.parent_protocols(self.parent, self.pupil).values_list("pk", flat=True)),
            {self.for_parents.pk},
        )
        self.assertFalse(access.parent_protocols(self.mentor, self.pupil).exists())
        other_child = Pupil.objects.filter(family=self.visser).first()
        self.assertFalse(access.parent_protocols(self.parent, other_child).exists())

    def test_pages_refuse_outsiders_and_the_writer_alone_publishes(self):
        url = reverse("protocols:detail", args=[self.for_staff.pk])
        self.login(self.outsider)
        self.assertEqual(self.client.get(url).status_code, 404)
        self.login(self.partner)
        self.assertEqual(self.client.get(url).status_code, 404)
        self.login(self.mentor)
        self.assertEqual(self.client.get(url).status_code, 200)
        publish = reverse("protocols:publish", args=[self.for_staff.pk])
        data = {"publish-text": TEXT, "publish-summary": "", "publish": "1"}
        self.assertEqual(self.client.post(publish, data).status_code, 403)
        self.login(self.care)
        self.assertEqual(self.client.post(publish, data).status_code, 302)
        self.assertTrue(self.for_staff.versions.filter(state="final").exists())


class ProtocolPagesTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.version = draft(cls.care, cls.school, for_staff=True, for_parents=True)
        cls.protocol = cls.version.protocol
        cls.pupil = Pupil.objects.filter(family=cls.jansen).first()

    def test_the_care_coordinator_writes_a_draft_and_keeps_what_was_typed(self):
        self.login(self.care)
        url = reverse("protocols:new")
        response = self.client.post(url, {"title": "Pesten", "text": "Eerste alinea."})
        self.assertEqual(response.status_code, 400)  # no audience
        self.assertContains(response, "Eerste alinea.", status_code=400)
        response = self.client.post(
            url, {"title": "Pesten", "text": "Een.\n\nTwee.", "for_partners": "on"}
        )
        self.assertEqual(response.status_code, 302)
        version = ProtocolVersion.objects.get(protocol__title="Pesten")
        self.assertEqual(version.paragraphs.count(), 2)

    def test_staff_comment_per_paragraph_and_the_writer_replies(self):
        paragraph = self.version.paragraphs.get(position=1)
        self.login(self.mentor)
        url = reverse("protocols:comment", args=[self.protocol.pk, paragraph.pk])
        empty = self.client.post(url, {"p1-text": ""})
        self.assertEqual(empty.status_code, 400)
        self.assertEqual(
            self.client.post(url, {"p1-text": "Ook de mentor bellen."}).status_code, 302
        )
        comment = Comment.objects.get()
        self.assertEqual((comment.kind, comment.author), ("staff", self.mentor))
        # Another reader does not see it; the writer does, with the author's name.
        self.login(self.teacher)
        detail = reverse("protocols:detail", args=[self.protocol.pk])
        self.assertNotContains(self.client.get(detail), "Ook de mentor bellen.")
        self.login(self.care)
        self.assertContains(self.client.get(detail), "Ook de mentor bellen.")
        key = f"r{comment.pk.hex[:12]}-text"
        reply = reverse("protocols:reply", args=[self.protocol.pk, comment.pk])
        self.assertEqual(self.client.post(reply, {key: "Doen we."}).status_code, 302)
        comment.refresh_from_db()
        self.assertEqual(comment.reply, "Doen we.")
        self.login(self.mentor)
        self.assertEqual(self.client.post(reply, {key: "Zelf antwoorden"}).status_code, 403)

    def test_a_parent_comments_in_their_language_and_reads_the_published_summary(self):
        self.login(self.parent)
        listing = reverse("protocols:parent_list", args=[self.pupil.pk])
        page = self.client.get(listing)
        self.assertContains(page, "Hoe we omgaan met signalen")
        self.assertEqual(page["Cache-Control"].count("no-store"), 1)
        url = reverse("protocols:parent_version", args=[self.pupil.pk, self.version.pk])
        self.assertContains(self.client.get(url), "Uw reactie op dit stuk")
        paragraph = self.version.paragraphs.get(position=2)
        post = reverse(
            "protocols:parent_comment", args=[self.pupil.pk, self.version.pk, paragraph.pk]
        )
        empty = self.client.post(post, {"p2-text": ""})
        self.assertContains(empty, "Schrijf eerst uw reactie.", status_code=400)
        self.assertEqual(self.client.post(post, {"p2-text": "Graag ook een sms."}).status_code, 302)
        self.assertEqual(Comment.objects.get().kind, "parent")
        for c in Comment.objects.all():
            actions.reply(self.care, c, "Dat doen we.")
        final = actions.publish(self.care, self.version, TEXT, "We bellen u eerst.")
        actions.save_translation(self.care, final, "ar", "نتصل بك أولاً.")
        from bondgenoot.portal.models import ParentPreference

        ParentPreference.objects.update_or_create(user=self.parent, defaults={"language": "ar"})
        page = self.client.get(listing)
        self.assertContains(page, "نتصل بك أولاً.")
        self.assertContains(page, 'dir="rtl"')
        final_page = self.client.get(
            reverse("protocols:parent_version", args=[self.pupil.pk, final.pk])
        )
        self.assertContains(final_page, "الأهل")  # commented: parents, in general terms
        self.assertNotContains(final_page, "Uw reactie op dit stuk")  # closed: no form

    def test_a_parent_of_another_school_gets_404(self):
        other = Pupil.objects.filter(family=self.visser).first()
        self.login(self.parent)
        url = reverse("protocols:parent_version", args=[other.pk, self.version.pk])
        self.assertEqual(self.client.get(url).status_code, 404)
        own = reverse("protocols:parent_version", args=[self.pupil.pk, self.version.pk])
        self.assertEqual(self.client.get(own).status_code, 200)  # control
        self.login(self.mentor)
        self.assertNotEqual(self.client.get(own).status_code, 200)
