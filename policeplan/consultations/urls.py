from django.urls import path

from policeplan.consultations.views import public, respond, responses, staff

app_name = "consultations"

c = "staff/consultations/<int:consultation_id>"
urlpatterns = [
    path("consultations/", public.hub, name="hub"),
    path("consultations/continue/", respond.resume, name="resume"),
    path("consultations/withdraw/", public.withdraw, name="withdraw"),
    path("consultations/events/cancel/<str:token>/", public.cancel, name="cancel"),
    path("consultations/<slug:slug>/", public.detail, name="detail"),
    path("consultations/<slug:slug>/respond/", respond.respond, name="respond"),
    path("consultations/<slug:slug>/respond/<int:number>/", respond.section, name="section"),
    path("consultations/<slug:slug>/respond/about-you/", respond.publishing, name="publishing"),
    path("consultations/<slug:slug>/respond/equality/", respond.equality_page, name="equality"),
    path("consultations/<slug:slug>/respond/check/", respond.check, name="check"),
    path("consultations/<slug:slug>/respond/saved/", respond.saved, name="saved"),
    path("consultations/<slug:slug>/respond/sent/", respond.confirmation, name="confirmation"),
    path("consultations/<slug:slug>/events/<int:event_id>/", public.event, name="event"),
    path(
        "consultations/<slug:slug>/events/<int:event_id>/registered/",
        public.registered,
        name="registered",
    ),
    path("staff/consultations/", staff.staff_list, name="staff-list"),
    path("staff/consultations/new/", staff.consultation_new, name="staff-new"),
    path("staff/consultations/import/", staff.consultation_import, name="staff-import"),
    path(f"{c}/", staff.consultation_detail, name="staff-detail"),
    path(f"{c}/edit/", staff.consultation_edit, name="staff-edit"),
    path(f"{c}/publish/", staff.consultation_publish, name="staff-publish"),
    path(f"{c}/results/", staff.results, name="staff-results"),
    path(f"{c}/stages/add/", staff.stage_form, name="staff-stage-add"),
    path(f"{c}/stages/<int:stage_id>/", staff.stage_form, name="staff-stage-edit"),
    path(f"{c}/sections/add/", staff.section_form, name="staff-section-add"),
    path(f"{c}/sections/<int:section_id>/", staff.section_form, name="staff-section-edit"),
    path(f"{c}/questions/add/", staff.question_form, name="staff-question-add"),
    path(f"{c}/questions/<int:question_id>/", staff.question_form, name="staff-question-edit"),
    path(
        f"{c}/questions/<int:question_id>/remove/",
        staff.question_remove,
        name="staff-question-remove",
    ),
    path(
        f"{c}/<slug:kind>/<int:item_id>/move/",
        staff.item_move,
        name="staff-move",
    ),
    path(f"{c}/events/add/", staff.event_form, name="staff-event-add"),
    path(f"{c}/events/<int:event_id>/", staff.event_detail, name="staff-event"),
    path(f"{c}/events/<int:event_id>/edit/", staff.event_form, name="staff-event-edit"),
    path(f"{c}/submissions/add/", staff.submission_new, name="staff-submission-add"),
    path(f"{c}/responses/", responses.dashboard, name="staff-responses"),
    path(f"{c}/responses/export.csv", responses.export_csv, name="staff-export-csv"),
    path(f"{c}/responses/export.xlsx", responses.export_xlsx, name="staff-export-xlsx"),
    path(f"{c}/responses/<int:response_id>/", responses.response_detail, name="staff-response"),
    path(
        f"{c}/responses/<int:response_id>/everything.json",
        responses.respondent_export,
        name="staff-respondent-export",
    ),
    path(
        f"{c}/responses/<int:response_id>/withdraw/",
        responses.response_withdraw,
        name="staff-response-withdraw",
    ),
    path(f"{c}/equality/", responses.equality_report, name="staff-equality"),
]
