"""Role × observable × own/other school, against real records.

The expected table below is written from DESIGN.md's roles table, not from
``access.CAPABILITIES``: it is the specification the policy must meet. Each observable
is probed through the policy's public functions on real rows. For every role we make
two users: one with the role at the school of the records ("own"), one with the same
role at another school ("other"). Both are also linked to the records in every way a
row can link them (mentor and teacher of the group, key figure entry, partner
organisation), so only the role and its school decide.

Every refusal is checked beside a positive control: the same observable, probed the
same way, is granted to the roles that should have it.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from bondgenoot import access
from bondgenoot.audit.log import record
from bondgenoot.audit.models import AuditEntry
from bondgenoot.cases import actions as case_actions
from bondgenoot.meetings.models import Meeting
from bondgenoot.messaging.models import Message, TranslationRequest
from bondgenoot.network import actions as network_actions
from bondgenoot.network.models import Signal
from bondgenoot.parentvoice.models import RecordRequest
from bondgenoot.people.models import Guardian, Organisation, Pupil, Role
from bondgenoot.protocols import actions as protocol_actions
from bondgenoot.testing import (
    BaseTestCase,
    add_contact,
    make_agreement,
    make_bridge,
    make_family,
    make_group,
    make_key_figure,
    make_user,
)

MENTOR = Role.MENTOR
TEACHER = Role.TEACHER
CARE = Role.CARE_COORDINATOR
LEADER = Role.SCHOOL_LEADER
ADMIN = Role.ADMINISTRATOR
KEY_FIGURE = Role.KEY_FIGURE
PARTNER = Role.PARTNER
ANALYST = Role.NETWORK_ANALYST
ALL_ROLES = [MENTOR, TEACHER, CARE, LEADER, ADMIN, KEY_FIGURE, PARTNER, ANALYST]

# observable -> the roles that get it at their own school (nobody at another school).
EXPECTED: dict[str, set[str]] = {
    "open the page of a family in their group": {MENTOR, CARE, ADMIN},
    "open the page of another family of the school": {CARE, ADMIN},
    "change a family in their group": {MENTOR, CARE},
    "change another family of the school": {CARE},
    "read the contacts of a family in their group": {MENTOR, CARE},
    "read the contacts of another family": {CARE},
    "pick a pupil of their group to record about": {MENTOR, TEACHER, CARE, ADMIN},
    "record contacts about a pupil they teach": {MENTOR, TEACHER, CARE},
    "read back a contact they wrote": {MENTOR, TEACHER, CARE},
    "change a contact someone else wrote": {CARE},
    "follow families up (actions, campaign)": {MENTOR, CARE},
    "record a signal": {MENTOR, TEACHER, CARE, ADMIN},
    "be offered the signal form": {MENTOR, TEACHER, CARE, ADMIN},
    "read back a signal they wrote": {MENTOR, TEACHER, CARE},
    "read a signal someone else wrote": {CARE},
    "see the interpretation of a signal": {CARE},
    "open a pupil's chronology": {CARE},
    "restrict a share": {CARE},
    "see signal counts": {LEADER, CARE},
    "manage partner agreements": {ADMIN},
    "read partner agreements": {CARE, ADMIN},
    "read shares with their organisation": {PARTNER},
    "browse the audit log": {CARE, ADMIN},
    "see in the audit log which families were contacted": {CARE},
    "see whole-school monitor figures": {LEADER, CARE},
    "see names in the monitor": {MENTOR, CARE},
    "count their group in the monitor": {MENTOR, LEADER, CARE},
    "read the key figure registry": {MENTOR, CARE, ADMIN},
    "change the key figure registry": {CARE, ADMIN},
    "see a family through a consented bridge": {KEY_FIGURE},
    "manage a bridge of a family in their group": {MENTOR, CARE},
    "write to their group as a whole": {MENTOR, CARE},
    "read a message someone else sent": {CARE},
    "read back a message they sent": {MENTOR, CARE},
    "ask someone to translate their message": {MENTOR, CARE},
    "translate a text for the school when asked, as a colleague": {
        MENTOR,
        TEACHER,
        CARE,
        LEADER,
        ADMIN,
    },
    "translate a text for a family they bridge, when asked": {KEY_FIGURE},
    "organise meetings": {MENTOR, CARE, LEADER},
    "manage a meeting someone else organised": {CARE, LEADER},
    "check families in at the door": {MENTOR, CARE},
    "log in with a second step": {CARE, ADMIN, PARTNER},
    "filter on their group": {MENTOR, CARE, ADMIN},
    "handle parents' requests about the record": {CARE},
    "plan case discussions and record consent": {CARE},
    "read a case discussion they take part in": {MENTOR, TEACHER, CARE, PARTNER},
    "see a pupil's name when consent covers only the school": {MENTOR, TEACHER, CARE},
    "follow the Meldcode route on a signal": {CARE},
    "see patterns across schools": {ANALYST},
    "name a network analyst for the school": {ADMIN},
    "read the register (accounts, pupils, guardians)": {ADMIN, LEADER},
    "change accounts and roles": {ADMIN},
    "change a pupil's details and group": {ADMIN},
    "merge families of the school": {ADMIN},
    "change a guardian's details": {ADMIN},
    "plan the new school year": {ADMIN},
    "change the school's settings": {ADMIN},
    # DESIGN.md: the administrator keeps "users, imports, agreements, retention settings"
    "import the school's roster": {ADMIN},
    "invite the parents of a family in their group to the portal": {MENTOR, CARE, ADMIN},
    "hide a record from parents": {CARE},
    "write protocols, reply to comments and publish": {CARE},
    "read and comment on a protocol for staff": {MENTOR, TEACHER, CARE, LEADER, ADMIN},
    "read and comment on a protocol for partners": {PARTNER},
}
# Observables that are not about one school's records: a role anywhere gives them.
ANY_SCHOOL = {
    "follow families up (actions, campaign)",
    "see names in the monitor",
    "log in with a second step",
    "be offered the signal form",
}


class CapabilityMatrixTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        school = cls.school
        org = Organisation.objects.create(name="Jeugdteam Noord", kind="youth_team")
        cls.users = {}
        for role in ALL_ROLES:
            for where, at in (("own", school), ("other", cls.other_school)):
                cls.users[role, where] = make_user(
                    f"m-{role}-{where}", school=at, roles=[role], organisation=org
                )
        linked = list(cls.users.values())
        cls.group = make_group(school, "3C", mentors=linked, teachers=linked)
        cls.family = make_family(school, cls.group, name="Bakker")
        cls.pupil = Pupil.objects.get(family=cls.family)
        cls.mother = Guardian.objects.filter(guardianships__pupil=cls.pupil).first()
        # Records by someone else, at the school.
        cls.contact_other = add_contact(cls.family, cls.care)
        cls.signal_other = Signal.objects.create(
            school=school,
            pupil=cls.pupil,
            category="absence",
            observed_on=date.today(),
            observation="Twee dagen afwezig zonder bericht.",
            interpretation="Mogelijk zorgen thuis.",
            author=cls.care,
        )
        version = make_agreement(cls.admin, school, org)
        cls.share = network_actions.share_signal(
            cls.care,
            cls.signal_other,
            version,
            consent_guardian=None,
            consent_by_pupil=False,
            consent_on=None,
            parents_informed=True,
        )
        cls.message_other = Message.objects.create(
            school=school, author=cls.care, purpose="positive", subject="Hallo", body="Hallo"
        )
        now = timezone.now()
        cls.meeting_other = Meeting.objects.create(
            school=school,
            kind="informal",
            title="Koffie",
            starts_at=now + timedelta(hours=1),
            ends_at=now + timedelta(hours=2),
            place="Aula",
            created_by=cls.leader,
        )
        cls.record_request = RecordRequest.objects.create(
            school=school,
            family=cls.family,
            pupil=cls.pupil,
            guardian=cls.mother,
            kind="correction",
            text="De datum klopt niet.",
            due=date.today(),
            form_key="matrix-record-request",
        )
        cls.discussion = case_actions.create_discussion(
            cls.care,
            school.pk,
            {"kind": "zat", "starts_at": now + timedelta(days=2), "place": "Kamer 1"},
            list(cls.users.values()),
        )
        cls.route = case_actions.start_route(cls.care, cls.signal_other)
        cls.protocols = {
            audience: protocol_actions.open_draft(
                cls.care,
                school.pk,
                {"title": audience, "for_staff": False, audience: True},
                "Een.\n\nTwee.",
                "",
            ).protocol
            for audience in ("for_staff", "for_partners")
        }
        cls.audit_view = record(cls.care, AuditEntry.Action.VIEW, cls.family)
        cls.audit_contact = record(cls.care, AuditEntry.Action.CREATE, cls.contact_other)
        # Records by each user: a contact, a signal, a message, a bridge to them.
        cls.own = {}
        for key, user in cls.users.items():
            kf = make_key_figure(school, f"KF {user.username}", user=user)
            bridge = make_bridge(
                cls.family, kf, cls.care, consent_from=cls.mother, share_meetings=True
            )
            cls.own[key] = {
                "contact": add_contact(cls.family, user),
                "signal": Signal.objects.create(
                    school=school,
                    pupil=cls.pupil,
                    category="absence",
                    observed_on=date.today(),
                    observation="Te laat.",
                    author=user,
                ),
                "message": Message.objects.create(
                    school=school, author=user, purpose="positive", subject="Hoi", body="Hoi"
                ),
                "bridge": bridge,
                "asked": TranslationRequest.objects.create(
                    school=school,
                    asked_by=user,
                    translator=cls.care,
                    via="colleague",
                    language="ar",
                    subject="Hoi",
                    body="Hoi",
                    source="x",
                ),
                "as_colleague": TranslationRequest.objects.create(
                    school=school,
                    asked_by=cls.care,
                    translator=user,
                    via="colleague",
                    language="ar",
                    subject="Hoi",
                    body="Hoi",
                    source="x",
                ),
                "as_key_figure": TranslationRequest.objects.create(
                    school=school,
                    asked_by=cls.care,
                    translator=user,
                    via="key_figure",
                    language="ar",
                    subject="Hoi",
                    body="Hoi",
                    source="x",
                ),
            }
            cls.own[key]["as_key_figure"].families.set([cls.family])

    def probe(self, observable: str, key) -> bool:
        user = self.users[key]
        access.forget_roles(user)
        own = self.own[key]
        family, school = self.family, self.school.pk
        probes = {
            "open the page of a family in their group": lambda: (
                access.families_visible_to(user).filter(pk=family.pk).exists()
            ),
            "open the page of another family of the school": lambda: (
                access.families_visible_to(user).filter(pk=self.el_amrani.pk).exists()
            ),
            "change a family in their group": lambda: access.can_edit_family(user, family),
            "change another family of the school": lambda: access.can_edit_family(
                user, self.el_amrani
            ),
            "read the contacts of a family in their group": lambda: (
                access.can_view_contacts(user, family)
                and access.contacts_visible_to(user).filter(pk=self.contact_other.pk).exists()
            ),
            "read the contacts of another family": lambda: access.can_view_contacts(
                user, self.el_amrani
            ),
            "pick a pupil of their group to record about": lambda: (
                access.pupils_visible_to(user).filter(pk=self.pupil.pk).exists()
            ),
            "record contacts about a pupil they teach": lambda: (
                access.loggable_pupils(user, family).filter(pk=self.pupil.pk).exists()
            ),
            "read back a contact they wrote": lambda: (
                access.own_contacts(user).filter(pk=own["contact"].pk).exists()
                and access.contacts_visible_to(user).filter(pk=own["contact"].pk).exists()
            ),
            "change a contact someone else wrote": lambda: _allowed(
                access.get_contact_for_edit, user, self.contact_other.pk
            ),
            "follow families up (actions, campaign)": lambda: access.works_with_contacts(user),
            "record a signal": lambda: (
                access.can_record_signals(user)
                and access.pupils_visible_to(user).filter(pk=self.pupil.pk).exists()
            ),
            "read back a signal they wrote": lambda: (
                access.own_signals(user).filter(pk=own["signal"].pk).exists()
                and _allowed(access.get_signal, user, own["signal"].pk)
            ),
            "read a signal someone else wrote": lambda: _allowed(
                access.get_signal, user, self.signal_other.pk
            ),
            "see the interpretation of a signal": lambda: access.sees_interpretation(
                user, self.signal_other
            ),
            "open a pupil's chronology": lambda: _allowed(
                access.chronology_pupil, user, self.pupil.pk
            ),
            "restrict a share": lambda: _allowed(access.get_share_for_care, user, self.share.pk),
            "see signal counts": lambda: school in access.signal_count_schools(user),
            "manage partner agreements": lambda: school in access.agreement_schools(user),
            "read partner agreements": lambda: school in access.agreement_read_schools(user),
            "read shares with their organisation": lambda: _allowed(
                access.get_share_for_partner, user, self.share.pk
            ),
            "browse the audit log": lambda: (
                school in access.audit_schools(user)
                and access.audit_entries_visible_to(user).filter(pk=self.audit_view.pk).exists()
            ),
            "see in the audit log which families were contacted": lambda: (
                access.audit_entries_visible_to(user).filter(pk=self.audit_contact.pk).exists()
            ),
            "be offered the signal form": lambda: access.can_record_signals(user),
            "see whole-school monitor figures": lambda: school in access.monitor_schools(user),
            "see names in the monitor": lambda: access.can_list_monitor_names(user),
            "count their group in the monitor": lambda: (
                access.monitor_families(user).filter(pk=family.pk).exists()
                and access.monitor_groups(user).filter(pk=self.group.pk).exists()
            ),
            "read the key figure registry": lambda: (
                access.key_figures_visible_to(user).filter(school_id=school).exists()
            ),
            "change the key figure registry": lambda: _allowed(
                access.get_key_figure_for_edit, user, own["bridge"].key_figure_id
            ),
            "invite the parents of a family in their group to the portal": lambda: (
                access.can_invite_parents(user, family)
            ),
            "hide a record from parents": lambda: _allowed(
                access.restrictable_family, user, family.pk
            ),
            "see a family through a consented bridge": lambda: (
                _allowed(access.get_bridge_for_key_figure, user, own["bridge"].pk)
                and access.bridged_families(user).filter(pk=family.pk).exists()
            ),
            "manage a bridge of a family in their group": lambda: _allowed(
                access.get_bridge_for_edit, user, own["bridge"].pk
            ),
            "write to their group as a whole": lambda: (
                access.message_groups(user).filter(pk=self.group.pk).exists()
            ),
            "read a message someone else sent": lambda: _allowed(
                access.get_message, user, self.message_other.pk
            ),
            "read back a message they sent": lambda: _allowed(
                access.get_message, user, own["message"].pk
            ),
            "ask someone to translate their message": lambda: (
                access.can_ask_translation(user, school)
                and _allowed(access.get_own_translation_request, user, own["asked"].pk)
            ),
            "translate a text for the school when asked, as a colleague": lambda: _allowed(
                access.get_translation_request_to_do, user, own["as_colleague"].pk
            ),
            "translate a text for a family they bridge, when asked": lambda: _allowed(
                access.get_translation_request_to_do, user, own["as_key_figure"].pk
            ),
            "organise meetings": lambda: (
                school in access.meeting_schools(user)
                and _allowed(access.get_meeting, user, self.meeting_other.pk)
            ),
            "manage a meeting someone else organised": lambda: access.can_manage_meeting(
                user, self.meeting_other
            ),
            "check families in at the door": lambda: (
                access.can_check_in(user, self.meeting_other)
                and access.check_in_families(user, self.meeting_other).filter(pk=family.pk).exists()
            ),
            "log in with a second step": lambda: access.requires_two_factor(user),
            "filter on their group": lambda: (
                access.groups_for_filter(user).filter(pk=self.group.pk).exists()
            ),
            "handle parents' requests about the record": lambda: (
                school in access.record_request_schools(user)
                and _allowed(access.get_record_request_for_care, user, self.record_request.pk)
            ),
            "plan case discussions and record consent": lambda: (
                school in access.case_schools(user)
                and _allowed(access.get_discussion_for_edit, user, self.discussion.pk)
            ),
            "read a case discussion they take part in": lambda: _allowed(
                access.get_discussion, user, self.discussion.pk
            ),
            "see a pupil's name when consent covers only the school": lambda: (
                _allowed(access.get_discussion, user, self.discussion.pk)
                and access.sees_name(user, self.discussion, "school")
            ),
            "follow the Meldcode route on a signal": lambda: _allowed(
                access.get_route, user, self.route.pk
            ),
            "see patterns across schools": lambda: school in access.pattern_schools(user),
            "name a network analyst for the school": lambda: (
                school in access.analyst_grant_schools(user)
            ),
            "read the register (accounts, pupils, guardians)": lambda: (
                access.accounts_visible_to(user).filter(pk=self.care.pk).exists()
                and _allowed(access.get_account, user, self.care.pk)
                and _allowed(access.get_pupil_for_admin, user, self.pupil.pk)
                and _allowed(access.get_guardian_for_admin, user, self.mother.pk)
                and school in access.register_schools(user)
            ),
            "change accounts and roles": lambda: _allowed(
                access.get_account_for_edit, user, self.care.pk
            ),
            "change a pupil's details and group": lambda: _allowed(
                lambda u, pk: access.get_pupil_for_admin(u, pk, write=True), user, self.pupil.pk
            ),
            "merge families of the school": lambda: (
                access.families_for_admin(user).filter(pk=family.pk).exists()
            ),
            "change a guardian's details": lambda: _allowed(
                lambda u, pk: access.get_guardian_for_admin(u, pk, write=True), user, self.mother.pk
            ),
            "plan the new school year": lambda: access.can(user, "admin.school_year", school),
            "change the school's settings": lambda: access.can(user, "admin.settings", school),
            "import the school's roster": lambda: access.can(user, "roster.import", school),
            "write protocols, reply to comments and publish": lambda: (
                school in access.protocol_schools(user)
                and _allowed(access.get_protocol, user, self.protocols["for_partners"].pk)
                and access.manages_protocol(user, self.protocols["for_partners"])
            ),
            "read and comment on a protocol for staff": lambda: (
                _allowed(access.get_protocol, user, self.protocols["for_staff"].pk)
                and access.commenter_kind(user, self.protocols["for_staff"]) == "staff"
            ),
            "read and comment on a protocol for partners": lambda: (
                _allowed(access.get_protocol, user, self.protocols["for_partners"].pk)
                and access.commenter_kind(user, self.protocols["for_partners"]) == "partner"
            ),
        }
        return bool(probes[observable]())

    def test_it_grants_and_refuses_every_observable_per_role_and_school(self):
        for observable, allowed in EXPECTED.items():
            self.assertTrue(allowed, observable)
            for role in ALL_ROLES:
                with self.subTest(observable=observable, role=role, school="own"):
                    self.assertEqual(self.probe(observable, (role, "own")), role in allowed)
                with self.subTest(observable=observable, role=role, school="other"):
                    # Refused at another school; the positive control is the same probe
                    # for an allowed role at the records' own school.
                    expected = role in allowed and observable in ANY_SCHOOL
                    self.assertEqual(self.probe(observable, (role, "other")), expected)
                    control = sorted(allowed)[0]
                    self.assertTrue(self.probe(observable, (control, "own")))

    def test_it_refuses_everything_to_a_deactivated_account(self):
        for role in ALL_ROLES:
            user = self.users[role, "own"]
            granted = [o for o, allowed in EXPECTED.items() if role in allowed]
            for observable in granted:
                self.assertTrue(self.probe(observable, (role, "own")), (observable, role))
            user.is_active = False
            for observable in granted:
                with self.subTest(observable=observable, role=role):
                    self.assertFalse(self.probe(observable, (role, "own")))
            user.is_active = True

    def test_it_stops_reading_back_own_records_after_leaving_the_school(self):
        user = self.users[TEACHER, "own"]
        self.assertTrue(self.probe("read back a contact they wrote", (TEACHER, "own")))
        self.assertTrue(self.probe("read back a signal they wrote", (TEACHER, "own")))
        user.memberships.update(school=self.other_school)
        self.assertFalse(self.probe("read back a contact they wrote", (TEACHER, "own")))
        self.assertFalse(self.probe("read back a signal they wrote", (TEACHER, "own")))

    def test_it_forgets_pupils_who_left(self):
        pick = "pick a pupil of their group to record about"
        for role in (MENTOR, TEACHER):
            self.assertTrue(self.probe(pick, (role, "own")))
        Pupil.objects.filter(pk=self.pupil.pk).update(left_on=date.today())
        for role in (MENTOR, TEACHER):
            with self.subTest(role=role):
                self.assertFalse(self.probe(pick, (role, "own")))
        for observable in (
            "open the page of a family in their group",
            "read the contacts of a family in their group",
            "record contacts about a pupil they teach",
        ):
            self.assertFalse(self.probe(observable, (MENTOR, "own")))


def _allowed(get, user, pk) -> bool:
    """True when a fetch-or-404 helper returns the record; False on 404 or 403."""
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    try:
        get(user, pk)
    except (Http404, PermissionDenied):
        return False
    return True
