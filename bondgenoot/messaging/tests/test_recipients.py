"""The message page's table of recipients, read as rows and written in Python
(``messaging.recipients``), is the HTML the template wrote: every channel and status,
answers and none, escaped, in Dutch and English; and its pages hold every delivery once."""

from datetime import UTC, datetime
from unittest import mock

from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from bondgenoot.messaging.models import Delivery, Message, Reply
from bondgenoot.messaging.recipients import recipients_page
from bondgenoot.people.models import Guardian
from bondgenoot.testing import BaseTestCase, make_family

# The template the rows were written by, kept as the oracle.
ORACLE = Template(
    """{% load dates %}{% for d in deliveries %}<tr>
    <td><a href="{% url 'people:family' d.family.pk %}">{{ d.family.name }}</a></td><td>{{ d.guardian.full_name }}</td><td>{{ d.get_channel_display }}</td><td>{{ d.language }}</td><td>{{ d.get_status_display }}</td>
    <td>{% for r in d.replies.all %}<p class="reply">{{ r.body|linebreaksbr }} <span class="muted">({{ r.received_at|day:"time" }})</span></p>{% empty %}—{% endfor %}</td></tr>{% endfor %}"""  # noqa: E501
)


class RecipientRowsTest(BaseTestCase):
    def setUp(self):
        odd = make_family(self.school, self.group_1a, name='<b>Öz & "Co"</b>', guardians=1)
        Guardian.objects.filter(guardianships__pupil__family=odd).update(
            first_name="A<i>", last_name_prefix="van 't"
        )
        self.message = Message.objects.create(
            school=self.school, author=self.mentor, purpose="practical", subject="S", body="B"
        )
        kinds = [
            ("email", "nl", Delivery.Status.SENT),
            ("sms", "ar", Delivery.Status.FAILED),
            ("letter", "tr", Delivery.Status.QUEUED),
            ("email", "en", Delivery.Status.SENDING),
        ]
        guardians = Guardian.objects.filter(
            guardianships__pupil__family__in=[self.jansen, self.el_amrani, odd]
        ).distinct()
        self.deliveries = []
        for guardian, (channel, language, status) in zip(guardians, kinds, strict=True):
            self.deliveries.append(
                Delivery.objects.create(
                    message=self.message,
                    family=guardian.guardianships.first().pupil.family,
                    guardian=guardian,
                    channel=channel,
                    address="x",
                    language=language,
                    subject="S",
                    body="B",
                    status=status,
                )
            )
        first, second = self.deliveries[:2]
        for delivery, body, hour in [
            (first, "Ja, graag.\nTot <dan> & groet", 9),
            (first, "Ik kom toch later", 16),
            (second, "شكرا", 11),
        ]:
            reply = Reply.objects.create(delivery=delivery, body=body)
            Reply.objects.filter(pk=reply.pk).update(
                received_at=datetime(2026, 3, 4, hour, 5, tzinfo=UTC)
            )

    def test_it_writes_the_html_the_template_wrote(self):
        ordered = self.message.deliveries.order_by("family__name", "guardian__last_name", "pk")
        for language in ("nl", "en"):
            with self.subTest(language=language), translation.override(language):
                _page, rows = recipients_page(self.message, 1)
                expected = ORACLE.render(Context({"deliveries": ordered}))
                self.assertEqual(rows, expected)
                self.assertEqual(rows.count("<tr>"), 4)
                self.assertEqual(rows.count('class="reply"'), 3)
        self.assertIn("Tot &lt;dan&gt; &amp; groet", rows)
        self.assertIn("&lt;b&gt;Öz &amp; &quot;Co&quot;&lt;/b&gt;", rows)

    def test_its_pages_hold_every_delivery_once(self):
        with mock.patch("bondgenoot.messaging.recipients.PAGE", 3):
            first, rows = recipients_page(self.message, 1)
            second, more = recipients_page(self.message, 2)
        self.assertEqual((len(first), len(second)), (3, 1))
        self.assertEqual(
            sorted(row[0] for row in [*first, *second]), sorted(d.pk for d in self.deliveries)
        )
        self.assertEqual((rows.count("<tr>"), more.count("<tr>")), (3, 1))

    def test_the_page_shows_the_rows_and_the_answers(self):
        self.login(self.mentor)
        response = self.client.get(reverse("messaging:detail", args=[self.message.pk]))
        self.assertContains(response, "Ik kom toch later")
        self.assertContains(response, reverse("people:family", args=[self.el_amrani.pk]))
        self.assertContains(response, "<tr>\n    <td>", count=4)
