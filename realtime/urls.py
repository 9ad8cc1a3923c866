"""Pages: operators' /dashboard/, agencies' /agency/ and their login; the citizens' web app /app/."""

from django.urls import URLPattern, URLResolver, path

from realtime import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("dashboard/", views.dashboard, name="realtime-dashboard"),
    path("dashboard/login/", views.StaffLoginView.as_view(), name="realtime-login"),
    path("dashboard/logout/", views.staff_logout, name="realtime-logout"),
    path("dashboard/wards.geojson", views.wards_geojson, name="realtime-wards"),
    path("agency/", views.agency_board, name="realtime-agency"),
    path("app/", views.citizen_app, name="citizen-app"),
    path("app/manifest.webmanifest", views.citizen_manifest, name="citizen-manifest"),
    path("app/sw.js", views.citizen_service_worker, name="citizen-sw"),
]
