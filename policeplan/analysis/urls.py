from django.urls import path

from policeplan.analysis.views import public, staff

app_name = "analysis"

c = "staff/consultations/<int:consultation_id>/analysis"
f = "staff/analysis/codeframes/<int:codeframe_id>"
urlpatterns = [
    path("consultations/<slug:slug>/results/", public.results, name="results"),
    path("consultations/<slug:slug>/results.pdf", public.results_pdf, name="results-pdf"),
    path("consultations/<slug:slug>/you-said-we-did/", public.you_said, name="public-you-said"),
    path(
        "consultations/<slug:slug>/you-said-we-did/<slug:theme>/",
        public.you_said_theme,
        name="public-theme",
    ),
    path(f"{c}/", staff.overview, name="overview"),
    path(f"{c}/suggest/", staff.suggest, name="suggest"),
    path(f"{c}/dashboard/", staff.dashboard, name="dashboard"),
    path(f"{c}/you-said-we-did/", staff.you_said, name="you-said"),
    path(
        f"{c}/you-said-we-did/themes/<uuid:lineage>/",
        staff.theme_response,
        name="theme-response",
    ),
    path(f"{c}/you-said-we-did/changes/add/", staff.plan_change, name="plan-change-add"),
    path(
        f"{c}/you-said-we-did/changes/<int:change_id>/",
        staff.plan_change,
        name="plan-change-edit",
    ),
    path(f"{c}/responses/<int:response_id>/", staff.respondent, name="respondent"),
    path(f"{f}/", staff.codeframe, name="codeframe"),
    path(f"{f}/finalise/", staff.finalise, name="finalise"),
    path(f"{f}/run/", staff.run_start, name="run-start"),
    path(f"{f}/review/", staff.review_queue, name="queue"),
    path(f"{f}/sample/", staff.sample, name="sample"),
    path(f"{f}/sample/code/", staff.blind, name="blind"),
    path(f"{f}/themes/<uuid:lineage>/", staff.theme_texts, name="theme"),
    path("staff/analysis/runs/<int:run_id>/", staff.run, name="run"),
    path("staff/analysis/runs/<int:run_id>/status.json", staff.run_status, name="run-status"),
    path("staff/analysis/texts/<int:text_id>/", staff.review, name="review"),
]
