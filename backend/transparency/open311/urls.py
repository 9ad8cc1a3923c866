"""Open311 GeoReport v2 paths as the spec writes them, each with a `.json` or `.xml` suffix."""

from django.urls import URLPattern, URLResolver, re_path

from backend.transparency.open311 import views
from backend.transparency.open311.errors import not_found_view

# Not named `format`: DRF's schema generator skips `.{format}` paths, and these must be documented.
FORMAT = r"\.(?P<response_format>json|xml)$"

urlpatterns: list[URLPattern | URLResolver] = [
    re_path(rf"^services{FORMAT}", views.ServiceListApi.as_view(), name="open311-services"),
    re_path(rf"^services/(?P<service_code>[^/]+){FORMAT}", views.ServiceDefinitionApi.as_view(),
            name="open311-service-definition"),
    re_path(rf"^requests{FORMAT}", views.RequestListCreateApi.as_view(), name="open311-requests"),
    re_path(rf"^requests/(?P<service_request_id>[^/]+){FORMAT}", views.RequestDetailApi.as_view(),
            name="open311-request"),
    re_path(rf"^tokens/(?P<token>[^/]+){FORMAT}", views.TokenApi.as_view(), name="open311-token"),
    # Anything else under /open311/v2/ answers 404 in the spec's error shape, not the API's.
    re_path(r"^(?P<path>.*)$", not_found_view),
]
