import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
application = get_wsgi_application()

from django.conf import settings  # noqa: E402

from backend.core.model_watch import watch  # noqa: E402

watch(settings.TRIAGE_MODEL_CHECK_SECONDS)  # servers only: a promoted model reaches every process
