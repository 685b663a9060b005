"""The family network picture: who is connected to the family, as SVG with a text
alternative. Positions are computed here; the template only draws them."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils.translation import gettext as _

WIDTH = 640
HEIGHT = 320
CENTRE = (WIDTH / 2, HEIGHT / 2)
RADIUS = (230, 115)
# The family's circle and the name inside it: at most two lines of this many characters
# (13px bold fits about 11 in the circle's width), the rest cut with an ellipsis. The
# full name stays in the picture's title and in a <title> on the circle.
FAMILY_RADIUS = 44
FAMILY_LINE = 11
FAMILY_LINES = 2


@dataclass
class Node:
    name: str
    role: str
    kind: str  # css class: mentor, contact, key_figure, waiting, partner
    x: float = 0
    y: float = 0
    dashed: bool = False

    @property
    def label_y(self) -> float:
        """Labels go on the outer side of a node, away from the lines to the centre."""
        if self.y < CENTRE[1] - 10:
            return self.y - 38
        return self.y + 32


def name_lines(name: str, width: int = FAMILY_LINE, lines: int = FAMILY_LINES) -> list[str]:
    """The name broken at spaces into at most ``lines`` lines of at most ``width``
    characters; a word too long for a line, or what does not fit, ends in "…"."""
    out: list[str] = []
    line = ""
    for word in name.split():
        candidate = f"{line} {word}" if line else word
        if len(candidate) <= width:
            line = candidate
            continue
        if line:
            out.append(line)
        line = word
    if line:
        out.append(line)
    out = [text if len(text) <= width else text[: width - 1] + "…" for text in out]
    if len(out) > lines:
        last = out[lines - 1].rstrip("…")
        if len(last) + 1 > width:
            last = last.rsplit(" ", 1)[0] if " " in last else last[: width - 1]
        out = [*out[: lines - 1], last + "…"]
    return out


def network(family, mentors, bridges) -> dict:
    """Nodes around the family: mentors, the fixed contact person, key figures (with or
    without consent). Partners join when the network issue shares signals."""
    nodes: list[Node] = []
    person = family.contact_person
    for mentor in mentors:
        role = _("Mentor")
        if person and person.pk == mentor.pk:
            role = _("Mentor and contact person")
        nodes.append(Node(str(mentor), role, "mentor"))
    if person and all(person.pk != m.pk for m in mentors):
        nodes.append(Node(str(person), _("Contact person"), "contact"))
    for bridge in bridges:
        consented = bridge.consent_in_force
        nodes.append(
            Node(
                bridge.key_figure.name,
                _("Key figure") if consented else _("Key figure, waiting for consent"),
                "key_figure" if consented else "waiting",
                dashed=not consented,
            )
        )
    count = len(nodes)
    for index, node in enumerate(nodes):
        # Start on the left, so that one or two people sit beside the family.
        angle = math.pi + 2 * math.pi * index / max(count, 1)
        node.x = round(CENTRE[0] + RADIUS[0] * math.cos(angle), 1)
        node.y = round(CENTRE[1] + RADIUS[1] * math.sin(angle) * 0.85, 1)
    return {
        "nodes": nodes,
        "width": WIDTH,
        "height": HEIGHT,
        "cx": CENTRE[0],
        "cy": CENTRE[1],
        "family": family.name,
        "family_lines": [
            (line, round(CENTRE[1] + 5 + 15 * (index - (len(lines) - 1) / 2), 1))
            for lines in [name_lines(family.name)]
            for index, line in enumerate(lines)
        ],
        "family_radius": FAMILY_RADIUS,
    }
