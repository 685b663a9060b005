"""Break the access policy one rule at a time and check that a test fails each time.

    .venv/bin/python scripts/mutate_access.py            # all breakages
    .venv/bin/python scripts/mutate_access.py --list     # what it breaks
    .venv/bin/python scripts/mutate_access.py --file cases.py --only cases.   # a subset
    make mutate-access

Each breakage is a small text edit in ``bondgenoot/access/`` (a role added to or taken
from a capability, a clause removed, a check that always answers yes). For each one the
script edits the file, runs the access tests and, if they all still pass, the whole
non-browser suite; then it restores the file. A breakage that no test notices
"survives": the script lists the survivors and exits 1 when there are any.
The file is restored also when the run is interrupted.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ACCESS = ROOT / "bondgenoot" / "access"
PYTEST = [str(ROOT / ".venv" / "bin" / "pytest"), "-q", "-x", "-p", "no:cacheprovider"]


@dataclass(frozen=True)
class Breakage:
    name: str
    file: str
    old: str
    new: str


def cap(name: str, old_roles: str, new_roles: str) -> Breakage:
    return Breakage(
        f"capability {name}: {{{old_roles}}} -> {{{new_roles}}}",
        "core.py",
        f'"{name}": frozenset({{{old_roles}}})',
        f'"{name}": frozenset({{{new_roles}}})',
    )


BREAKAGES = [
    # The capability table: one role too many, one too few.
    cap("families.whole_school", "CARE, ADMIN", "CARE, ADMIN, LEADER"),
    cap("families.whole_school", "CARE, ADMIN", "CARE"),
    cap("families.mentored", "MENTOR", "MENTOR, TEACHER"),
    cap("families.edit_whole_school", "CARE", "CARE, ADMIN"),
    cap("pupils.taught", "TEACHER", "TEACHER, LEADER"),
    cap("ledger.whole_school", "CARE", "CARE, ADMIN"),
    cap("ledger.record", "TEACHER, MENTOR, CARE", "TEACHER, MENTOR, CARE, ADMIN"),
    cap("ledger.record", "TEACHER, MENTOR, CARE", "MENTOR, CARE"),
    cap("ledger.follow_up", "MENTOR, CARE", "MENTOR, CARE, LEADER"),
    cap("monitor.whole_school", "LEADER, CARE", "LEADER, CARE, MENTOR"),
    cap("audit", "CARE, ADMIN", "CARE, ADMIN, LEADER"),
    cap("audit.ledger_entries", "CARE", "CARE, ADMIN"),
    cap("registry.view", "MENTOR, CARE, ADMIN", "MENTOR, CARE, ADMIN, TEACHER"),
    cap("registry.edit", "CARE, ADMIN", "CARE, ADMIN, MENTOR"),
    cap("bridges.key_figure", "KEY_FIGURE", "KEY_FIGURE, PARTNER"),
    cap("messages.write", "MENTOR, CARE", "MENTOR, CARE, TEACHER"),
    cap("messages.whole_school", "CARE", "CARE, LEADER"),
    cap("meetings.organise", "MENTOR, CARE, LEADER", "MENTOR, CARE, LEADER, TEACHER"),
    cap("meetings.whole_school", "CARE, LEADER", "CARE, LEADER, MENTOR"),
    cap("meetings.check_in", "MENTOR, CARE", "MENTOR, CARE, LEADER"),
    cap("signals.record", "TEACHER, MENTOR, CARE, ADMIN", "TEACHER, MENTOR, CARE, ADMIN, LEADER"),
    cap("signals.read_all", "CARE", "CARE, ADMIN"),
    cap("signals.counts", "LEADER, CARE", "LEADER, CARE, MENTOR"),
    cap("agreements.manage", "ADMIN", "ADMIN, CARE"),
    cap("agreements.read", "CARE, ADMIN", "CARE, ADMIN, LEADER"),
    cap("agreements.read", "CARE, ADMIN", "ADMIN"),
    cap("partner.inbox", "PARTNER", "PARTNER, KEY_FIGURE"),
    cap("parentvoice.requests", "CARE", "CARE, ADMIN"),
    cap("cases.manage", "CARE", "CARE, MENTOR"),
    cap(
        "cases.participate",
        "MENTOR, TEACHER, CARE, PARTNER",
        "MENTOR, TEACHER, CARE, PARTNER, LEADER",
    ),
    cap("cases.participate", "MENTOR, TEACHER, CARE, PARTNER", "MENTOR, TEACHER, CARE"),
    cap("cases.staff_name", "MENTOR, TEACHER, CARE", "MENTOR, TEACHER, CARE, PARTNER"),
    cap("protocols.manage", "CARE", "CARE, LEADER"),
    cap("protocols.staff", "MENTOR, TEACHER, CARE, LEADER, ADMIN", "MENTOR, TEACHER, CARE, LEADER"),
    cap(
        "protocols.staff",
        "MENTOR, TEACHER, CARE, LEADER, ADMIN",
        "MENTOR, TEACHER, CARE, LEADER, ADMIN, KEY_FIGURE",
    ),
    cap("protocols.partner", "PARTNER", "PARTNER, KEY_FIGURE"),
    Breakage(
        "protocols: staff read protocols written for partners only",
        "protocols.py",
        'Q(for_staff=True, school_id__in=schools_for(user, "protocols.staff"))',
        'Q(school_id__in=schools_for(user, "protocols.staff"))',
    ),
    Breakage(
        "protocols: staff comment whatever the audience",
        "protocols.py",
        '    if protocol.for_staff and can(user, "protocols.staff"',
        '    if can(user, "protocols.staff"',
    ),
    Breakage(
        "protocols: parents read protocols not written for parents",
        "protocols.py",
        "Protocol.objects.filter(school_id=pupil.school_id, for_parents=True)",
        "Protocol.objects.filter(school_id=pupil.school_id)",
    ),
    Breakage(
        "protocols: anyone reads the parents' protocols of any child",
        "protocols.py",
        "    if not is_parent_of(user, pupil):\n        return Protocol.objects.none()\n",
        "",
    ),
    cap("patterns.view", "ANALYST", "ANALYST, LEADER"),
    cap("patterns.grant", "ADMIN", "ADMIN, CARE"),
    Breakage(
        "discussions: every participant, whatever their role",
        "cases.py",
        'Q(participants=user, school_id__in=schools_for(user, "cases.participate"))',
        "Q(participants=user)",
    ),
    Breakage(
        "names: partners see names with school-only consent",
        "cases.py",
        '    if consent_scope == "table":\n        return True\n    return can(',
        "    return True\n    return can(",
    ),
    Breakage(
        "parents see the other parent's case invitations",
        "cases.py",
        "        guardian__user=user,\n",
        "",
    ),
    Breakage(
        "parent summaries without consent in force",
        "cases.py",
        "        .filter(Exists(in_force))",
        "",
    ),
    cap("admin.register", "ADMIN, LEADER", "ADMIN, LEADER, CARE"),
    cap("admin.register", "ADMIN, LEADER", "ADMIN"),
    cap("admin.accounts", "ADMIN", "ADMIN, LEADER"),
    cap("admin.people", "ADMIN", "ADMIN, CARE"),
    cap("admin.school_year", "ADMIN", "ADMIN, LEADER"),
    cap("admin.settings", "ADMIN", "ADMIN, LEADER"),
    cap("roster.import", "ADMIN", "ADMIN, LEADER"),
    # (adding TEACHER or LEADER here changes nothing: neither may open a family's page)
    cap("portal.invite", "MENTOR, CARE, ADMIN", "MENTOR, CARE"),
    cap("records.restrict", "CARE", "CARE, MENTOR"),
    Breakage(
        "a parent sees restricted contacts",
        "parents.py",
        '        _not_restricted("contact"),\n        family_id=pupil.family_id,',
        "        family_id=pupil.family_id,",
    ),
    Breakage(
        "a parent sees contacts about a step-sibling",
        "parents.py",
        "Q(pupils=pupil) | Q(pupils__isnull=True, guardians=guardian)",
        "Q(pupils__family=pupil.family_id) | Q(pupils__isnull=True, guardians=guardian)",
    ),
    Breakage(
        "a parent consents to a share about a restricted signal",
        "parents.py",
        '            ~Q(Exists(restricted)), signal__pupil__in=parent_pupils(user).values("pk")',
        '            signal__pupil__in=parent_pupils(user).values("pk")',
    ),
    Breakage(
        "a parent consents to a share about another family's child",
        "parents.py",
        '            ~Q(Exists(restricted)), signal__pupil__in=parent_pupils(user).values("pk")',
        "            ~Q(Exists(restricted))",
    ),
    Breakage(
        "a parent answers a proposed share on another child's pages",
        "parents.py",
        "    if ask.signal.pupil_id != pupil.pk:\n        raise Http404\n    return ask",
        "    return ask",
    ),
    Breakage(
        "anyone who sees a signal asks the parents for consent to share it",
        "parents.py",
        "    if signal.school_id not in care_schools(user):\n        raise Http404\n"
        "    return signal",
        "    return signal",
    ),
    cap("templates.read", "MENTOR, TEACHER, CARE, LEADER, ADMIN", "MENTOR, CARE, LEADER, ADMIN"),
    Breakage(
        "two-step login for every role",
        "core.py",
        '"login.two_factor": frozenset(TWO_FACTOR_ROLES)',
        '"login.two_factor": frozenset(TWO_FACTOR_ROLES | {MENTOR})',
    ),
    # Primitives.
    Breakage(
        "inactive accounts keep their rights",
        "core.py",
        'getattr(user, "is_authenticated", False) and getattr(user, "is_active", False)',
        'getattr(user, "is_authenticated", False)',
    ),
    Breakage(
        "authors read back their records at any school",
        "core.py",
        'return Q(**{field: user, "school_id__in": schools_for(user, "ledger.record")})',
        "return Q(**{field: user})",
    ),
    Breakage(
        "can() ignores the school",
        "core.py",
        "return bool(schools) if school_id is None else school_id in schools",
        "return bool(schools)",
    ),
    Breakage(
        "roles are not re-read after forget_roles",
        "core.py",
        "    for attr in (_CACHE_ATTR, MENTORED_CACHE_ATTR, PARENT_CACHE_ATTR):\n"
        "        if hasattr(user, attr):\n            delattr(user, attr)",
        "    pass",
    ),
    # The parent's voice.
    Breakage(
        "parents see contacts about a step-sibling",
        "parentvoice.py",
        "        .exclude(pupils__in=_other_children(user, pupil))\n",
        "",
    ),
    Breakage(
        "parents see shares the parents may not know of",
        "parentvoice.py",
        'signal__in=visible_signals_for_parent(user, pupil).values("pk"), restricted=False',
        'signal__in=visible_signals_for_parent(user, pupil).values("pk")',
    ),
    Breakage(
        "parents read signals with the interpretation",
        "parentvoice.py",
        "return _shown_to_parents(Signal.objects.filter(pupil=pupil)).only(*SIGNAL_FIELDS)",
        "return _shown_to_parents(Signal.objects.filter(pupil=pupil))",
    ),
    Breakage(
        "another parent downloads the export",
        "parentvoice.py",
        "ExportJob.objects.filter(pupil=pupil, user=user), pk)",
        "ExportJob.objects.filter(pupil=pupil), pk)",
    ),
    Breakage(
        "another parent reads a request about the record",
        "parentvoice.py",
        "RecordRequest.objects.filter(pupil=pupil, guardian__user=user), pk)",
        "RecordRequest.objects.filter(pupil=pupil), pk)",
    ),
    # Administration (the register).
    Breakage(
        "accounts of every school in the register",
        "administration.py",
        '    member = Membership.objects.filter(user=OuterRef("pk"), school_id__in=schools)',
        '    member = Membership.objects.filter(user=OuterRef("pk"))',
    ),
    Breakage(
        "an account is editable by a reader of the register",
        "administration.py",
        "    if not Membership.objects.filter(user=account, school_id__in=schools).exists():\n"
        "        raise PermissionDenied",
        "    pass",
    ),
    Breakage(
        "pupils of the register changeable without admin.people",
        "administration.py",
        '    if write and not can(user, "admin.people", pupil.school_id):',
        "    if False:",
    ),
    Breakage(
        "guardians of the register changeable without admin.people",
        "administration.py",
        '    if write and not can(user, "admin.people", guardian.school_id):',
        "    if False:",
    ),
    Breakage(
        "families of every school for a merge",
        "administration.py",
        "    return Family.objects.filter(school_id__in=schools_for(user, capability))",
        "    return Family.objects.all()",
    ),
    # Families.
    Breakage(
        "mentored pupils from any school year",
        "families.py",
        "        group__mentors=user,\n        group__school_year=current_school_year(),",
        "        group__mentors=user,",
    ),
    Breakage(
        "mentored pupils who left still count",
        "families.py",
        "        group__school_year=current_school_year(),\n        left_on__isnull=True,\n"
        '        group__school_id__in=schools_for(user, "families.mentored"),',
        "        group__school_year=current_school_year(),\n"
        '        group__school_id__in=schools_for(user, "families.mentored"),',
    ),
    Breakage(
        "mentor link counts without the mentor role there",
        "families.py",
        '        group__school_id__in=schools_for(user, "families.mentored"),\n    )',
        "    )",
    ),
    Breakage(
        "taught pupils who left still count",
        "families.py",
        '        school_id__in=schools_for(user, "pupils.taught"),\n        left_on__isnull=True,',
        '        school_id__in=schools_for(user, "pupils.taught"),',
    ),
    Breakage(
        "teacher link counts without the teacher role there",
        "families.py",
        '        school_id__in=schools_for(user, "pupils.taught"),\n',
        "",
    ),
    Breakage(
        "parents see children who left",
        "families.py",
        "        ),\n        left_on__isnull=True,\n    )",
        "        ),\n    )",
    ),
    Breakage(
        "parents without authority see their children",
        "families.py",
        "guardian__user=user, parental_authority=True",
        "guardian__user=user",
    ),
    Breakage(
        "the group filter offers every group",
        "families.py",
        '            | Q(mentors=user, school_id__in=schools_for(user, "families.mentored")),\n'
        "            school_year=current_school_year(),\n        )\n        .distinct()",
        "            | Q(school_year=current_school_year()),\n"
        "            school_year=current_school_year(),\n        )\n        .distinct()",
    ),
    Breakage(
        "any mentor edits any family",
        "families.py",
        "        return True\n    return mentors_family(user, family)\n\n\ndef get_family_for_edit",
        '        return True\n    return can(user, "families.mentored")\n\n\n'
        "def get_family_for_edit",
    ),
    Breakage(
        "any mentor works with any family",
        "families.py",
        "    ids.update(f.pk for f in others if mentors_family(user, f))",
        '    ids.update(f.pk for f in others if can(user, "families.mentored"))',
    ),
    Breakage(
        "a whole-school role works with families of other schools",
        "families.py",
        "    ids = {f.pk for f in families if f.school_id in schools}",
        "    ids = {f.pk for f in families if schools}",
    ),
    Breakage(
        "a parent's child page shows their first child for any id",
        "parents.py",
        "            return child\n    raise Http404",
        "            return child\n    if children:\n        return children[0]\n    raise Http404",
    ),
    Breakage(
        "a parent's child page takes their guardian record without authority",
        "parents.py",
        'pupil=OuterRef("pk"), guardian__user=user, parental_authority=True',
        'pupil=OuterRef("pk"), guardian__user=user',
    ),
    Breakage(
        "a parent's child page takes another guardian's record",
        "parents.py",
        'pupil=OuterRef("pk"), guardian__user=user, parental_authority=True',
        'pupil=OuterRef("pk"), parental_authority=True',
    ),
    Breakage(
        "a mentor's list says they mentor every family (with_mentored)",
        "families.py",
        '    mentored = mentored_pupils(user).filter(family_id=OuterRef("pk"))',
        "    mentored = mentored_pupils(user)",
    ),
    Breakage(
        "a family read with one user's answer answers for any user (with_mentored)",
        "families.py",
        '    read: bool | None = getattr(family, f"{MENTORED_PREFIX}{user.pk}", None)',
        "    read = next((v for k, v in vars(family).items()"
        " if k.startswith(MENTORED_PREFIX)), None)",
    ),
    # The same rules over a family read with its people (the family page, its panels).
    Breakage(
        "a mentor of last year's group mentors the family (read with its people)",
        "families.py",
        "        and group.school_year == current_school_year()\n",
        "",
    ),
    Breakage(
        "a pupil who left keeps the mentor (read with its people)",
        "families.py",
        "        pupil.left_on is None\n        and group is not None",
        "        group is not None",
    ),
    Breakage(
        "a named mentor without the mentor role there (read with its people)",
        "families.py",
        '        and can(user, "families.mentored", group.school_id)\n',
        "",
    ),
    Breakage(
        "any mentor of the school's groups mentors the family (read with its people)",
        "families.py",
        "        and any(mentor.pk == user.pk for mentor in group.mentors.all())",
        "        and bool(group.mentors.all())",
    ),
    Breakage(
        "pupils who left can be picked on the family page",
        "families.py",
        "    pupils = [p for p in pupils if p.left_on is None]",
        "    pupils = list(pupils)",
    ),
    Breakage(
        "a teacher picks any pupil of the family",
        "families.py",
        "        if p.school_id in whole_school or p.pk in taught or _mentors_pupil(user, p)",
        "        if p.school_id in whole_school or bool(taught) or _mentors_pupil(user, p)",
    ),
    Breakage(
        "a parent's page treats any pupil as their child",
        "families.py",
        "    return pupil.pk in cached\n",
        "    return True\n",
    ),
    Breakage(
        "a parent's start page remembers children of others",
        "families.py",
        "        setattr(user, PARENT_CACHE_ATTR, frozenset(p.pk for p in pupils))",
        "        setattr(user, PARENT_CACHE_ATTR, "
        "frozenset(Pupil.objects.values_list('pk', flat=True)))",
    ),
    Breakage(
        "get_family_for_edit does not check",
        "families.py",
        "    if not can_edit_family(user, family):\n        raise PermissionDenied",
        "    pass",
    ),
    # Ledger.
    Breakage(
        "loggable pupils include those who left",
        "ledger.py",
        "pupils = family.pupils.filter(left_on__isnull=True)",
        "pupils = family.pupils.all()",
    ),
    Breakage(
        "contact edit: care coordinators of any school",
        "ledger.py",
        'if can(user, "ledger.whole_school", contact.school_id):',
        'if can(user, "ledger.whole_school"):',
    ),
    Breakage(
        "contact edit: 403 becomes a pass",
        "ledger.py",
        "    if contacts_visible_to(user).filter(pk=contact.pk).exists():\n"
        "        raise PermissionDenied\n    raise Http404",
        "    return contact",
    ),
    Breakage(
        "next steps of any family",
        "ledger.py",
        "return qs.filter(Q(owner=user) | Q(family__in=contact_families(user)))",
        "return qs",
    ),
    Breakage(
        "next step owners include mentors of other years",
        "ledger.py",
        "                mentor_groups__school_year=current_school_year(),\n",
        "",
    ),
    Breakage(
        "teacher records for any family",
        "ledger.py",
        "    if can_view_contacts(user, family) or loggable_pupils(user, family).exists():",
        "    if True:",
    ),
    # Figures.
    Breakage(
        "monitor counts every family of the school for a mentor",
        "figures.py",
        '        rule |= Q(pk__in=mentored_pupils(user).values("family_id"))\n'
        "    return Family.objects.filter(rule)",
        '        rule |= Q(school_id__in=schools_for(user, "families.mentored"))\n'
        "    return Family.objects.filter(rule)",
    ),
    # Bridges.
    Breakage(
        "consent counts after withdrawal",
        "../bridges/querysets.py",
        "            withdrawn_at__isnull=True,\n",
        "",
    ),
    Breakage(
        "authority rule: parents without parental authority",
        "../people/querysets.py",
        'q = Q(**{f"{prefix}parental_authority": True, f"{prefix}pupil__left_on__isnull": True})',
        'q = Q(**{f"{prefix}pupil__left_on__isnull": True})',
    ),
    Breakage(
        "authority rule: pupils who left",
        "../people/querysets.py",
        'q = Q(**{f"{prefix}parental_authority": True, f"{prefix}pupil__left_on__isnull": True})',
        'q = Q(**{f"{prefix}parental_authority": True})',
    ),
    Breakage(
        "external key figures without an agreement",
        "bridges.py",
        '        agreement_rule("key_figure__"),\n',
        "",
    ),
    Breakage(
        "ended bridges stay open",
        "bridges.py",
        "        ended_at__isnull=True,\n        key_figure__user=user,",
        "        key_figure__user=user,",
    ),
    Breakage(
        "deactivated key figure entries stay open",
        "bridges.py",
        "        key_figure__active=True,\n",
        "",
    ),
    Breakage(
        "key figure role at any school",
        "bridges.py",
        '        key_figure__school_id__in=schools_for(user, "bridges.key_figure"),\n',
        "",
    ),
    Breakage(
        "consent scope ignores the policy's consent rule",
        "bridges.py",
        "        Consent.objects.in_force()\n        .filter(bridge=bridge)",
        "        Consent.objects.filter(bridge=bridge, withdrawn_at__isnull=True)",
    ),
    Breakage(
        "bridge management without edit rights",
        "bridges.py",
        "    if not can_edit_family(user, bridge.family):\n        raise PermissionDenied\n"
        "    return bridge",
        "    return bridge",
    ),
    # Messages.
    Breakage(
        "writers read their messages after leaving",
        "messages.py",
        'own = Q(author=user, school_id__in=schools_for(user, "messages.write"))',
        "own = Q(author=user)",
    ),
    Breakage(
        "message groups of other mentors",
        "messages.py",
        '        | Q(mentors=user, school_id__in=schools_for(user, "families.mentored")),',
        '        | Q(school_id__in=schools_for(user, "families.mentored")),',
    ),
    # Translation requests.
    cap("translations.ask", "MENTOR, CARE", "MENTOR, CARE, TEACHER"),
    cap(
        "translations.colleague",
        "MENTOR, TEACHER, CARE, LEADER, ADMIN",
        "MENTOR, TEACHER, CARE, LEADER, ADMIN, KEY_FIGURE",
    ),
    Breakage(
        "key figures translate without consent for every family",
        "translations.py",
        "            ~Exists(unbridged),\n",
        "",
    ),
    Breakage(
        "key figures offered without consent for every family",
        "translations.py",
        'elif KEY_FIGURE in held and bridged.get(c["pk"], set()) >= set(family_ids):',
        "elif KEY_FIGURE in held:",
    ),
    Breakage(
        "translators open requests made to someone else",
        "translations.py",
        "        translator=user,\n        status=TranslationRequest.Status.ASKED,",
        "        status=TranslationRequest.Status.ASKED,",
    ),
    # Meetings.
    Breakage(
        "check-in any day",
        "meetings.py",
        "    return meeting.starts_at - CHECK_IN_WINDOW <= now <= "
        "meeting.ends_at + CHECK_IN_WINDOW",
        "    return True",
    ),
    Breakage(
        "organisers manage meetings after losing the role",
        "meetings.py",
        '    return meeting.created_by_id == user.pk and can(user, "meetings.organise", '
        "meeting.school_id)",
        "    return meeting.created_by_id == user.pk",
    ),
    # Network.
    Breakage(
        "partners see shares with other organisations",
        "network.py",
        "        partner_id=user.organisation_id,\n",
        "",
    ),
    Breakage(
        "partners see shares of schools where they are no partner",
        "network.py",
        '        signal__school_id__in=schools_for(user, "partner.inbox"),\n',
        "",
    ),
    Breakage(
        "emergency access that never expires",
        "network.py",
        "BreakGlass.objects.filter(user=user, pupil=pupil, until__gt=timezone.now())",
        "BreakGlass.objects.filter(user=user, pupil=pupil)",
    ),
    Breakage(
        "interpretation for everyone who reads the signal",
        "network.py",
        "    return signal.school_id in care_schools(user)\n\n\ndef can_record_signals",
        "    return True\n\n\ndef can_record_signals",
    ),
]


def run(args: list[str]) -> bool:
    """True when the tests pass."""
    result = subprocess.run(
        args, cwd=ROOT, capture_output=True, text=True, env={**_env(), "DEBUG": "0"}
    )
    return result.returncode == 0


def _env() -> dict[str, str]:
    import os

    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    return env


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--list", action="store_true")
    parser.add_argument(
        "--only",
        action="append",
        help="run the breakages whose name contains this text (repeat for several)",
    )
    parser.add_argument(
        "--file",
        action="append",
        help="run the breakages of this policy file, e.g. cases.py (repeat for several)",
    )
    args = parser.parse_args()
    chosen = [
        b
        for b in BREAKAGES
        if (not args.only and not args.file)
        or any(text in b.name for text in args.only or [])
        or b.file in (args.file or [])
    ]
    if args.list:
        for b in chosen:
            print(f"{b.file:28} {b.name}")
        return 0
    if not run([*PYTEST, "bondgenoot/access"]):
        print("The access tests fail without any breakage: fix them first.")
        return 2
    survivors = []
    started = time.monotonic()
    for number, breakage in enumerate(chosen, 1):
        path = (ACCESS / breakage.file).resolve()
        original = path.read_text()
        count = original.count(breakage.old)
        if count != 1:
            print(f"[{number}/{len(chosen)}] CANNOT APPLY ({count} matches): {breakage.name}")
            survivors.append(f"{breakage.name} (could not be applied)")
            continue
        try:
            path.write_text(original.replace(breakage.old, breakage.new))
            caught = not run([*PYTEST, "bondgenoot/access"]) or not run(
                [*PYTEST, "-m", "not browser and not scale", "bondgenoot"]
            )
        finally:
            path.write_text(original)
        print(f"[{number}/{len(chosen)}] {'caught  ' if caught else 'SURVIVED'} {breakage.name}")
        if not caught:
            survivors.append(breakage.name)
    print(
        f"\n{len(chosen) - len(survivors)} of {len(chosen)} breakages caught,"
        f" {len(survivors)} survived ({time.monotonic() - started:.0f} s)."
    )
    for name in survivors:
        print(f"  survived: {name}")
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main())
