"""docker-compose.yml, the Dockerfile, the proxy config and the locks, checked against the code.

There is no Docker engine on the team's machines or CI: these tests keep the production shape honest
by reading it the way Compose and nginx would and starting what they would start (settings, commands,
the ASGI/WSGI applications) with each service's own environment.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES: dict = COMPOSE["services"]
APP_SERVICES = ["createbucket", "migrate", "asgi", "worker"]
LONG_RUNNING = ["postgres", "redis", "s3", "asgi", "worker", "proxy"]
ONE_SHOT = ["createbucket", "migrate"]
NGINX_TEMPLATE = ROOT / "deploy" / "nginx" / "default.conf.template"


def read_env_file(path: Path) -> dict[str, str]:
    values = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip()
    return values


ENV_EXAMPLE = read_env_file(ROOT / ".env.example")
# What an operator fills in: every empty value of .env.example gets a test secret.
DOTENV = {name: value or f"test-{name.lower()}-" + "x" * 40 for name, value in ENV_EXAMPLE.items()}

_VAR = re.compile(r"\$\{([A-Z0-9_]+)(?::([-?])([^}]*))?\}")


def interpolate(text: str, values: dict[str, str]) -> str:
    """Compose's ${VAR}, ${VAR:-default}, ${VAR:?error} against the .env file."""

    def one(match: re.Match[str]) -> str:
        name, kind, arg = match.groups()
        if values.get(name):
            return values[name]
        if kind == "?":
            raise AssertionError(f"${{{name}}} is required: {arg}")
        return arg if kind == "-" else ""

    return _VAR.sub(one, text)


def dockerfile_env() -> dict[str, str]:
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    block = text.split("FROM ")[-1]
    env = {}
    for line in block.splitlines():
        if line.startswith("ENV "):
            for name, value in re.findall(r"([A-Z_]+)=(\S*)", line):
                env[name] = value.replace("$PATH", os.environ["PATH"])
    return env


def service_env(name: str) -> dict[str, str]:
    """The environment a container of this service gets: image ENV, env_file, then environment."""
    service = SERVICES[name]
    env = dict(dockerfile_env())
    for env_file in service.get("env_file", []):
        assert env_file == ".env"
        env.update(DOTENV)
    env.update({key: interpolate(str(value), DOTENV) for key, value in service.get("environment", {}).items()})
    return env


def command_of(name: str) -> list[str]:
    return [interpolate(str(part), DOTENV) for part in SERVICES[name]["command"]]


def manage_commands(argv: list[str]) -> list[list[str]]:
    """Every `python manage.py ...` in a command, including inside `sh -c` scripts."""
    if argv[:2] == ["python", "manage.py"]:
        return [argv[2:]]
    if argv[:2] == ["sh", "-c"]:
        return [shlex.split(found) for found in re.findall(r"python manage\.py ([^&;]+)", argv[2])]
    return []


def run_in(env: dict[str, str], code: str) -> subprocess.CompletedProcess[str]:
    import tempfile

    # What deploy/entrypoint.sh does before every command: an empty directory for the metrics files.
    env = {**env, "PROMETHEUS_MULTIPROC_DIR": tempfile.mkdtemp(prefix="prom-")}
    assert env["PROMETHEUS_MULTIPROC_DIR"]
    clean = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "SHARED_DATA_DIR"}}
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True)


# --- services, dependencies, restarts, health ------------------------------------------------------

def test_every_image_is_pinned_and_app_services_use_the_built_one():
    for name, service in SERVICES.items():
        if name in APP_SERVICES:
            assert service["build"] == "." and service["image"].startswith("hue-feedback:"), name
            continue
        image = service["image"]
        tag = image.rsplit(":", 1)[-1] if ":" in image else ""
        assert tag and tag != "latest" and re.search(r"\d+\.\d+", tag), f"{name}: {image} is not pinned"
    assert not any("minio" in s.get("image", "") for s in SERVICES.values())


def test_restart_policies_and_health_checks():
    for name in LONG_RUNNING:
        assert SERVICES[name]["restart"] == "unless-stopped", name
    for name in ONE_SHOT:
        assert SERVICES[name]["restart"] == "no", name
    for name in ["postgres", "redis", "s3", "worker", "proxy"]:
        assert SERVICES[name]["healthcheck"]["test"][0] == "CMD", name
    # asgi uses the image's HEALTHCHECK, on the port it serves
    assert "HEALTHCHECK" in (ROOT / "Dockerfile").read_text()
    assert service_env("asgi")["HEALTH_PORT"] == "8000" and "8000" in command_of("asgi")


def test_app_services_wait_for_the_jobs_and_the_jobs_for_their_services():
    for name in ["asgi", "worker"]:
        depends = SERVICES[name]["depends_on"]
        assert depends["migrate"] == {"condition": "service_completed_successfully"}, name
        assert depends["createbucket"] == {"condition": "service_completed_successfully"}, name
    assert SERVICES["migrate"]["depends_on"] == {
        "postgres": {"condition": "service_healthy"}, "redis": {"condition": "service_healthy"}}
    assert SERVICES["createbucket"]["depends_on"] == {"s3": {"condition": "service_healthy"}}
    assert SERVICES["proxy"]["depends_on"] == {"asgi": {"condition": "service_healthy"}}


def test_only_the_proxy_publishes_a_port_and_proxy_headers_are_trusted_only_from_it():
    assert [name for name, s in SERVICES.items() if s.get("ports")] == ["proxy"]
    proxy_ip = SERVICES["proxy"]["networks"]["internal"]["ipv4_address"]
    asgi = command_of("asgi")
    assert asgi[asgi.index("--forwarded-allow-ips") + 1] == proxy_ip
    assert "--proxy-headers" in asgi


def test_no_credentials_inline():
    text = (ROOT / "docker-compose.yml").read_text()
    for secret in ["POSTGRES_PASSWORD", "S3_SECRET_ACCESS_KEY", "S3_ACCESS_KEY_ID"]:
        for value in re.findall(rf"(?<![{{\w]){secret}:\s*(\S+)", text):
            assert value.startswith("${"), f"{secret} is inline: {value}"
    assert "DJANGO_SECRET_KEY" not in text and "SMS_HTTP_TOKEN" not in text  # only in .env


def test_every_app_service_shares_the_models_volume_where_triage_reads_it():
    models_dir = dockerfile_env()["ML_MODELS_DIR"]
    for name in APP_SERVICES:
        assert f"models:{models_dir}" in SERVICES[name]["volumes"], name


# --- commands and environment against the code ------------------------------------------------------

def test_every_manage_command_exists_and_its_arguments_parse():
    from django.core.management import get_commands, load_command_class

    commands = get_commands()
    argvs = [argv for name in APP_SERVICES for argv in manage_commands(command_of(name))]
    argvs += manage_commands(SERVICES["worker"]["healthcheck"]["test"][1:])
    found = sorted(argv[0] for argv in argvs)
    assert found == sorted(["ensure_media_bucket", "migrate", "load_reference_data", "install_triage_models",
                            "import_areas", "run_periodic_jobs", "periodic_alive"])
    for argv in argvs:
        command = load_command_class(commands[argv[0]], argv[0])
        command.create_parser("manage.py", argv[0]).parse_args(argv[1:])


def test_ward_polygons_are_imported_from_the_mounted_data_folder():
    script = command_of("migrate")[2]
    mounted = [v for v in SERVICES["migrate"]["volumes"] if v.endswith(":/data/geo:ro")]
    assert mounted == ["${WARDS_DATA_DIR:-./data/geo}:/data/geo:ro"]
    assert "import_areas /data/geo/hue_wards_communes_2025.geojson" in script
    assert "if [ -f /data/geo/hue_wards_communes_2025.geojson ]" in script


@pytest.mark.parametrize("name", APP_SERVICES)
def test_settings_start_in_production_with_each_service_environment(name):
    # given the environment Compose gives this container (image ENV + .env + environment)
    env = service_env(name)
    # when the settings load there, then they are production's: PostgreSQL pool, Redis, S3, HTTP SMS
    result = run_in(env, "import django, json; django.setup(); from django.conf import settings as s; print(json.dumps({"
                         "'production': s.PRODUCTION, 'db': s.DATABASES['default']['ENGINE'],"
                         "'pool': bool(s.DATABASES['default'].get('OPTIONS', {}).get('pool')),"
                         "'layer': s.CHANNEL_LAYERS['default']['BACKEND'], 'cache': s.CACHES['default']['BACKEND'],"
                         "'storage': s.STORAGES['default']['BACKEND'], 'media': s.MEDIA_URL, 'sms': s.SMS_SENDER,"
                         "'proxy_ssl': s.SECURE_PROXY_SSL_HEADER}))")
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert "Redis" in found.pop("layer")  # channels-redis' layer or realtime's subclass of it
    assert found == {
        "production": True, "db": "django.db.backends.postgresql", "pool": True,
        "cache": "django.core.cache.backends.redis.RedisCache",
        "storage": "storages.backends.s3.S3Storage", "media": DOTENV["PUBLIC_URL"] + "/media/",
        "sms": "backend.accounts.sms.HttpSmsSender", "proxy_ssl": ["HTTP_X_FORWARDED_PROTO", "https"],
    }


def test_the_server_application_imports_with_its_environment():
    assert "backend.asgi:application" in command_of("asgi")
    result = run_in({**service_env("asgi"), "TRIAGE_MODEL_CHECK_SECONDS": "0"},
                    "import backend.asgi; print(callable(backend.asgi.application))")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "True"


# Variables read outside settings.py, and by whom (the file must name them).
OTHER_CONSUMERS = {
    "POSTGRES_PASSWORD": "docker-compose.yml", "PUBLIC_URL": "docker-compose.yml", "SERVER_NAME": "docker-compose.yml",
    "HTTP_PORT": "docker-compose.yml", "ASGI_WORKERS": "docker-compose.yml", "WARDS_DATA_DIR": "docker-compose.yml",
    "PROMETHEUS_MULTIPROC_DIR": "backend/core/metrics.py",
    "HEALTH_PORT": "Dockerfile",
    "PATH": "Dockerfile", "PYTHONUNBUFFERED": "Dockerfile", "PYTHONDONTWRITEBYTECODE": "Dockerfile",
    "DJANGO_SETTINGS_MODULE": "manage.py",
}


def test_every_variable_given_is_one_the_code_reads():
    settings_source = (ROOT / "backend" / "settings.py").read_text()
    read_by_settings = set(re.findall(r'env_(?:str|bool|int|float|list)\("([A-Z0-9_]+)"', settings_source))
    read_by_settings |= set(re.findall(r'os\.environ\.get\("([A-Z0-9_]+)"', settings_source))
    given = set(ENV_EXAMPLE) | set(dockerfile_env())
    for name in APP_SERVICES:
        given |= set(SERVICES[name].get("environment", {}))
    unread = {v for v in given - read_by_settings
              if v not in OTHER_CONSUMERS or v not in (ROOT / OTHER_CONSUMERS[v]).read_text()}
    assert unread == set()


def test_env_example_holds_no_secret_values():
    for name in ["DJANGO_SECRET_KEY", "POSTGRES_PASSWORD", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY",
                 "METRICS_TOKEN", "SMS_HTTP_TOKEN"]:
        assert ENV_EXAMPLE[name] == "", name
    assert ".env" in (ROOT / ".gitignore").read_text().split()


# --- the proxy ----------------------------------------------------------------------------------------

def nginx_conf(values: dict[str, str]) -> str:
    return re.sub(r"\$\{([A-Z0-9_]+)\}", lambda m: values[m.group(1)], NGINX_TEMPLATE.read_text())


def test_proxy_routes_sockets_to_asgi_and_caps_bodies_as_the_app_does():
    from django.conf import settings

    template = NGINX_TEMPLATE.read_text()
    env = {k: interpolate(str(v), DOTENV) for k, v in SERVICES["proxy"]["environment"].items()}
    assert env["ASGI_UPSTREAM"] == "asgi:8000" and env["REST_UPSTREAM"] == "asgi:8000"
    assert env["MEDIA_UPSTREAM"] == "s3:8333" and env["S3_BUCKET"] == DOTENV["S3_BUCKET"]
    body_cap = int(re.search(r"client_max_body_size (\d+)m;", template).group(1)) * 1024 * 1024
    assert body_cap == settings.UPLOAD_MAX_BODY_BYTES
    ws_block = template[template.index("location /ws/"):template.index("location /media/")]
    assert "proxy_pass http://asgi;" in ws_block and "proxy_set_header Upgrade $http_upgrade;" in ws_block
    idle = int(re.search(r"proxy_read_timeout (\d+)s;", ws_block).group(1))
    assert idle > settings.REALTIME_HEARTBEAT_SECONDS
    for block in (ws_block, template[template.index("location / {"):]):
        assert "proxy_set_header X-Forwarded-For $remote_addr;" in block  # replaced, not appended
        assert "proxy_set_header X-Request-ID $request_id;" in block
    assert "location = /metrics { return 404; }" in template
    # the bucket is reachable only through the app's signed photo answer (X-Accel-Redirect)
    media_block = template[template.index("location /media/"):template.index("location / {")]
    assert "internal;" in media_block
    assert service_env("asgi")["PHOTO_ACCEL_REDIRECT"] == "/media/"
    mount = "./deploy/nginx/default.conf.template:/etc/nginx/templates/default.conf.template:ro"
    assert SERVICES["proxy"]["volumes"] == [mount]


def test_proxy_config_is_valid_nginx(tmp_path):
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if nginx is None:
        if os.environ.get("CI") == "true":
            pytest.fail("nginx is not installed (CI installs it: .ci/run)")
        pytest.skip("nginx not installed here")
    conf = nginx_conf({"ASGI_UPSTREAM": "127.0.0.1:8000", "REST_UPSTREAM": "127.0.0.1:8001",
                       "MEDIA_UPSTREAM": "127.0.0.1:8333", "S3_BUCKET": "hue-media", "LISTEN_PORT": "8080",
                       "SERVER_NAME": "_"})
    main = tmp_path / "nginx.conf"
    main.write_text(f"pid {tmp_path}/nginx.pid; error_log stderr; events {{}}\n"
                    f"http {{ access_log off; client_body_temp_path {tmp_path}; {conf} }}\n")
    result = subprocess.run([nginx, "-t", "-c", str(main), "-p", str(tmp_path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


# --- the image and the locks -------------------------------------------------------------------------

def test_dockerfile_is_multi_stage_non_root_from_the_lock():
    text = (ROOT / "Dockerfile").read_text()
    assert len(re.findall(r"^FROM ", text, re.M)) >= 2
    assert re.search(r"^USER hue$", text, re.M)
    assert "pip install --require-hashes --no-deps -r /tmp/runtime.lock" in text
    # dependencies are installed before the code is copied, so a code change reuses that layer
    assert text.index("runtime.lock") < text.index("COPY backend")
    ignored = [line for line in (ROOT / ".dockerignore").read_text().split("\n") if line and not line.startswith("#")]
    assert ignored[0] == "*" and "!.env" not in ignored and "!requirements/runtime.lock" in ignored


def pins(path: Path) -> dict[str, str]:
    return {m.group(1).lower(): m.group(2) for m in re.finditer(r"^([A-Za-z0-9_.-]+)==([^\s;\\]+)", path.read_text(), re.M)}


def test_locks_agree_with_pyproject_and_training_packages_stay_out_of_the_runtime():
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime, dev = pins(ROOT / "requirements" / "runtime.lock"), pins(ROOT / "requirements" / "dev.lock")
    for requirement in project["dependencies"]:
        name, version = re.match(r"([A-Za-z0-9_.-]+)(?:\[[^]]*\])?==(\S+)", requirement).groups()
        assert runtime[name.lower().replace("_", "-")] == version, name
    assert {name: dev[name] for name in runtime} == runtime  # one version of everything, dev and image
    for name in ["matplotlib", "pytest", "locust", "mypy", "playwright", "moto"]:
        assert name not in runtime, name
        assert name in dev, name
    assert "matplotlib==3.11.2" in project["optional-dependencies"]["train"]


# --- health checks speak with a Host the app accepts -------------------------------------------------

def test_health_checks_use_a_host_the_app_allows():
    import importlib.util

    allowed = [h.strip() for h in DOTENV["DJANGO_ALLOWED_HOSTS"].split(",")]
    # the proxy's check goes through nginx to the app with the site's name
    test = [interpolate(str(part), DOTENV) for part in SERVICES["proxy"]["healthcheck"]["test"]]
    assert test[test.index("--header") + 1] == f"Host: {DOTENV['SERVER_NAME']}"
    assert DOTENV["SERVER_NAME"] in allowed
    # the app containers' check (deploy/healthcheck.py) picks the first allowed name
    spec = importlib.util.spec_from_file_location("hue_healthcheck", ROOT / "deploy" / "healthcheck.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.allowed_host(DOTENV["DJANGO_ALLOWED_HOSTS"]) == allowed[0]
    assert [module.allowed_host(raw) for raw in ("*", ".hue.gov.vn,x", "", " a.vn , b.vn")] == [
        "localhost", "hue.gov.vn", "localhost", "a.vn"]
    assert 'CMD ["python", "/usr/local/bin/hue-healthcheck"]' in (ROOT / "Dockerfile").read_text()
    # and Prometheus scrapes the app by its service name, which must be allowed too
    assert "asgi" in allowed


def test_healthcheck_script_against_a_server_that_checks_the_host(tmp_path):
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Django(BaseHTTPRequestHandler):  # answers like Django: 400 for a Host it does not allow
        def do_GET(self) -> None:  # noqa: N802
            ok = self.path == "/api/v1/health/live/" and self.headers["Host"] == "phananh.example.vn"
            self.send_response(200 if ok else 400)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Django)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = str(server.server_address[1])
    try:
        def check(hosts: str) -> int:
            env = {"PATH": os.environ["PATH"], "HEALTH_PORT": port, "DJANGO_ALLOWED_HOSTS": hosts}
            return subprocess.run([sys.executable, str(ROOT / "deploy" / "healthcheck.py")], env=env,
                                  capture_output=True).returncode

        assert check("phananh.example.vn,asgi") == 0
        assert check("other.example.vn") == 1
    finally:
        server.shutdown()
        server.server_close()
