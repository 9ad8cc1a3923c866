import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
django_wsgi_app = get_wsgi_application()

from django.conf import settings  # noqa: E402

from backend.core.body_limit import WsgiBodyLimit  # noqa: E402  (after the settings are configured)
from backend.core.log_redaction import install_on_server_loggers  # noqa: E402
from backend.core.model_watch import watch  # noqa: E402

install_on_server_loggers()  # no api_key, ?token= or full client address in the access log
watch(settings.TRIAGE_MODEL_CHECK_SECONDS)  # servers only: a promoted model reaches every process

# Oversized bodies are refused before Django parses them (backend/core/body_limit.py).
application = WsgiBodyLimit(django_wsgi_app)
