"""What analysis does when consultations erases what people said (withdrawal, retention):
every copy analysis keeps of those texts goes with them."""

from __future__ import annotations

from typing import Any

from policeplan.analysis.models import Redaction, Theme


def texts_erased(
    *,
    consultation_id: int,
    response_ids: list[int],
    answer_ids: list[int],
    withdrawn: bool,
    **_: Any,
) -> None:
    """Drop the example quotes drawn from these responses (their answers or written bodies)
    from every theme of every codeframe version; for a withdrawn response, also the phrases
    an analyst masked in it (they are its words too). After retention the masks stay, since
    the answers are still quoted and must stay masked."""
    answers, responses = set(answer_ids), set(response_ids)

    def theirs(example: dict[str, Any]) -> bool:
        return example.get("answer") in answers or example.get("response") in responses

    changed = []
    for theme in Theme.objects.filter(codeframe__consultation_id=consultation_id).exclude(
        examples=[]
    ):
        kept = [e for e in theme.examples or [] if not theirs(e)]
        if len(kept) != len(theme.examples or []):
            theme.examples = kept
            changed.append(theme)
    Theme.objects.bulk_update(changed, ["examples"])
    if withdrawn:
        Redaction.objects.filter(response_id__in=response_ids).delete()
