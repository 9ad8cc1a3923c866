"""The git-ignored local env file `make run` writes, so commands pasted after it see the same settings.

`make run` used to pass EMBEDDED_DEFAULT=true only to its own commands: `.venv/bin/python manage.py
issue_token ...` typed afterwards then stopped on the production secret-key check. Settings read this
file (process variables win); it holds a random secret key generated once, so tokens and sessions
survive restarts and the published development key is never used on a developer's machine either.

Django-free: run as `python -m backend.core.local_env PATH` before settings exist.
"""

from __future__ import annotations

import secrets
import sys
from pathlib import Path

HEADER = (
    "# Written once by `make run` for this checkout (git-ignored). Settings read it; variables set in\n"
    "# the environment win. Not for production: there, set DJANGO_SECRET_KEY and friends (.env.example).\n"
)


def local_env_text() -> str:
    return HEADER + f"EMBEDDED_DEFAULT=true\nDJANGO_SECRET_KEY={secrets.token_urlsafe(48)}\n"


def write_local_env(path: Path) -> bool:
    """Create the file if it does not exist; returns whether it was written (an existing one is kept)."""
    if path.exists():
        return False
    path.write_text(local_env_text(), encoding="utf-8")
    path.chmod(0o600)  # it holds the secret key
    return True


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else ".env.local")
    if write_local_env(target):
        print(f"wrote {target} (local settings for commands you run in this checkout)")
