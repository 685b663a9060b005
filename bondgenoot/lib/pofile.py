"""A small reader for gettext .po and .mo files, enough to check our catalogues.

We only need: every msgid, whether it has a translation, and whether it is fuzzy.
"""

from __future__ import annotations

import ast
import gettext
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Entry:
    msgid: str
    msgid_plural: str = ""
    msgstr: list[str] = field(default_factory=list)
    context: str = ""
    fuzzy: bool = False
    obsolete: bool = False

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(s for s in self.msgstr)

    @property
    def key(self) -> tuple[str, str]:
        return (self.context, self.msgid)


def _unquote(text: str) -> str:
    value = ast.literal_eval(text)
    if not isinstance(value, str):
        raise ValueError(f"Not a quoted string: {text!r}")
    return value


def read_po(path: Path) -> list[Entry]:
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int] | None = None
    fuzzy = False

    def flush() -> None:
        nonlocal current
        if current is not None:
            entries.append(current)
        current = None

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("#~"):
            continue
        if line.startswith("#,"):
            flush()
            fuzzy = "fuzzy" in line
            continue
        if line.startswith("#") or not line:
            if not line:
                flush()
            continue
        if line.startswith("msgctxt "):
            flush()
            current = Entry(msgid="", context=_unquote(line[8:]), fuzzy=fuzzy)
            fuzzy = False
            target = ("context", 0)
        elif line.startswith("msgid "):
            if current is None or current.msgid or target != ("context", 0):
                flush()
                current = Entry(msgid="", fuzzy=fuzzy)
                fuzzy = False
            current.msgid = _unquote(line[6:])
            target = ("msgid", 0)
        elif current is None:
            if line.startswith("msg"):
                raise ValueError(f"{path}: {line!r} comes before its msgid")
        elif line.startswith("msgid_plural "):
            current.msgid_plural = _unquote(line[13:])
            target = ("msgid_plural", 0)
        elif line.startswith("msgstr["):
            index = int(line[7 : line.index("]")])
            current.msgstr.append(_unquote(line[line.index("]") + 2 :]))
            target = ("msgstr", index)
        elif line.startswith("msgstr "):
            current.msgstr = [_unquote(line[7:])]
            target = ("msgstr", 0)
        elif line.startswith('"') and target is not None:
            kind, index = target
            text = _unquote(line)
            if kind == "msgid":
                current.msgid += text
            elif kind == "msgid_plural":
                current.msgid_plural += text
            elif kind == "context":
                current.context += text
            else:
                current.msgstr[index] += text
    flush()
    return [e for e in entries if e.msgid]  # the header has an empty msgid


def read_mo(path: Path) -> dict[str | tuple[str, int], str]:
    """Every message of a compiled catalogue: msgid (or (msgid, n) for plurals) -> text."""
    with path.open("rb") as handle:
        # _catalog is private and not in typeshed; it is the whole catalogue as parsed.
        return dict(gettext.GNUTranslations(handle)._catalog)  # type: ignore[attr-defined]
