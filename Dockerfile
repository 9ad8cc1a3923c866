FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml ./
COPY backend ./backend
COPY triage ./triage
COPY routing ./routing
COPY realtime ./realtime
COPY ml_models ./ml_models
COPY manage.py ./
RUN pip install --no-cache-dir . gunicorn==23.0.0 && EMBEDDED_DEFAULT=true python manage.py collectstatic --noinput
ENV DJANGO_SETTINGS_MODULE=backend.settings
EXPOSE 8000
