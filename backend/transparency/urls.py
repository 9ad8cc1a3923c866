"""The public pages (mounted at the site root): /public/, /track/ and the public ward outlines."""

from django.urls import URLPattern, URLResolver, path

from backend.transparency import pages

urlpatterns: list[URLPattern | URLResolver] = [
    path("public/", pages.public_page, name="public-page"),
    path("public/wards.geojson", pages.wards_geojson, name="public-wards"),
    path("track/", pages.track_page, name="track-page"),
]
