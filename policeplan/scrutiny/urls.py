from django.urls import path

from policeplan.scrutiny.views import alerts, decisions, public, questions, staff, staff_meetings

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
urlpatterns = [
    path("scrutiny/", public.hub, name="hub"),
    *decision_urls,
    path("scrutiny/alerts/confirm/<str:token>/", alerts.confirm, name="confirm"),
    path("scrutiny/alerts/unsubscribe/<str:token>/", alerts.unsubscribe, name="unsubscribe"),
    path(f"{b}/", public.committee, name="committee"),
    path(f"{b}/meetings.ics", public.calendar_feed, name="calendar"),
    path(f"{b}/papers.atom", public.papers_feed, name="feed"),
    path(f"{b}/actions/", public.actions, name="actions"),
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
]
