"""Synthetic key figures, situations and bridges for the seed command.

Per school: a registry of key figures (inside school and in the neighbourhood, with
languages and postcode areas drawn from the school's families), a few families in each
situation (with a reason in their history), and bridges with and without consent. At
the first school the demo key figure account bridges three families of the demo mentor.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from bondgenoot.approach.models import SituationChange
from bondgenoot.people.models import Role, Situation, User
from bondgenoot.people.seeding import names

from .models import Bridge, Consent, KeyFigure

# (name, kind, organisation, languages, communities, availability)
REGISTRY = [
    (
        "Fatima Bouzid",
        "neighbourhood_parent",
        "Buurtmoeders Charlois",
        ["ar", "zgh", "nl"],
        "Marokkaans-Nederlandse moeders",
        "ma, wo, vr ochtend",
    ),
    (
        "Hüseyin Demir",
        "religious_leader",
        "Moskee Mevlana",
        ["tr", "nl"],
        "Turks-Nederlandse gezinnen",
        "na het vrijdaggebed",
    ),
    (
        "Ayaan Warsame",
        "neighbourhood_professional",
        "Wijkteam Feijenoord",
        ["so", "nl", "en"],
        "Somalische gezinnen",
        "di en do",
    ),
    (
        "Tesfay Gebremariam",
        "street_worker",
        "Jongerenwerk Zuid",
        ["ti", "nl"],
        "Eritrese jongeren en ouders",
        "middag en avond",
    ),
    (
        "Olena Kovalenko",
        "neighbourhood_parent",
        "Taalcafé Zuid",
        ["uk", "pl", "nl"],
        "Oekraïense en Poolse gezinnen",
        "wo middag",
    ),
    (
        "Rignald Martina",
        "youth_worker",
        "Jongerenwerk Zuid",
        ["pap", "srn", "nl"],
        "Antilliaanse en Surinaamse gezinnen",
        "ma t/m do",
    ),
    ("Ali Hassan", "caretaker", "", ["ar", "nl"], "", "elke schooldag"),
    (
        "Joke van den Berg",
        "neighbourhood_professional",
        "Buurthuis De Brug",
        ["nl"],
        "buurt rond het Zuidplein",
        "di, do",
    ),
]
DEMO_KEY_FIGURE = (
    "Mustafa Amezian",
    "youth_worker",
    "Jongerenwerk Zuid",
    ["ar", "zgh", "nl"],
    "jongeren en ouders in Charlois",
    "di t/m vr middag",
)

REASONS = {
    Situation.ABSENT: "Drie keer gebeld en een brief gestuurd, geen reactie. Niet op de "
    "ouderavond geweest.",
    Situation.DENYING: "Moeder zegt bij het gesprek over verzuim dat haar zoon altijd naar "
    "school gaat. Afgesproken: rustig gesprek met de feiten erbij.",
    Situation.SENSITIVE: "Zorgen over veiligheid thuis. In overleg met de zorgcoördinator: "
    "één vaste contactpersoon.",
}


class BridgeGenerator:
    def __init__(self, rng, uuid):
        self.rng = rng
        self.uuid = uuid

    def run(self, batch, school, staff, *, demo: bool) -> None:
        care = staff[Role.CARE_COORDINATOR]
        mentors_of: dict[int, User] = {}
        for group, mentor in batch.mentor_links:
            mentors_of.setdefault(group.pk, mentor)
        key_figures, languages = self.registry(school, staff, demo)
        situations: list[SituationChange] = []
        bridges: list[Bridge] = []
        consents: list[Consent] = []
        codes_of: dict = {}
        for guardian, code in batch.languages:
            codes_of.setdefault(guardian.pk, set()).add(code)
        families_with_lang: dict[str, list] = {}
        for family, pupils, guardians in batch.family_members:
            codes = set().union(*(codes_of.get(g.pk, set()) for g in guardians))
            for code in sorted(codes):
                families_with_lang.setdefault(code, []).append((family, pupils, guardians))
        now = timezone.now()
        today = timezone.localdate()
        # The demo mentor's group shows each situation once (after the demo bridges).
        demo_situations = [Situation.ABSENT, Situation.SENSITIVE, Situation.DENYING]
        demo_seen = 0
        for family, pupils, _guardians in batch.family_members:
            roll = self.rng.random()
            mentor = mentors_of[pupils[0].group.pk]
            situation = None
            if demo and mentor.username == "mentor":
                demo_seen += 1
                if 3 < demo_seen <= 3 + len(demo_situations):
                    roll = 1.0
                    situation = demo_situations[demo_seen - 4]
            if roll < 0.02:
                situation = Situation.ABSENT
            elif roll < 0.03:
                situation = Situation.DENYING
            elif roll < 0.04:
                situation = Situation.SENSITIVE
            if situation == Situation.SENSITIVE:
                family.contact_person_id = (care[0] if care else mentor).pk
            if situation:
                family.situation = situation
                situations.append(
                    SituationChange(
                        id=self.uuid(),
                        family=family,
                        situation=situation,
                        reason=REASONS[situation],
                        decided_on=today - timedelta(days=self.rng.randrange(5, 60)),
                        set_by=mentor
                        if situation != Situation.SENSITIVE
                        else (care or [mentor])[0],
                    )
                )
        # Bridges: each external key figure helps a few families who share a language.
        for kf in key_figures:
            if kf.user_id and demo:
                continue  # the demo key figure gets the demo mentor's families below
            spoken = [c for c in languages[kf.pk] if c != "nl"]
            pool = [f for c in spoken for f in families_with_lang.get(c, [])]
            for family, pupils, guardians in self.rng.sample(pool, min(len(pool), 3)):
                if any(b.family_id == family.pk and b.key_figure_id == kf.pk for b in bridges):
                    continue
                mentor = mentors_of[pupils[0].group.pk]
                bridge = Bridge(
                    id=self.uuid(),
                    family=family,
                    key_figure=kf,
                    reason="Spreekt de taal van de familie.",
                    introduced_by=mentor,
                )
                bridges.append(bridge)
                if self.rng.random() < 0.7:
                    consents.append(self.consent(bridge, guardians[0], mentor, today))
        if demo:
            self.demo_bridges(batch, key_figures, mentors_of, bridges, consents, today)
        for family in {c.family.pk: c.family for c in situations}.values():
            family.save(update_fields=["situation", "contact_person"])
        SituationChange.objects.bulk_create(situations)
        Bridge.objects.bulk_create(bridges)
        Bridge.objects.filter(pk__in=[b.pk for b in bridges]).update(introduced_at=now)
        Consent.objects.bulk_create(consents)

    def consent(self, bridge, guardian, mentor, today):
        return Consent(
            id=self.uuid(),
            bridge=bridge,
            guardian=guardian,
            given_on=today - timedelta(days=self.rng.randrange(1, 40)),
            how=self.rng.choice(["in_person", "phone", "interpreter"]),
            share_contact_person=True,
            share_meetings=self.rng.random() < 0.5,
            recorded_by=mentor,
        )

    def demo_bridges(self, batch, key_figures, mentors_of, bridges, consents, today):
        """The demo key figure bridges three families of the demo mentor's first group:
        two with consent, one waiting for it."""
        demo_kf = next((kf for kf in key_figures if kf.user_id), None)
        if demo_kf is None:
            return
        chosen = [
            (family, pupils, guardians)
            for family, pupils, guardians in batch.family_members
            if mentors_of[pupils[0].group.pk].username == "mentor"
        ][:3]
        for index, (family, pupils, guardians) in enumerate(chosen):
            mentor = mentors_of[pupils[0].group.pk]
            bridge = Bridge(
                id=self.uuid(),
                family=family,
                key_figure=demo_kf,
                reason="Kent de familie via het jongerenwerk.",
                introduced_by=mentor,
            )
            bridges.append(bridge)
            if index < 2:
                consents.append(self.consent(bridge, guardians[0], mentor, today))

    def registry(self, school, staff, demo: bool):
        rows = list(REGISTRY)
        key_figures, languages = [], {}
        demo_user = None
        if demo:
            demo_user = next(
                (u for u in staff[Role.KEY_FIGURE] if u.username == "sleutelfiguur"), None
            )
            rows.insert(0, DEMO_KEY_FIGURE)
        today = timezone.localdate()
        for index, (name, kind, org, langs, communities, availability) in enumerate(rows):
            areas = sorted({str(self.rng.choice(names.POSTCODE_AREAS)) for _ in range(3)})
            internal = kind in KeyFigure.INTERNAL_KINDS
            # One external key figure has no agreement yet: the registry shows the gap.
            agreed = internal or index != len(rows) - 1
            kf = KeyFigure(
                id=self.uuid(),
                school=school,
                name=name,
                kind=kind,
                organisation=org,
                email=f"{name.split()[0].lower()}.{school.pk}@example.org",
                postcode_areas=areas,
                communities=communities,
                availability=availability,
                max_families=self.rng.choice([None, 8, 12]),
                agreement_on=None if internal or not agreed else today - timedelta(days=200),
                confidentiality_signed=agreed and not internal,
                user=demo_user if (demo and index == 0) else None,
            )
            key_figures.append(kf)
            languages[kf.pk] = langs
        KeyFigure.objects.bulk_create(key_figures)
        KeyFigure.languages.through.objects.bulk_create(
            [
                KeyFigure.languages.through(keyfigure_id=kf.pk, language_id=code)
                for kf in key_figures
                for code in languages[kf.pk]
            ],
            ignore_conflicts=True,
        )
        return key_figures, languages


def bridge_for_demo_parent(mentor, guardian, family) -> None:
    """The demo key figure helps the demo parent's family, with this parent's consent
    (given in person): the portal shows it, and withdrawing it there takes the key
    figure's access away at once."""
    from . import actions

    key_figure = KeyFigure.objects.filter(school_id=family.school_id, user__isnull=False).first()
    if key_figure is None:
        return
    bridge = actions.introduce(mentor, family, key_figure, "Kent de familie via het jongerenwerk.")
    if not bridge.consents.filter(guardian=guardian, withdrawn_at__isnull=True).exists():
        actions.record_consent(
            mentor,
            bridge,
            {
                "guardian": guardian,
                "given_on": timezone.localdate() - timedelta(days=12),
                "how": "in_person",
                "share_contact_person": True,
                "share_meetings": True,
            },
        )
