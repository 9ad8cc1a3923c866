"""URLs of the ticket lifecycle: operators, agencies, citizens' follow-up (mounted under /api/v1/)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
