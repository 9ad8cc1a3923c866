import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
django_wsgi_app = get_wsgi_application()

from backend.core.body_limit import WsgiBodyLimit  # noqa: E402  (after the settings are configured)

# Oversized bodies are refused before Django parses them (backend/core/body_limit.py).
application = WsgiBodyLimit(django_wsgi_app)
