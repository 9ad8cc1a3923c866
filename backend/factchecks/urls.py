"""Fact checks (mounted under /api/v1/): the agency's /agency/factchecks/, everyone's /public/factchecks/."""

from django.urls import URLPattern, URLResolver, path

from backend.factchecks import apis

urlpatterns: list[URLPattern | URLResolver] = [
    path("agency/factchecks/", apis.FactCheckListCreateApi.as_view(), name="agency-factcheck-list"),
    path("agency/factchecks/<int:fact_check_id>/", apis.FactCheckDetailApi.as_view(), name="agency-factcheck-detail"),
    path(
        "agency/factchecks/<int:fact_check_id>/sightings/", apis.FactCheckSightingsApi.as_view(),
        name="agency-factcheck-sightings",
    ),
    path("public/factchecks/", apis.PublicFactCheckListApi.as_view(), name="public-factcheck-list"),
    path("public/factchecks/<int:fact_check_id>/", apis.PublicFactCheckDetailApi.as_view(), name="public-factcheck-detail"),
]
