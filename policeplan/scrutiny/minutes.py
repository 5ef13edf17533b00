"""Actions proposed by a meeting's minutes: each line beginning 'ACTION:'.

    ACTION: Tamara Barnett to contact Andy Opie about what services MOPAC can offer

becomes an action "Contact Andy Opie about what services MOPAC can offer" owned by Tamara
Barnett. When the words before ' to ' do not look like a name (up to five capitalised words,
at most 200 characters, the most an action's owner may have), the whole line is the action and
its owner is left for staff to fill in.

On a page, each such line is a paragraph of its own (Markdown would run the lines of minutes
into one paragraph: "…the draft target ACTION: Joanne Carter to write… ACTION: The…").

The name is found by splitting the line into words and checking at most the first six, each
against a pattern with one repeat, so a line costs time in proportion to its length however it
is written (a single pattern with nested repeats took 16 seconds over 120 capital letters).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup

from policeplan.core.markdown import render_markdown

PREFIX = "ACTION:"
OWNER_WORDS = 5
OWNER_MAX = 200  # Action.owner's max_length
_NAME_WORD = re.compile(r"[A-Z][\w'’.-]*")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_LIST_ITEM = re.compile(r"\s*[-*+]\s")


@dataclass(frozen=True)
class ProposedAction:
    line: str  # the text after 'ACTION:', as written
    text: str
    owner: str


def proposed_actions(text: str) -> list[ProposedAction]:
    """The actions in minutes, in order, once each (a repeated line counts once)."""
    found: dict[str, ProposedAction] = {}
    for raw in text.splitlines():
        line = action_line(raw)
        if not line or line in found:
            continue
        owner, rest = _owner(line)
        if owner:
            found[line] = ProposedAction(line=line, text=rest[:1].upper() + rest[1:], owner=owner)
        else:
            found[line] = ProposedAction(line=line, text=line, owner="")
    return list(found.values())


def action_line(raw: str) -> str:
    """The words after 'ACTION:' on a line of minutes, single-spaced ('' if it is not an action
    line). The line may be a list item ('- ACTION: …')."""
    stripped = raw.strip().lstrip("-*•").strip()
    if not stripped.startswith(PREFIX):
        return ""
    return " ".join(stripped[len(PREFIX) :].split())


def _owner(line: str) -> tuple[str, str]:
    """The name before the first ' to ' and what follows it, or ('', line) when the words
    before it are not a name. `line` is single-spaced."""
    words = line.split(" ", OWNER_WORDS + 1)  # the name, 'to', then the rest in one piece
    head = words[: OWNER_WORDS + 1]
    if "to" not in head:
        return "", line
    at = head.index("to")
    name, rest = words[:at], " ".join(words[at + 1 :])
    owner = " ".join(name)
    if not name or not rest or len(owner) > OWNER_MAX:
        return "", line
    if not all(_NAME_WORD.fullmatch(word) for word in name):
        return "", line
    return owner, rest


def render_minutes(text: str | None) -> Markup:
    """Safe HTML for minutes (`render_markdown`), each 'ACTION:' line a paragraph of its own.
    Lines already an item of a Markdown list ('- ACTION: …') and lines in fenced code are left
    as they are."""
    if not text:
        return Markup("")
    lines: list[str] = []
    fence = ""
    for raw in text.splitlines():
        opens = _FENCE.match(raw)
        if fence:
            if opens and opens[1][0] == fence[0] and len(opens[1]) >= len(fence):
                fence = ""  # the fence closes
            lines.append(raw)
        elif opens:
            fence = opens[1]
            lines.append(raw)
        elif action_line(raw) and not _LIST_ITEM.match(raw):
            lines += ["", raw, ""]
        else:
            lines.append(raw)
    return render_markdown("\n".join(lines))
