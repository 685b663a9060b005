"""The timeline's entries, written in Python (``contacts.panels.timeline_items_html``),
are the HTML the template wrote: every flag on and off, the people named, next steps done
and open, the "Change" link for the author and for whole-school users only, escaped, in
Dutch and English."""

from datetime import date

from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from bondgenoot.contacts.models import Contact, ContactRevision, NextStep
from bondgenoot.contacts.panels import timeline_items_html
from bondgenoot.people.models import Guardian, Language, Pupil
from bondgenoot.testing import BaseTestCase, add_contact, make_user

# The template the entries were written by, kept as the oracle.
ORACLE = Template(
    """{% load i18n dates %}{% for c in timeline %}
    <li class="tone-{{ c.tone }}">
      <p><strong>{{ c.get_channel_display }}</strong> · {{ c.get_purpose_display }} · {{ c.get_tone_display }}{% if not c.reached %} · <span class="overdue">{% translate "not reached" %}</span>{% endif %}{% if not c.dialogue %} · {% translate "one-way" %}{% endif %}{% if c.bulk %} · {% translate "bulk message" %}{% endif %}</p>
      <p class="meta">{{ c.at|date:"j F Y, H:i" }} · {% blocktranslate with name=c.author.get_full_name|default:c.author.username %}recorded by {{ name }}{% endblocktranslate %}{% if c.timeline_guardians %} · {% translate "with" %} {% for g in c.timeline_guardians %}{{ g.first_name|default:g.full_name }}{% if not forloop.last %}, {% endif %}{% endfor %}{% endif %}{% if c.timeline_pupils %} · {% translate "about" %} {% for p in c.timeline_pupils %}{{ p.first_name }}{% if not forloop.last %}, {% endif %}{% endfor %}{% endif %}{% if c.key_figure %} · {% translate "key figure" %}: {{ c.key_figure.get_full_name|default:c.key_figure.username }}{% endif %}{% if c.language %} · {{ c.language.name }}{% endif %}{% if c.interpreter %} · {% translate "with an interpreter" %}{% endif %}{% if c.has_revisions %} · {% if edits_every_contact or c.author_id == user.pk %}<a href="{{ c.edit_url }}">{% translate "changed (see history)" %}</a>{% else %}{% translate "changed" %}{% endif %}{% endif %}</p>
      {% if c.note %}<p>{{ c.note }}</p>{% endif %}
      {% for s in c.timeline_steps %}<p class="meta">→ {% translate "Next step" %}: {{ s.what }} ({{ s.owner.get_full_name|default:s.owner.username }}, {{ s.due|day }}){% if s.done_at %} ✓ {% translate "done" %}{% endif %}</p>{% endfor %}
      {% if edits_every_contact or c.author_id == user.pk %}<p class="meta"><a href="{{ c.edit_url }}">{% translate "Change" %}<span class="visually-hidden"> {{ c.get_channel_display }} {{ c.at|date:"j F Y" }}</span></a></p>{% endif %}
    </li>
  {% empty %}
    <li>{% translate "No contacts yet. A first positive contact makes every later conversation easier." %}</li>
  {% endfor %}"""  # noqa: E501
)


class TimelineItemsTest(BaseTestCase):
    def setUp(self):
        nameless = make_user("jdevries", school=self.school)
        nameless.first_name = nameless.last_name = ""
        nameless.save()
        Language.ensure(["ar"])
        plain = add_contact(
            self.jansen, self.mentor, days_ago=3, note='Fijn <b>"gesprek"</b> & dank'
        )
        plain.guardians.set(Guardian.objects.filter(guardianships__pupil__family=self.jansen))
        plain.pupils.set(Pupil.objects.filter(family=self.jansen))
        NextStep.objects.create(
            family=self.jansen,
            contact=plain,
            what="Bellen <na> toets",
            owner=nameless,
            created_by=self.mentor,
            due=date(2025, 3, 4),
        )
        NextStep.objects.create(
            family=self.jansen,
            contact=plain,
            what="Mail",
            owner=self.mentor,
            created_by=self.mentor,
            due=timezone.localdate(),
            done_at=timezone.now(),
        )
        odd = add_contact(
            self.jansen,
            nameless,
            days_ago=400,
            channel="email",
            purpose="worry",
            tone="concern",
            reached=False,
            dialogue=False,
            bulk=True,
            interpreter=True,
            language_id="ar",
            key_figure=self.keyfigure,
        )
        ContactRevision.objects.create(contact=odd, changed_by=nameless, changes={})
        ContactRevision.objects.create(contact=plain, changed_by=self.mentor, changes={})
        self.contacts = list(
            Contact.objects.filter(family=self.jansen).for_timeline().order_by("-at")
        )

    def test_it_writes_the_html_the_template_wrote(self):
        edit = {c.pk: reverse("contacts:edit", args=[c.pk]) for c in self.contacts}
        for c in self.contacts:
            c.edit_url = edit[c.pk]
        for language in ("nl", "en"):
            for user, everyone in [(self.mentor, False), (self.care, True), (self.teacher, False)]:
                with (
                    self.subTest(language=language, user=user.username),
                    translation.override(language),
                ):
                    expected = ORACLE.render(
                        Context(
                            {
                                "timeline": self.contacts,
                                "user": user,
                                "edits_every_contact": everyone,
                            }
                        )
                    )
                    written = timeline_items_html(self.contacts, user.pk, everyone)
                    self.assertEqual(written, expected)
        self.assertIn("Fijn &lt;b&gt;&quot;gesprek&quot;&lt;/b&gt; &amp; dank", written)
        self.assertIn("Bellen &lt;na&gt; toets", written)
        self.assertEqual(written.count("<li "), 2)

    def test_no_contacts_says_so(self):
        expected = ORACLE.render(Context({"timeline": [], "user": self.mentor}))
        self.assertEqual(timeline_items_html([], self.mentor.pk, False), expected)
        self.assertIn("Nog geen contacten", expected)
