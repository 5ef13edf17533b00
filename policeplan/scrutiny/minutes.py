"""Actions proposed by a meeting's minutes: each line beginning 'ACTION:'.

    ACTION: Tamara Barnett to contact Andy Opie about what services MOPAC can offer

becomes an action "Contact Andy Opie about what services MOPAC can offer" owned by Tamara
Barnett. When the words before ' to ' do not look like a name (up to five capitalised words),
the whole line is the action and its owner is left for staff to fill in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PREFIX = "ACTION:"
_OWNER = re.compile(r"^((?:[A-Z][\w'’.-]*\s?){1,5}?)\s+to\s+(.+)$", re.DOTALL)


@dataclass(frozen=True)
class ProposedAction:
    line: str  # the text after 'ACTION:', as written
    text: str
    owner: str


def proposed_actions(text: str) -> list[ProposedAction]:
    """The actions in minutes, in order, once each (a repeated line counts once)."""
    found: dict[str, ProposedAction] = {}
    for raw in text.splitlines():
        stripped = raw.strip().lstrip("-*•").strip()
        if not stripped.startswith(PREFIX):
            continue
        line = " ".join(stripped[len(PREFIX) :].split())
        if not line or line in found:
            continue
        match = _OWNER.match(line)
        if match:
            owner, rest = match[1].strip(), match[2].strip()
            found[line] = ProposedAction(line=line, text=rest[:1].upper() + rest[1:], owner=owner)
        else:
            found[line] = ProposedAction(line=line, text=line, owner="")
    return list(found.values())
