"""A small XML tree with line numbers (ElementTree does not keep them), built with the
standard library's expat. Namespaces are dropped (EDEXML versions differ in theirs);
a document type declaration is refused, so no entity tricks reach the parser."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from xml.parsers import expat

from django.utils.translation import gettext as _

from bondgenoot.lib.bidi import strip_bidi

from ..records import Problem, RosterError


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    line: int
    children: list[Node] = field(default_factory=list)
    text: str = ""

    def find(self, tag: str) -> Node | None:
        return next((c for c in self.children if c.tag == tag), None)

    def findall(self, tag: str) -> list[Node]:
        return [c for c in self.children if c.tag == tag]

    def value(self, tag: str) -> str:
        """The element's text, without direction controls (see lib/bidi.py)."""
        child = self.find(tag)
        return strip_bidi(child.text).strip() if child is not None else ""


def _local(name: str) -> str:
    return name.rsplit(" ", 1)[-1].rsplit(":", 1)[-1]


def parse(data: bytes, file: str) -> Node:
    declared = re.match(
        rb"\s*<\?xml[^>]*encoding=[\"']([A-Za-z0-9_.-]+)", data.lstrip(b"\xef\xbb\xbf")
    )
    if declared is None or declared.group(1).lower() in (b"utf-8", b"utf8"):
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as error:
            line = data.count(b"\n", 0, error.start) + 1
            raise RosterError(
                [
                    Problem(
                        file,
                        line,
                        _(
                            "this line is not UTF-8 text, as the file says it is. "
                            "Export the file again as UTF-8."
                        ),
                    )
                ]
            ) from None
    parser = expat.ParserCreate(namespace_separator=" ")
    stack: list[Node] = []
    root: list[Node] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        node = Node(
            _local(name), {_local(k): v for k, v in attrs.items()}, parser.CurrentLineNumber
        )
        if stack:
            stack[-1].children.append(node)
        else:
            root.append(node)
        stack.append(node)

    def end(_name: str) -> None:
        stack.pop()

    def text(data: str) -> None:
        if stack:
            stack[-1].text += data

    def doctype(*_args: object) -> None:
        raise RosterError(
            [
                Problem(
                    file, parser.CurrentLineNumber, _("a document type declaration is not allowed.")
                )
            ]
        )

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.StartDoctypeDeclHandler = doctype
    try:
        parser.Parse(data, True)
    except expat.ExpatError as error:
        message = _("this is not well-formed XML (%(reason)s).") % {
            "reason": expat.errors.messages[error.code]
        }
        raise RosterError([Problem(file, error.lineno, message)]) from None
    if not root:
        raise RosterError([Problem(file, 1, _("the file is empty."))])
    return root[0]
