from django.urls import path

from policeplan.performance.views import commentary, staff

app_name = "performance"

urlpatterns = [
    path("staff/data/", staff.catalogue, name="catalogue"),
    path("staff/data/import/", staff.upload, name="upload"),
    path("staff/data/imports/<int:pk>/", staff.import_detail, name="import"),
    path("staff/data/imports/<int:pk>/status.json", staff.import_status, name="import-status"),
    path("staff/data/figures/", staff.figures_upload, name="figures"),
    path("staff/data/caveats/", staff.caveats, name="caveats"),
    path("staff/data/caveats/add/", staff.caveat_edit, name="caveat-add"),
    path("staff/data/caveats/<int:pk>/", staff.caveat_edit, name="caveat-edit"),
    path("staff/data/caveats/<int:pk>/remove/", staff.caveat_remove, name="caveat-remove"),
    path("staff/data/crosswalk/", staff.crosswalk, name="crosswalk"),
    path("staff/data/crosswalk/add/", staff.crosswalk_edit, name="crosswalk-add"),
    path("staff/data/crosswalk/<int:pk>/", staff.crosswalk_edit, name="crosswalk-edit"),
    path("staff/performance/commentary/", commentary.commentary_list, name="commentary"),
    path(
        "staff/performance/commentary/<uuid:lineage>/<slug:kind>/<str:key>/",
        commentary.commentary_edit,
        name="commentary-edit",
    ),
    path(
        "staff/performance/commentary/<uuid:lineage>/<slug:kind>/<str:key>/approve/",
        commentary.commentary_approve,
        name="commentary-approve",
    ),
]
