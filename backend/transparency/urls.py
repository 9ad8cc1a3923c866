"""The public pages (mounted at the site root): /public/ and /track/."""

from django.urls import URLPattern, URLResolver, path

from backend.transparency import pages

urlpatterns: list[URLPattern | URLResolver] = [
    path("public/", pages.public_page, name="public-page"),
    path("track/", pages.track_page, name="track-page"),
]
