from django.urls import path

from policeplan.estates.views import boroughs, public, staff

app_name = "estates"

urlpatterns = [
    path("boroughs/", boroughs.index, name="boroughs"),
    path("boroughs/<slug:slug>/", boroughs.borough, name="borough"),
    path("boroughs/<slug:slug>/front-counters/", public.borough_access, name="borough-access"),
    path("front-counters/", public.force_access, name="access"),
    path("front-counters/pledges/", public.pledges, name="pledges"),
    path("front-counters/pledges.csv", public.pledges_csv, name="pledges-csv"),
    path("front-counters/pledges-record.csv", public.pledges_record_csv, name="pledges-record-csv"),
    path("front-counters/residents-nearby/", public.coverage, name="coverage"),
    path("front-counters/buildings.csv", public.buildings_csv, name="buildings-csv"),
    path("estate/disposals/", public.disposals, name="disposals"),
    path("estate/disposals.csv", public.disposals_csv, name="disposals-csv"),
    path("estate/strategy/<int:pk>/", public.strategy_document, name="strategy-document"),
    path("staff/estate/", staff.register, name="staff-register"),
    path("staff/estate/buildings.csv", staff.register_csv, name="staff-register-csv"),
    path("staff/estate/import/", staff.import_csv, name="staff-import"),
    path("staff/estate/import-police-uk/", staff.import_police_uk, name="staff-import-police-uk"),
    path("staff/estate/buildings/new/", staff.building_new, name="staff-building-new"),
    path("staff/estate/buildings/<int:pk>/", staff.building_edit, name="staff-building"),
    path("staff/estate/buildings/<int:pk>/hours/", staff.building_hours, name="staff-hours"),
    path("staff/estate/pledges/new/", staff.pledge_new, name="staff-pledge-new"),
    path("staff/estate/pledges/<int:pk>/", staff.pledge_edit, name="staff-pledge"),
    path("staff/estate/disposals/new/", staff.disposal_new, name="staff-disposal-new"),
    path("staff/estate/disposals/<int:pk>/", staff.disposal_edit, name="staff-disposal"),
    path("staff/estate/strategy/new/", staff.strategy_new, name="staff-strategy-new"),
    path(
        "staff/estate/partnerships/import/",
        staff.partnerships_import,
        name="staff-partnerships-import",
    ),
    path(
        "staff/estate/partnerships/<slug:slug>/", staff.partnership_edit, name="staff-partnership"
    ),
]
