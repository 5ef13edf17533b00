from django.urls import path

from policeplan.scrutiny.views import (
    alerts,
    decisions,
    public,
    questions,
    recommendations,
    staff,
    staff_actions,
    staff_meetings,
    staff_recommendations_sheet,
    staff_reports,
)

app_name = "scrutiny"

b = "scrutiny/<slug:slug>"
m = "staff/scrutiny/meetings/<int:meeting_id>"
d = "staff/scrutiny/decisions/<int:decision_id>"
# The decisions log is the office's, not a body's: before the body pages, whose slug it
# would otherwise match.
decision_urls = [
    path("scrutiny/decisions/", decisions.decisions, name="decisions"),
    path("scrutiny/decisions/decisions.csv", decisions.decisions_csv, name="decisions-csv"),
    path("scrutiny/decisions/<slug:slug>/", decisions.decision, name="decision"),
    path(
        "scrutiny/decisions/<slug:slug>/documents/<int:document_id>/",
        decisions.decision_document,
        name="decision-document",
    ),
    path("staff/scrutiny/decisions/", decisions.staff_decisions, name="staff-decisions"),
    path("staff/scrutiny/decisions/new/", decisions.staff_decision_new, name="staff-decision-new"),
    path(f"{d}/", decisions.staff_decision, name="staff-decision"),
    path(f"{d}/edit/", decisions.staff_decision_edit, name="staff-decision-edit"),
    path(f"{d}/publish/", decisions.staff_decision_publish, name="staff-decision-publish"),
    path(f"{d}/documents/add/", decisions.staff_document_add, name="staff-document-add"),
    path(
        f"{d}/documents/<int:document_id>/remove/",
        decisions.staff_document_remove,
        name="staff-document-remove",
    ),
]
r = "staff/scrutiny/reports/<int:report_id>"
rec = "staff/scrutiny/recommendations/<int:recommendation_id>"
urlpatterns = [
    path("scrutiny/", public.hub, name="hub"),
    *decision_urls,
    path("scrutiny/alerts/confirm/<str:token>/", alerts.confirm, name="confirm"),
    path("scrutiny/alerts/unsubscribe/<str:token>/", alerts.unsubscribe, name="unsubscribe"),
    path("scrutiny/recommendations/", recommendations.tracker, name="tracker"),
    path("scrutiny/recommendations.csv", recommendations.tracker_csv, name="tracker-csv"),
    path(
        "scrutiny/recommendations/<int:recommendation_id>/",
        recommendations.recommendation,
        name="recommendation",
    ),
    path(f"{b}/", public.committee, name="committee"),
    path(f"{b}/reports/<int:report_id>/", recommendations.report, name="report"),
    path(f"{b}/meetings.ics", public.calendar_feed, name="calendar"),
    path(f"{b}/meetings.json", public.meetings_json, name="meetings-json"),
    path(f"{b}/meetings/<int:meeting_id>.json", public.meeting_json, name="meeting-json"),
    path(f"{b}/papers.atom", public.papers_feed, name="feed"),
    path(f"{b}/actions/", public.actions, name="actions"),
    path(f"{b}/actions.csv", public.actions_csv, name="actions-csv"),
    path(f"{b}/questions/", questions.question_list, name="questions"),
    path(f"{b}/questions/<int:question_id>/", questions.question, name="question"),
    path(f"{b}/alerts/", alerts.subscribe, name="subscribe"),
    path(f"{b}/meetings/<int:meeting_id>/", public.meeting, name="meeting"),
    path(f"{b}/meetings/<int:meeting_id>/papers/<int:paper_id>/", public.paper, name="paper"),
    path(
        f"{b}/meetings/<int:meeting_id>/papers/<int:paper_id>/file/",
        public.paper_file,
        name="paper-file",
    ),
    path("staff/scrutiny/", staff.staff_list, name="staff-list"),
    path("staff/scrutiny/new/", staff.committee_new, name="staff-committee-new"),
    path("staff/scrutiny/<int:committee_id>/", staff.committee_detail, name="staff-committee"),
    path(
        "staff/scrutiny/<int:committee_id>/edit/",
        staff.committee_edit,
        name="staff-committee-edit",
    ),
    path(
        "staff/scrutiny/<int:committee_id>/members/add/",
        staff.member_form,
        name="staff-member-add",
    ),
    path(
        "staff/scrutiny/<int:committee_id>/members/<int:member_id>/",
        staff.member_form,
        name="staff-member-edit",
    ),
    path(
        "staff/scrutiny/<int:committee_id>/officers/add/",
        staff.officer_form,
        name="staff-officer-add",
    ),
    path(
        "staff/scrutiny/<int:committee_id>/officers/<int:officer_id>/",
        staff.officer_form,
        name="staff-officer-edit",
    ),
    path(
        "staff/scrutiny/<int:committee_id>/actions.csv",
        staff_actions.actions_export,
        name="staff-actions-export",
    ),
    path(
        "staff/scrutiny/<int:committee_id>/actions/import/",
        staff_actions.actions_import,
        name="staff-actions-import",
    ),
    path(
        "staff/scrutiny/<int:committee_id>/meetings/add/",
        staff.meeting_new,
        name="staff-meeting-add",
    ),
    path(
        "staff/scrutiny/<int:committee_id>/questions/",
        questions.staff_questions,
        name="staff-questions",
    ),
    path(
        "staff/scrutiny/<int:committee_id>/questions/add/",
        questions.staff_question_new,
        name="staff-question-add",
    ),
    path(
        "staff/scrutiny/questions/<int:question_id>/",
        questions.staff_question,
        name="staff-question",
    ),
    path(
        "staff/scrutiny/questions/<int:question_id>/publish/",
        questions.staff_question_publish,
        name="staff-question-publish",
    ),
    path(f"{m}/", staff_meetings.meeting_detail, name="staff-meeting"),
    path(f"{m}/edit/", staff_meetings.meeting_edit, name="staff-meeting-edit"),
    path(f"{m}/publish/", staff_meetings.meeting_publish, name="staff-meeting-publish"),
    path(f"{m}/items/add/", staff_meetings.item_form, name="staff-item-add"),
    path(f"{m}/items/<int:item_id>/", staff_meetings.item_form, name="staff-item-edit"),
    path(f"{m}/items/<int:item_id>/papers/add/", staff_meetings.paper_form, name="staff-paper-add"),
    path(
        f"{m}/items/<int:item_id>/papers/<int:paper_id>/",
        staff_meetings.paper_form,
        name="staff-paper-edit",
    ),
    path(
        f"{m}/papers/<int:paper_id>/publish/",
        staff_meetings.paper_publish,
        name="staff-paper-publish",
    ),
    path(f"{m}/declarations/add/", staff_meetings.declaration_add, name="staff-declaration-add"),
    path(f"{m}/attendance/", staff_meetings.attendance, name="staff-attendance"),
    path(f"{m}/minutes/", staff_meetings.minutes_edit, name="staff-minutes"),
    path(f"{m}/minutes/approve/", staff_meetings.minutes_approve, name="staff-minutes-approve"),
    path(f"{m}/actions/add/", staff_meetings.action_add, name="staff-action-add"),
    path(
        "staff/scrutiny/actions/<int:action_id>/", staff_meetings.action_edit, name="staff-action"
    ),
    path(
        "staff/scrutiny/actions/<int:action_id>/progress/",
        staff_meetings.action_update,
        name="staff-action-progress",
    ),
    path(
        "staff/scrutiny/<int:committee_id>/reports/add/",
        staff_reports.report_new,
        name="staff-report-add",
    ),
    path(f"{r}/", staff_reports.report_detail, name="staff-report"),
    path(f"{r}/edit/", staff_reports.report_edit, name="staff-report-edit"),
    path(f"{r}/publish/", staff_reports.report_publish, name="staff-report-publish"),
    path(
        f"{r}/recommendations.csv",
        staff_recommendations_sheet.recommendations_export,
        name="staff-recommendations-export",
    ),
    path(
        f"{r}/recommendations/import/",
        staff_recommendations_sheet.recommendations_import,
        name="staff-recommendations-import",
    ),
    path(
        f"{r}/recommendations/add/",
        staff_reports.recommendation_new,
        name="staff-recommendation-add",
    ),
    path(
        "staff/scrutiny/reviews/<int:review_id>/",
        staff_reports.review_dates,
        name="staff-review-dates",
    ),
    path(f"{rec}/", staff_reports.recommendation_edit, name="staff-recommendation"),
    path(f"{rec}/response/", staff_reports.response_edit, name="staff-response"),
    path(
        f"{rec}/response/publish/",
        staff_reports.response_publish,
        name="staff-response-publish",
    ),
    path(f"{rec}/milestones/add/", staff_reports.milestone_new, name="staff-milestone-add"),
    path(
        "staff/scrutiny/milestones/<int:milestone_id>/",
        staff_reports.milestone_edit,
        name="staff-milestone",
    ),
    path(
        "staff/scrutiny/milestones/<int:milestone_id>/progress/",
        staff_reports.milestone_progress,
        name="staff-milestone-progress",
    ),
]
