"""A case discussion in a real Chromium, from planning to the parents' summary: the care
coordinator plans it, puts a pupil on the agenda (a name in the note is refused and
marked, nothing typed is lost), the partner reads only the case code until consent is
recorded, the parents are invited, the minutes get an agreement with a partner and a
summary, and a parent reads it through their personal link. axe on every page."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bondgenoot.cases.models import AgendaItem, CaseAction, ItemConsent, ParentInvitation
from bondgenoot.people.models import Organisation, Role
from bondgenoot.testing import make_user

from .conftest import assert_accessible, log_in
from .test_network import second_step

pytestmark = pytest.mark.browser


def test_a_case_discussion_from_planning_to_the_parents_summary(browser, live_server, cast):
    team = Organisation.objects.create(name="Jeugdteam Zuid", kind="youth_team")
    care = make_user("zorg", school=cast.school, roles=[Role.CARE_COORDINATOR])
    partner = make_user("jeugdteam", school=cast.school, roles=[Role.PARTNER], organisation=team)
    pupil = cast.jansen.pupils.first()
    base = live_server.url

    def context():
        c = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
        return c, c.new_page()

    # 1. The care coordinator plans the discussion with the partner at the table.
    care_ctx, page = context()
    log_in(page, live_server, "zorg")
    second_step(page, care)
    page.goto(f"{base}/overleg/nieuw/")
    assert_accessible(page)
    page.locator("select[name=kind]").select_option("zat")
    starts = timezone.localtime() + timedelta(days=2)
    page.locator("input[name=starts_at]").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    page.locator("input[name=place]").fill("Kamer 2.14")
    page.locator(f"input[name=participants][value='{partner.pk}']").check()
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("heading", name="Agenda", exact=True)).to_be_visible()
    detail = page.url

    # 2. A pupil on the agenda: the first name in the note is refused, marked, and kept.
    agenda = page.locator("form[action$='/agenda/']")
    agenda.locator("input[name=item-pupil_number]").fill(pupil.pupil_number)
    agenda.locator("textarea[name=item-notes]").fill(f"Zorgen om {pupil.first_name} thuis.")
    agenda.locator("button[type=submit]").click()
    expect(page.locator("mark", has_text=pupil.first_name)).to_be_visible()
    expect(page.locator("textarea[name=item-notes]")).to_have_value(
        f"Zorgen om {pupil.first_name} thuis."
    )
    assert not AgendaItem.objects.exists()
    assert_accessible(page)
    page.locator("textarea[name=item-notes]").fill("Veel verzuim sinds de herfst.")
    page.locator("form[action$='/agenda/'] button[type=submit]").click()
    item = AgendaItem.objects.get()
    expect(page.get_by_text("Veel verzuim sinds de herfst.")).to_be_visible()

    # 3. The partner reads the pseudonymised agenda: the case code and the year only.
    partner_ctx, other = context()
    log_in(other, live_server, "jeugdteam")
    second_step(other, partner)
    other.goto(detail)
    expect(other.get_by_role("heading", name=item.case_code)).to_be_visible()
    assert pupil.first_name not in other.content()
    assert pupil.last_name not in other.content()
    assert_accessible(other)

    # 4. The mother's consent, for everyone at the table: the partner sees the name.
    page.goto(detail)
    page.get_by_text("Toestemming vastleggen", exact=True).first.click()
    consent = page.locator("form[action$='/toestemming/']")
    consent.locator("input[name=given_on]").fill(timezone.localdate().isoformat())
    consent.locator("select[name=scope]").select_option("table")
    consent.locator("button[type=submit]").click()
    expect(page.get_by_text("Geen toestemming vastgelegd.")).to_have_count(0)
    assert ItemConsent.objects.filter(item=item, withdrawn_at__isnull=True).exists()
    other.reload()
    expect(other.get_by_role("heading", name=pupil.first_name, exact=False)).to_be_visible()

    # 5. The parents are invited, each with their own link.
    page.locator(f"select[name=parents-{item.pk.hex[:8]}-how]").select_option("personal")
    page.locator("form[action$='/uitnodigen/'] button[type=submit]").click()
    expect(page.get_by_text("Persoonlijke link").first).to_be_visible()
    assert_accessible(page)
    invitation = ParentInvitation.objects.filter(item=item, for_pupil=False).first()

    # 6. The minutes: facts, the parents' view, an agreement with the partner, a summary.
    page.goto(f"{detail}punt/{item.pk}/verslag/")
    assert_accessible(page)
    page.locator("textarea[name=facts]").fill("Noah mist veel lessen op maandag.")
    page.locator("textarea[name=parents_view]").fill("Moeder ziet dat hij slecht slaapt.")
    page.locator("form[action$='/verslag/'] button[type=submit]").click()
    expect(page.locator("textarea[name=facts]")).to_have_value("Noah mist veel lessen op maandag.")
    action = page.locator("form[action$='/actie/']")
    action.locator("select[name=who]").select_option("partner")
    action.locator("select[name=partner]").select_option(str(team.pk))
    action.locator("input[name=what]").fill("Huisbezoek plannen")
    action.locator("input[name=due_on]").fill(
        (timezone.localdate() + timedelta(days=14)).isoformat()
    )
    action.locator("button[type=submit]").click()
    expect(page.get_by_text("Huisbezoek plannen")).to_be_visible()
    assert CaseAction.objects.get(item=item).feedback_due is not None
    summary = (
        "We hebben samen afgesproken dat het jeugdteam bij u langs komt."
        " We bellen u over twee weken."
    )
    page.locator("textarea[name=summary]").fill(summary)
    page.locator("form[action$='/samenvatting/'] button[name=publish]").click()
    expect(page.get_by_text("Gepubliceerd").first).to_be_visible()
    assert_accessible(page)

    # 7. The mother reads the summary through her personal link.
    parent_ctx, mother = context()
    mother.goto(f"{base}/uitnodiging-overleg/{invitation.token}/")
    expect(mother.get_by_text(summary)).to_be_visible()
    assert_accessible(mother)
    for ctx in (care_ctx, partner_ctx, parent_ctx):
        ctx.close()
