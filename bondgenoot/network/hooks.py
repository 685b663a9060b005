"""Places where apps above ``network`` add to its pages, without network importing them
(like ``people.panels`` for the family page): registered from their ``AppConfig.ready``.

- ``chronology_sources``: ``source(pupil) -> list[dict]``, each item with ``at``,
  ``kind``, ``template`` (rendered with the item as ``i``) and what that template needs.
  Called only for a pupil whose chronology the user may open (care coordinators of the
  school; emergency access from another school shows signals, shares and feedback only).
- ``queue_sections``: ``section(user) -> dict | None`` with ``template`` and its context,
  shown on the care coordinator's queue.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

chronology_sources: dict[str, Callable[[Any], list[dict]]] = {}
queue_sections: dict[str, Callable[[Any], dict | None]] = {}


def add_chronology_source(name: str, source: Callable[[Any], list[dict]]) -> None:
    chronology_sources[name] = source


def add_queue_section(name: str, section: Callable[[Any], dict | None]) -> None:
    queue_sections[name] = section
