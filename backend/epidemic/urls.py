"""Epidemic mode (mounted under /api/v1/)."""

from django.urls import URLPattern, URLResolver, path

from backend.epidemic import apis

urlpatterns: list[URLPattern | URLResolver] = [
    path("epidemic/", apis.EpidemicInfoApi.as_view(), name="epidemic"),
    path("epidemic/mode/", apis.EpidemicModeStartApi.as_view(), name="epidemic-mode-start"),
    path("epidemic/mode/end/", apis.EpidemicModeEndApi.as_view(), name="epidemic-mode-end"),
    path("agency/epidemic/cases/", apis.SuspectedCasesApi.as_view(), name="epidemic-cases"),
    path("public/epidemic/", apis.PublicEpidemicApi.as_view(), name="public-epidemic"),
]
