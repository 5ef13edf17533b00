from django.urls import path

from policeplan.plans.views import local, public, staff

app_name = "plans"

urlpatterns = [
    path("", public.public_home, name="public-home"),
    path("boroughs/local-priorities/", local.roll_up, name="local-roll-up"),
    path("boroughs/local-priorities.csv", local.roll_up_csv, name="local-csv"),
    path(
        "boroughs/<slug:slug>/local-priorities/<int:year>/",
        local.borough_year,
        name="local-borough",
    ),
    path("staff/local-priorities/", local.staff_list, name="staff-local"),
    path(
        "staff/local-priorities/<slug:slug>/<int:year>/",
        local.workbench,
        name="staff-local-workbench",
    ),
    path("plans/<slug:plan_slug>/versions/", public.history, name="history"),
    path("plans/<slug:plan_slug>/compare/", public.compare, name="compare"),
    path("plans/<slug:plan_slug>/v<int:number>/", public.version_home, name="version"),
    path(
        "plans/<slug:plan_slug>/v<int:number>/outcomes-framework/",
        public.framework,
        name="framework",
    ),
    path("plans/<slug:plan_slug>/v<int:number>/delivery/", public.delivery, name="delivery"),
    path(
        "plans/<slug:plan_slug>/v<int:number>/priorities/<slug:slug>/",
        public.priority_detail,
        name="priority",
    ),
    path(
        "plans/<slug:plan_slug>/v<int:number>/chapters/<slug:slug>/",
        public.chapter_detail,
        name="chapter",
    ),
    path(
        "plans/<slug:plan_slug>/v<int:number>/documents/<int:document_id>/",
        public.document_download,
        name="document",
    ),
    path("staff/", staff.staff_home, name="staff-home"),
    path("staff/plans/new/", staff.plan_create, name="staff-plan-create"),
    path(
        "staff/plans/<slug:plan_slug>/new-draft/", staff.version_new_draft, name="staff-new-draft"
    ),
    path("staff/versions/<int:version_id>/", staff.version_tasks, name="staff-version"),
    path(
        "staff/versions/<int:version_id>/details/",
        staff.version_details,
        name="staff-version-details",
    ),
    path("staff/versions/<int:version_id>/publish/", staff.publish, name="staff-publish"),
    path("staff/versions/<int:version_id>/<slug:section>/", staff.section, name="staff-section"),
    path("staff/versions/<int:version_id>/<slug:kind>/add/", staff.item_add, name="staff-item-add"),
    path(
        "staff/versions/<int:version_id>/<slug:kind>/<int:item_id>/edit/",
        staff.item_edit,
        name="staff-item-edit",
    ),
    path(
        "staff/versions/<int:version_id>/<slug:kind>/<int:item_id>/remove/",
        staff.item_remove,
        name="staff-item-remove",
    ),
    path(
        "staff/versions/<int:version_id>/<slug:kind>/<int:item_id>/move/",
        staff.item_move,
        name="staff-item-move",
    ),
]
