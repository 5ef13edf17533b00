from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("policeplan.core.urls")),
    path("", include("policeplan.plans.urls")),
    path("", include("policeplan.performance.urls")),
    path("", include("policeplan.dashboards.urls")),
    path("django-admin/", admin.site.urls),
]

handler404 = "policeplan.core.views.errors.not_found"
handler403 = "policeplan.core.views.errors.forbidden"
handler500 = "policeplan.core.views.errors.server_error"
