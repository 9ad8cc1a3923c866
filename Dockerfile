# syntax=docker/dockerfile:1
# The production image: the runtime lock only (no dev, test or training packages), code owned by root
# and read-only to the unprivileged user the servers run as. Build: docker compose build
ARG PYTHON_IMAGE=python:3.11.14-slim-bookworm

# --- dependencies: their own layer, rebuilt only when the lock changes ---------------------------------
FROM ${PYTHON_IMAGE} AS deps
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /venv
COPY requirements/runtime.lock /tmp/runtime.lock
RUN /venv/bin/pip install --require-hashes --no-deps -r /tmp/runtime.lock

# --- runtime -----------------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime
RUN groupadd --system --gid 10001 hue && useradd --system --uid 10001 --gid hue --home-dir /var/lib/hue hue \
    && mkdir -p /var/lib/hue/models /data && chown -R hue:hue /var/lib/hue
COPY --from=deps /venv /venv
ENV PATH=/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DJANGO_SETTINGS_MODULE=backend.settings \
    ENV_FILE= \
    VAR_DIR=/var/lib/hue \
    STATIC_ROOT=/app/static \
    ML_MODELS_DIR=/var/lib/hue/models \
    BUNDLED_MODELS_DIR=/app/ml_models/triage \
    PROMETHEUS_MULTIPROC_DIR=/tmp/prometheus \
    HEALTH_PORT=8000
WORKDIR /app
COPY manage.py pyproject.toml ./
COPY deploy/entrypoint.sh /usr/local/bin/hue-entrypoint
COPY deploy/healthcheck.py /usr/local/bin/hue-healthcheck
COPY ml_models ./ml_models
COPY triage ./triage
COPY routing ./routing
COPY realtime ./realtime
COPY backend ./backend
# Static files are collected at build time (WhiteNoise serves them); the settings need a key to load.
RUN EMBEDDED_DEFAULT=true python manage.py collectstatic --noinput -v0 && python -m compileall -q backend triage routing realtime
USER hue
EXPOSE 8000
# Liveness only (the process answers); readiness is /api/v1/health/ready/. HEALTH_PORT: 8001 for wsgi.
# (with a Host the app accepts: deploy/healthcheck.py)
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 CMD ["python", "/usr/local/bin/hue-healthcheck"]
ENTRYPOINT ["hue-entrypoint"]
CMD ["uvicorn", "backend.asgi:application", "--host", "0.0.0.0", "--port", "8000"]
