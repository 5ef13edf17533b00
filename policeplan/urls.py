from django.contrib import admin
from django.urls import include, path

from policeplan.api import v1
from policeplan.api import views as api_views
from policeplan.core import observability

urlpatterns = [
    path("", include("policeplan.core.urls")),
    path("", include("policeplan.plans.urls")),
    path("", include("policeplan.analysis.urls")),
    path("", include("policeplan.consultations.urls")),
    path("", include("policeplan.scrutiny.urls")),
    path("", include("policeplan.performance.urls")),
    path("", include("policeplan.dashboards.urls")),
    path("", include("policeplan.reports.urls")),
    path("", include("policeplan.estates.urls")),
    path("api/v1/", api_views.docs, name="api-docs"),  # before ninja's own root, which it shadows
    path("api/v1/", v1.api.urls),
    path("django-admin/", admin.site.urls),
    # Prometheus metrics; /healthz and /readyz are answered by core.health.HealthMiddleware.
    path("metrics", observability.metrics, name="metrics"),
]

handler400 = "policeplan.core.views.errors.bad_request"
handler404 = "policeplan.core.views.errors.not_found"
handler403 = "policeplan.core.views.errors.forbidden"
handler500 = "policeplan.core.views.errors.server_error"
