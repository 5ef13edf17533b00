"""Writes for scrutiny, one module per part; import the functions from here."""

from policeplan.scrutiny.services.action_import import ImportResult, actions_import
from policeplan.scrutiny.services.actions import action_confirm, action_save, action_update_add
from policeplan.scrutiny.services.alerts import (
    subscription_cancel,
    subscription_confirm,
    subscription_request,
    subscriptions_unconfirmed_delete,
)
from policeplan.scrutiny.services.bodies import committee_save, member_save, officer_save
from policeplan.scrutiny.services.decisions import (
    decision_document_add,
    decision_document_remove,
    decision_publish,
    decision_save,
)
from policeplan.scrutiny.services.meetings import (
    agenda_item_save,
    attendance_record,
    declaration_add,
    meeting_publish,
    meeting_save,
    minutes_approve,
    minutes_save,
    paper_publish,
    paper_save,
)
from policeplan.scrutiny.services.questions import question_publish, question_save
from policeplan.scrutiny.services.recommendation_import import (
    RecommendationsImported,
    recommendations_import,
)
from policeplan.scrutiny.services.recommendations import (
    milestone_save,
    milestone_update_add,
    recommendation_save,
    report_publish,
    report_save,
    response_publish,
    response_save,
)
from policeplan.scrutiny.services.reviews import plan_review_dates, plan_review_open

__all__ = [
    "ImportResult",
    "RecommendationsImported",
    "action_confirm",
    "action_save",
    "action_update_add",
    "actions_import",
    "agenda_item_save",
    "attendance_record",
    "committee_save",
    "decision_document_add",
    "decision_document_remove",
    "decision_publish",
    "decision_save",
    "declaration_add",
    "meeting_publish",
    "meeting_save",
    "member_save",
    "milestone_save",
    "milestone_update_add",
    "minutes_approve",
    "minutes_save",
    "officer_save",
    "paper_publish",
    "paper_save",
    "plan_review_dates",
    "plan_review_open",
    "question_publish",
    "question_save",
    "recommendation_save",
    "recommendations_import",
    "report_publish",
    "report_save",
    "response_publish",
    "response_save",
    "subscription_cancel",
    "subscription_confirm",
    "subscription_request",
    "subscriptions_unconfirmed_delete",
]
