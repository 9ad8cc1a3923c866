"""`make run` writes a local env file; commands pasted after it work, production still refuses the dev key."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from backend.core.local_env import write_local_env

ROOT = Path(__file__).resolve().parents[2]
CLEARED = {"EMBEDDED_DEFAULT", "DJANGO_SECRET_KEY", "DJANGO_DEBUG", "DATABASE_URL", "REDIS_URL", "ENV_FILE", "VAR_DIR"}


def bare_env(**extra: str) -> dict[str, str]:
    """The environment of a newcomer's shell: none of the variables `make` or pytest set."""
    env = {k: v for k, v in os.environ.items() if k not in CLEARED}
    env.update(extra)
    return env


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)


def test_local_env_file_is_written_once_with_a_random_key(tmp_path):
    # given no local env file
    path = tmp_path / ".env.local"
    # when it is written twice
    first = write_local_env(path)
    content = path.read_text()
    second = write_local_env(path)
    # then the first call wrote it, private to its owner, and the second kept it as it was
    assert (first, second) == (True, False)
    assert path.read_text() == content
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    values = dict(line.split("=", 1) for line in content.splitlines() if line and not line.startswith("#"))
    assert set(values) == {"EMBEDDED_DEFAULT", "DJANGO_SECRET_KEY"}
    assert values["EMBEDDED_DEFAULT"] == "true"
    assert len(values["DJANGO_SECRET_KEY"]) >= 32
    # and another checkout gets another key
    other = tmp_path / "other.env"
    write_local_env(other)
    assert other.read_text() != content


def test_readme_commands_work_pasted_after_make_run(tmp_path):
    # given the local env file `make run` writes and a shell without any exported variable
    env_file = tmp_path / ".env.local"
    write_local_env(env_file)
    env = bare_env(ENV_FILE=str(env_file), VAR_DIR=str(tmp_path / "var"))
    # when the README's operations commands are pasted as written
    migrate = manage("migrate", "-v0", env=env)
    assert migrate.returncode == 0, migrate.stderr
    reference = manage("load_reference_data", env=env)
    token = manage("issue_token", "lan-hepco", "--role", "agency", "--agency", "hepco", env=env)
    # then they run: no ImproperlyConfigured, and the last word is a token
    assert reference.returncode == 0, reference.stderr
    assert token.returncode == 0, token.stderr
    assert len(token.stdout.split()[-1]) >= 32


def test_production_still_refuses_the_development_key_without_the_local_file(tmp_path):
    # given no local env file (a server or container) and the published development key
    env = bare_env(ENV_FILE="", DJANGO_SECRET_KEY="django-insecure-embedded-default-key-change-me-in-production",
                   VAR_DIR=str(tmp_path))
    # when a command starts
    result = manage("check", env=env)
    # then settings refuse it
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_environment_wins_over_the_local_file(tmp_path):
    # given a local env file that allows the embedded default, and a deployment saying it is not one
    env_file = tmp_path / ".env.local"
    write_local_env(env_file)
    env = bare_env(ENV_FILE=str(env_file), EMBEDDED_DEFAULT="false", DJANGO_SECRET_KEY="short", VAR_DIR=str(tmp_path))
    # when a command starts, then the environment's values are the ones checked
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr
