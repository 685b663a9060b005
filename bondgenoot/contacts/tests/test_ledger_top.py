"""The ledger panel's HTML, written in Python (``contacts.panels.ledger_top_html``), is
the HTML its template wrote: every indicator in both states, the overdue steps, escaped,
in Dutch and English."""

from dataclasses import replace
from datetime import date
from types import SimpleNamespace
from uuid import uuid4

from django.template import Context, Template
from django.test import RequestFactory, SimpleTestCase
from django.utils import translation

from bondgenoot.contacts.indicators import PERSONAL_DEFINITION, FamilyIndicators, definitions
from bondgenoot.contacts.panels import ledger_top_html

# The template the panel was written by, kept as the oracle.
ORACLE = Template(
    """{% load i18n dates %}
<section class="card" aria-labelledby="indicators-heading">
  <h2 id="indicators-heading">{% translate "How is our relationship?" %}</h2>
  {% with i=indicators %}
  <ul class="stats">
    <li class="stat{% if i.days_since_positive is None %} stat--warn{% endif %}">{% if i.days_since_positive is None %}<span class="stat__flag"><span aria-hidden="true">▲</span> {% translate "Needs attention" %}</span>{% endif %}
      <span class="stat__value">{% if i.days_since_positive is None %}—{% else %}{{ i.days_since_positive }}{% endif %}</span>
      <span class="stat__label">{% if i.days_since_positive is None %}{% translate "no positive personal contact yet" %}{% else %}{% translate "days since the last positive personal contact" %}{% endif %}</span>
      <p class="definition">{{ definitions.days_since_positive }}</p></li>
    <li class="stat{% if i.first_was_worry %} stat--warn{% endif %}">{% if i.first_was_worry %}<span class="stat__flag"><span aria-hidden="true">▲</span> {% translate "Needs attention" %}</span>{% endif %}
      <span class="stat__value">{% if i.first_was_worry %}{% translate "Yes" %}{% else %}{% translate "No" %}{% endif %}</span>
      <span class="stat__label">{% translate "first contact was about a worry" %}</span>
      <p class="definition">{{ definitions.first_was_worry }}</p></li>
    <li class="stat">
      <span class="stat__value">{% if i.positive_before_worry is None %}—{% else %}{{ i.positive_before_worry }}{% endif %}</span>
      <span class="stat__label">{% if i.positive_before_worry is None %}{% translate "no contact about a worry so far" %}{% else %}{% translate "positive personal contacts before the first worry" %}{% endif %}</span>
      <p class="definition">{{ definitions.positive_before_worry }}</p></li>
    <li class="stat{% if i.unreached_alarm %} stat--warn{% endif %}">{% if i.unreached_alarm %}<span class="stat__flag"><span aria-hidden="true">▲</span> {% translate "Needs attention" %}</span>{% endif %}
      <span class="stat__value">{{ i.unreached_streak }}</span>
      <span class="stat__label">{% translate "attempts in a row without reaching the family" %}{% if i.unreached_channels %} ({% translate "tried" %}: {{ i.unreached_channels|join:", " }}){% endif %}</span>
      <p class="definition">{{ definitions.unreached_streak }}</p></li>
    <li class="stat{% if i.one_way_only %} stat--warn{% endif %}">{% if i.one_way_only %}<span class="stat__flag"><span aria-hidden="true">▲</span> {% translate "Needs attention" %}</span>{% endif %}
      <span class="stat__value">{% if i.one_way_only %}{% translate "Yes" %}{% else %}{% translate "No" %}{% endif %}</span>
      <span class="stat__label">{% translate "only one-way messages lately" %}</span>
      <p class="definition">{{ definitions.one_way_only }}</p></li>
    <li class="stat{% if i.overdue_steps %} stat--warn{% endif %}">{% if i.overdue_steps %}<span class="stat__flag"><span aria-hidden="true">▲</span> {% translate "Needs attention" %}</span>{% endif %}
      <span class="stat__value">{{ i.open_steps }}</span>
      <span class="stat__label">{% blocktranslate count counter=i.overdue_steps %}open next steps, {{ counter }} overdue{% plural %}open next steps, {{ counter }} overdue{% endblocktranslate %}</span>
      <p class="definition">{{ definitions.next_steps }}</p></li>
  </ul>
  <p class="definition">{{ personal_definition }}</p>
  {% endwith %}
</section>
{% if overdue_steps %}
<section class="message message--warning" aria-labelledby="overdue-heading">
  <h2 id="overdue-heading">{% translate "Overdue next steps" %}</h2>
  <ul>{% for s in overdue_steps %}<li>{{ s.what }} — {{ s.owner.get_full_name|default:s.owner.username }}, {{ s.due|day:"long" }}</li>{% endfor %}</ul>
</section>
{% endif %}
<section aria-labelledby="log-heading">
  <h2 id="log-heading">{% translate "Record a contact" %}</h2>
  {# The form (about half of this page's rendering) loads on demand from contacts:new, #}
  {# which asks the access policy itself; without JavaScript the link opens it. #}
  <div hx-get="{% url 'contacts:new' family.pk %}" hx-trigger="load" hx-swap="outerHTML">
    <p><a href="{% url 'contacts:new' family.pk %}?next={{ request.get_full_path|urlencode }}">{% translate "Record a contact" %}</a></p>
  </div>
</section>
"""  # noqa: E501
)

CALM = FamilyIndicators(
    days_since_positive=12,
    first_was_worry=False,
    positive_before_worry=3,
    unreached_streak=0,
    unreached_channels=[],
    one_way_only=False,
    last_one_way_at=None,
    open_steps=0,
    overdue_steps=0,
)
WORRYING = replace(
    CALM,
    days_since_positive=None,
    first_was_worry=True,
    positive_before_worry=None,
    unreached_streak=4,
    unreached_channels=["Telefoon", "<b>WhatsApp</b>"],
    one_way_only=True,
    open_steps=5,
    overdue_steps=2,
)


def step(what: str, first: str, username: str, due: date):
    owner = SimpleNamespace(get_full_name=lambda: first, username=username)
    return SimpleNamespace(what=what, owner=owner, due=due)


class LedgerTopTest(SimpleTestCase):
    def test_it_writes_the_html_the_template_wrote(self):
        family = SimpleNamespace(pk=uuid4())
        request = RequestFactory().get("/gezinnen/x/", {"q": "a b&c", "tone": "é"})
        steps = [
            step("Bel <moeder>", "Anna & Bo", "anna", date(2026, 3, 4)),
            step("Huisbezoek", "", "mentor7", date(2025, 11, 30)),
        ]
        cases = [
            (CALM, []),
            (replace(CALM, overdue_steps=1, open_steps=1), steps[:1]),
            (WORRYING, steps),
            (replace(WORRYING, unreached_channels=[], unreached_streak=1), steps[1:]),
        ]
        for n, (indicators, overdue) in enumerate(cases):
            for language in ("nl", "en"):
                with self.subTest(case=n, language=language), translation.override(language):
                    context = {
                        "family": family,
                        "indicators": indicators,
                        "definitions": definitions(),
                        "personal_definition": PERSONAL_DEFINITION,
                        "overdue_steps": overdue,
                        "request": request,
                    }
                    expected = ORACLE.render(Context(context))
                    got = ledger_top_html(
                        family.pk, indicators, definitions(), overdue, request.get_full_path()
                    )
                    self.assertEqual(got, expected)
