"""Writes for analysis. Each checks permission, runs in one transaction and is audited."""

from policeplan.analysis.services.codeframes import (
    codeframe_change,
    codeframe_finalise,
    codeframe_suggest,
)
from policeplan.analysis.services.coding import (
    agreement_compute,
    analysis_run_execute,
    analysis_run_start,
    blind_code,
    coded_text_review,
    redaction_add,
    sample_draw,
)
from policeplan.analysis.services.publishing import (
    final_version_after,
    plan_change_save,
    theme_response_save,
)

__all__ = [
    "agreement_compute",
    "analysis_run_execute",
    "analysis_run_start",
    "blind_code",
    "coded_text_review",
    "codeframe_change",
    "codeframe_finalise",
    "codeframe_suggest",
    "final_version_after",
    "plan_change_save",
    "redaction_add",
    "sample_draw",
    "theme_response_save",
]
