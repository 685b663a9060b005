"""Every table with personal data can be distributed by school (docs/scaling.md).

Past one database, Bondgenoot distributes its tables by school (Citus): a school's rows
live together on one node, and every query of a user is routed to the schools they work
at. That holds only if every table with personal data knows its school, and if the access
policy's querysets filter by school. This module keeps both true:

* every model of the project is classified here: distributed by school (with the path
  from its rows to the school: ``school`` for its own foreign key, or the explicit path
  through a parent), a reference table (small, the same for every school, copied to
  every node) or global (outside the per-school data, with the reason). A new model
  fails the test until it is classified;
* the paths resolve, through foreign keys, to ``people.School``;
* the list of tables that reach their school through a parent is exact: they get their
  own ``school_id`` column before distribution (docs/scaling.md, step 3);
* the SQL of the access policy's main querysets, for each role, filters on a school.
"""

from __future__ import annotations

import re

from django.apps import apps
from django.core.exceptions import EmptyResultSet
from django.db.models import ForeignKey, Model
from django.test import SimpleTestCase

from bondgenoot import access
from bondgenoot.people.models import School
from bondgenoot.testing import BaseTestCase

# Tables distributed by school: label -> the path from a row to its school.
DISTRIBUTED: dict[str, str] = {
    # Their own school column (the distribution column).
    "people.Membership": "school",
    "people.Group": "school",
    "people.Family": "school",
    "people.Pupil": "school",
    "people.Guardian": "school",
    "contacts.Contact": "school",
    "contacts.FamilySummary": "school",
    "contacts.FamilyYearSummary": "school",
    "contacts.FamilyMonthSummary": "school",
    "contacts.SchoolLedgerVersion": "school",
    "bridges.KeyFigure": "school",
    "messaging.Message": "school",
    "meetings.Meeting": "school",
    "network.Signal": "school",
    "network.Agreement": "school",
    "network.SignalMonthCount": "school",
    "parentvoice.ConversationRequest": "school",
    "parentvoice.ParentView": "school",
    "parentvoice.RecordRequest": "school",
    "parentvoice.HomeStory": "school",
    "parentvoice.ExportJob": "school",
    "cases.Discussion": "school",
    "cases.MeldcodeRoute": "school",
    "administration.Rollover": "school",
    "people.SchoolSettings": "school",
    "messaging.TranslationRequest": "school",
    "roster.SourceLink": "school",
    "roster.ImportRun": "school",
    "roster.ColumnMapping": "school",
    "protocols.Protocol": "school",
    "portal.InvitationBatch": "school",
    "portal.Activation": "school",
    "portal.Restriction": "school",
    "portal.ShareConsent": "school",
    # Through a parent: these get a school_id column of their own before distribution.
    "people.Group_mentors": "group__school",
    "people.Group_teachers": "group__school",
    "people.Guardian_home_languages": "guardian__school",
    "people.Guardianship": "pupil__school",
    "contacts.Contact_guardians": "contact__school",
    "contacts.Contact_pupils": "contact__school",
    "contacts.ContactRevision": "contact__school",
    "contacts.NextStep": "family__school",
    "approach.SituationChange": "family__school",
    "bridges.KeyFigure_languages": "keyfigure__school",
    "bridges.Bridge": "family__school",
    "bridges.Consent": "bridge__family__school",
    "messaging.Delivery": "message__school",
    "messaging.Reply": "delivery__message__school",
    "meetings.Meeting_languages": "meeting__school",
    "meetings.Meeting_groups": "meeting__school",
    "meetings.Meeting_families": "meeting__school",
    "meetings.Invitation": "meeting__school",
    "meetings.Attendance": "meeting__school",
    "network.AgreementVersion": "agreement__school",
    "network.Share": "signal__school",
    "network.Feedback": "share__signal__school",
    "network.BreakGlass": "pupil__school",
    "cases.Discussion_participants": "discussion__school",
    "cases.AgendaItem": "discussion__school",
    "cases.ItemConsent": "item__discussion__school",
    "cases.ParentInvitation": "item__discussion__school",
    "cases.CaseAction": "item__discussion__school",
    "cases.SummaryTranslation": "item__discussion__school",
    "cases.MeldcodeStep": "route__school",
    "cases.FrameworkAnswer": "route__school",
    "administration.Placement": "pupil__school",
    "messaging.TranslationRequest_families": "translationrequest__school",
    "protocols.ProtocolVersion": "protocol__school",
    "protocols.Paragraph": "version__protocol__school",
    "protocols.Comment": "paragraph__version__protocol__school",
    "protocols.SummaryTranslation": "version__protocol__school",
    "administration.RolloverMove": "rollover__school",
}

# Small tables, the same for every school: Citus reference tables (a copy on every node).
REFERENCE = {
    "people.School",
    "people.Organisation",  # partner organisations work with several schools
    "people.Language",
    "auth.Permission",
    "auth.Group",
    "contenttypes.ContentType",
}

# Outside the per-school data, on the coordinator, and why.
GLOBAL: dict[str, str] = {
    "people.User": "one account may hold roles at several schools (Membership is per school)",
    "people.User_groups": "Django's permission groups of an account",
    "people.User_user_permissions": "Django's permissions of an account",
    "audit.AuditEntry": "one hash chain for the installation; school_id kept as a plain column",
    "audit.AuditHead": "the head of that chain",
    "portal.SignInLink": "a parent's sign-in link belongs to the account",
    "portal.Attempt": "throttling of sign-in attempts per address",
    "portal.ParentPreference": "an account's language and settings",
    "portal.InterpretationRelease": "global release decisions, no personal data",
}

# Every app of the project (a new app is covered without being listed here).
PROJECT_APPS = {
    config.label for config in apps.get_app_configs() if config.name.startswith("bondgenoot.")
}


def project_models() -> list[type[Model]]:
    return [
        m for m in apps.get_models(include_auto_created=True) if m._meta.app_label in PROJECT_APPS
    ]


def resolve(model: type[Model], path: str) -> type[Model]:
    for name in path.split("__"):
        field = model._meta.get_field(name)
        if not isinstance(field, ForeignKey):
            raise AssertionError(f"{model._meta.label}.{name} is not a foreign key")
        model = field.related_model  # type: ignore[assignment]  # a model class here
    return model


class EveryTableKnowsItsSchoolTest(SimpleTestCase):
    def test_every_model_is_classified(self):
        labels = {m._meta.label for m in project_models()}
        classified = set(DISTRIBUTED) | (REFERENCE & labels) | set(GLOBAL)
        self.assertEqual(sorted(labels - classified), [], "classify the new model(s) here")
        self.assertEqual(sorted(set(DISTRIBUTED) - labels), [], "a classified model is gone")
        self.assertFalse(set(DISTRIBUTED) & set(GLOBAL))

    def test_each_path_leads_to_the_school(self):
        for label, path in DISTRIBUTED.items():
            with self.subTest(label):
                self.assertIs(resolve(apps.get_model(label), path), School)

    def test_the_list_of_tables_without_their_own_school_column_is_exact(self):
        # A table given its own school column must move to "school" above, so that the
        # list of migrations still to do (docs/scaling.md) stays true.
        for label, path in DISTRIBUTED.items():
            with self.subTest(label):
                has_own = any(
                    f.name == "school" and isinstance(f, ForeignKey)
                    for f in apps.get_model(label)._meta.get_fields()
                )
                self.assertEqual(has_own, path == "school")


# The access policy's main querysets (they feed every list and record page).
QUERYSETS = [
    "families_visible_to",
    "pupils_visible_to",
    "contacts_visible_to",
    "next_steps_visible_to",
    "signals_visible_to",
    "queue_signals",
    "queue_shares",
    "meetings_visible_to",
    "messages_visible_to",
    "key_figures_visible_to",
    "discussions_visible_to",
    "routes_visible_to",
    "audit_entries_visible_to",
    "accounts_visible_to",
]
ROLES = ["mentor", "teacher", "care", "leader", "admin", "keyfigure", "partner", "dual"]
SCHOOL_FILTER = re.compile(r'"school_id"\s*(IN\s*\(|=)')
# A user's own next steps follow the user (an owner is always someone who may read the
# family's contacts, at its school); on Citus this branch is one query to every node.
CROSS_SCHOOL = {"next_steps_visible_to": re.compile(r'"owner_id"\s*=')}


class AccessQueriesFilterBySchoolTest(BaseTestCase):
    def test_every_access_queryset_filters_on_a_school(self):
        checked = 0
        for role in ROLES:
            user = getattr(self, role)
            for name in QUERYSETS:
                with self.subTest(role=role, queryset=name):
                    try:
                        sql = str(getattr(access, name)(user).query)
                    except EmptyResultSet:
                        continue  # nothing for this role: no query at all
                    checked += 1
                    if name in CROSS_SCHOOL and not SCHOOL_FILTER.search(sql):
                        # Only the documented exception: where owner_id = the user.
                        where = sql.split(" WHERE ", 1)[1].split(" ORDER BY ")[0]
                        self.assertRegex(where, r'^"contacts_nextstep"\."owner_id" = \d+$')
                        continue
                    self.assertRegex(sql, SCHOOL_FILTER)
        self.assertGreater(checked, 40)

    def test_the_check_notices_a_query_without_a_school(self):
        from bondgenoot.people.models import Family

        self.assertNotRegex(str(Family.objects.filter(name="x").query), SCHOOL_FILTER)
        self.assertRegex(str(Family.objects.filter(school=self.school).query), SCHOOL_FILTER)
