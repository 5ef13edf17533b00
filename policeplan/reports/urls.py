from django.urls import path

from policeplan.reports.views import public, staff

app_name = "reports"

urlpatterns = [
    path("reports/", public.index, name="index"),
    path("reports/consultation-summaries/", public.summaries, name="summaries"),
    path(
        "reports/consultation-summaries/<slug:slug>/version-<int:number>.pdf",
        public.summary_pdf,
        name="summary-pdf",
    ),
    path("reports/<slug:kind_slug>/", public.archive, name="archive"),
    path("reports/<slug:kind_slug>/<str:period>/", public.edition, name="edition"),
    path("reports/<slug:kind_slug>/<str:period>/report.pdf", public.edition_pdf, name="pdf"),
    path("reports/<slug:kind_slug>/<str:period>/figures.csv", public.edition_csv, name="csv"),
    path("reports/<slug:kind_slug>/<str:period>/report.docx", public.edition_docx, name="docx"),
    path("staff/reports/", staff.report_list, name="staff-list"),
    path("staff/reports/new/", staff.report_new, name="staff-new"),
    path("staff/reports/<int:pk>/", staff.report_detail, name="staff-detail"),
    path("staff/reports/<int:pk>/texts/", staff.report_texts, name="staff-edit"),
    path("staff/reports/<int:pk>/publish/", staff.report_publish, name="staff-publish"),
    path("staff/reports/<int:pk>/retry-pdf/", staff.report_pdf_retry, name="staff-pdf-retry"),
]
