"""The family page's guardian cards, written in Python (``people.cards``), are the HTML
the template wrote: every field empty and filled, escaped, in Dutch and English."""

from django.template import Context, Template
from django.utils import translation

from bondgenoot.people.cards import guardian_cards_html
from bondgenoot.people.models import Guardian, Guardianship, Language, family_guardians
from bondgenoot.people.querysets import attach_people
from bondgenoot.testing import BaseTestCase, make_family, make_group, make_school

# The template the cards were written by, kept as the oracle.
ORACLE = Template(
    """{% load i18n %}{% for row in guardian_rows %}{% with g=row.guardian %}
  <div class="card">
    <h3>{{ g.full_name }}</h3>
    <p class="muted">{% for link in row.links %}{{ link.get_relation_display }} {% translate "of" %} {{ link.pupil.first_name }}{% if link.parental_authority %} · {% translate "parental authority" %}{% endif %}{% if link.lives_with %} · {% translate "lives together" %}{% endif %}{% if not forloop.last %}<br>{% endif %}{% endfor %}</p>
    <dl class="facts">
      <dt>{% translate "Home languages" %}</dt>
      <dd>{% for lang in g.home_languages.all %}{{ lang.name }}{% if not forloop.last %}, {% endif %}{% empty %}—{% endfor %}{% if g.needs_interpreter %} <span class="tag tag--warn">{% translate "needs an interpreter" %}</span>{% endif %}</dd>
      <dt>{% translate "Written messages in" %}</dt><dd>{{ g.written_language.name|default:"—" }}</dd>
      <dt>{% translate "Preferred channels" %}</dt><dd>{% for c in g.get_preferred_channels_display %}{{ c }}{% if not forloop.last %}, {% endif %}{% empty %}—{% endfor %}</dd>
      <dt>{% translate "Reachable" %}</dt><dd>{{ g.reachable_times|default:"—" }}</dd>
      <dt>{% translate "Phone" %}</dt><dd>{% if g.phone %}<a href="tel:{{ g.phone }}">{{ g.phone }}</a>{% else %}—{% endif %}</dd>
      <dt>{% translate "Email" %}</dt><dd>{% if g.email %}<a href="mailto:{{ g.email }}">{{ g.email }}</a>{% else %}<span class="muted">{% translate "no email address" %}</span>{% endif %}</dd>
      <dt>{% translate "Address" %}</dt><dd>{{ g.street|default:"—" }}{% if g.postcode %}<br>{{ g.postcode }} {{ g.city }}{% endif %}</dd>
    </dl>
  </div>
  {% endwith %}{% endfor %}"""  # noqa: E501
)


class GuardianCardsTest(BaseTestCase):
    def setUp(self):
        school = make_school()
        first, second = make_group(school, "1A"), make_group(school, "2B")
        self.full = make_family(school, [first, second], guardians=3, languages=("ar", "nl"))
        self.bare = make_family(
            school, first, name="Öztürk", guardians=1, languages=(), written=None, email=False
        )
        Language.ensure(["tr"])
        # The second family: one guardian with every field empty or odd.
        guardian = Guardian.objects.get(guardianships__pupil__family=self.bare)
        guardian.first_name = 'A&B <"x">'
        guardian.phone = ""
        guardian.street = ""
        guardian.postcode = ""
        guardian.reachable_times = "<na 16:00>"
        guardian.needs_interpreter = True
        guardian.preferred_channels = []
        guardian.save()
        # The first: a guardian with a phone and street but no postcode, channels set.
        other = Guardian.objects.filter(guardianships__pupil__family=self.full).last()
        other.postcode = ""
        other.street = "Lange Haven 1"
        other.preferred_channels = ["phone", "whatsapp"]
        other.home_languages.set(["tr"])
        other.save()
        Guardianship.objects.filter(guardian=other).update(
            parental_authority=False, lives_with=True
        )

    def test_it_writes_the_html_the_template_wrote(self):
        families = [self.full, self.bare]
        attach_people(families)
        for family in families:
            rows = family_guardians(family)
            for language in ("nl", "en"):
                with self.subTest(family=family.name, language=language):
                    with translation.override(language):
                        expected = ORACLE.render(Context({"guardian_rows": rows}))
                        self.assertEqual(guardian_cards_html(rows), expected)
                    self.assertIn("<h3>", expected)
        self.assertIn(
            "A&amp;B &lt;&quot;x&quot;&gt;", guardian_cards_html(family_guardians(self.bare))
        )

    def test_no_guardians_no_cards(self):
        self.assertEqual(guardian_cards_html([]), "")
