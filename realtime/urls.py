"""Dashboard pages (operators' /dashboard/, agencies' /agency/) and their login."""

from django.conf import settings
from django.urls import URLPattern, URLResolver, path

from realtime import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("dashboard/", views.dashboard, name="realtime-dashboard"),
    path("dashboard/login/", views.StaffLoginView.as_view(), name="realtime-login"),
    path("dashboard/logout/", views.staff_logout, name="realtime-logout"),
    path("dashboard/wards.geojson", views.wards_geojson, name="realtime-wards"),
    path("agency/", views.agency_board, name="realtime-agency"),
]

if settings.BENCH_ENDPOINTS:
    from realtime import bench_views

    urlpatterns += [
        path("bench/realtime/group_send/", bench_views.bare_group_send),
        path("bench/realtime/emit/", bench_views.emit),
    ]
