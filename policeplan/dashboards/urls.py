from django.urls import path

from policeplan.dashboards import views

app_name = "dashboards"

urlpatterns = [
    path("performance/", views.home, name="home"),
    path("performance/measures/<uuid:lineage>/", views.measure, name="measure"),
    path("performance/measures/<uuid:lineage>/download.csv", views.measure_csv, name="measure-csv"),
]
