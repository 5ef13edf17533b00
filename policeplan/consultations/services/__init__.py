"""Writes for consultations, one module per part; import the functions from here."""

from policeplan.consultations.services.build import (
    QuestionnaireLocked,
    consultation_item_move,
    consultation_publish,
    consultation_results_publish,
    consultation_save,
    event_save,
    question_remove,
    question_save,
    section_save,
    stage_save,
)
from policeplan.consultations.services.events import (
    attendance_record,
    event_capacity_changed,
    registration_cancel,
    registration_create,
)
from policeplan.consultations.services.imports import consultation_import
from policeplan.consultations.services.privacy import (
    consultation_personal_details_erase,
    personal_details_erase_due,
    respondent_export,
    submission_add,
)
from policeplan.consultations.services.responses import (
    ConsultationClosed,
    ResponseIncomplete,
    response_resume,
    response_resume_code,
    response_save_answers,
    response_save_equality,
    response_save_publishing,
    response_start,
    response_submit,
    response_submit_complete,
    response_withdraw,
)

__all__ = [
    "ConsultationClosed",
    "QuestionnaireLocked",
    "ResponseIncomplete",
    "attendance_record",
    "consultation_import",
    "consultation_item_move",
    "consultation_personal_details_erase",
    "consultation_publish",
    "consultation_results_publish",
    "consultation_save",
    "event_capacity_changed",
    "event_save",
    "personal_details_erase_due",
    "question_remove",
    "question_save",
    "registration_cancel",
    "registration_create",
    "respondent_export",
    "response_resume",
    "response_resume_code",
    "response_save_answers",
    "response_save_equality",
    "response_save_publishing",
    "response_start",
    "response_submit",
    "response_submit_complete",
    "response_withdraw",
    "section_save",
    "stage_save",
    "submission_add",
]
