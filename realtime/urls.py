"""Dashboard pages (operators' /dashboard/, agencies' /agency/)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
