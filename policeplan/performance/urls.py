from django.urls import path

from policeplan.performance.views import staff

app_name = "performance"

urlpatterns = [
    path("staff/data/", staff.catalogue, name="catalogue"),
    path("staff/data/import/", staff.upload, name="upload"),
    path("staff/data/imports/<int:pk>/", staff.import_detail, name="import"),
    path("staff/data/imports/<int:pk>/status.json", staff.import_status, name="import-status"),
]
