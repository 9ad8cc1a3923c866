"""Refusals raised by services and selectors, in the domain's terms.

A service says *what* was refused (a stable code, the offending fields, parameters for the message);
it never picks an HTTP status or a language. The API layer (`backend.core.errors`) maps each kind to
its status and renders the message from the one message table (`backend.core.messages`).
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    def __init__(self, code: str, *, fields: dict[str, list[Any]] | None = None, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.fields = fields or {}
        self.params = params


class InvalidInput(DomainError):
    """The input is wrong (a value out of range, an unknown code, a malformed cursor)."""


class NotFound(DomainError):
    """Absent, or not the asker's to know about (another agency's ticket)."""

    def __init__(self, code: str = "not_found", **kwargs: object) -> None:
        super().__init__(code, **kwargs)  # type: ignore[arg-type]


class Forbidden(DomainError):
    """The asker's role may not do this."""

    def __init__(self, code: str = "permission_denied", **kwargs: object) -> None:
        super().__init__(code, **kwargs)  # type: ignore[arg-type]


class Conflict(DomainError):
    """The request is well-formed but the current state refuses it."""


class IllegalTransition(Conflict):
    """An action the report's lifecycle does not allow from its current status."""

    def __init__(self, action: str, status: str, status_label: str) -> None:
        super().__init__("illegal_transition", action=action, status=status)
        self.action = action
        self.status = status
        self.status_label = status_label


class Unprocessable(DomainError):
    """Understood, but cannot be honoured as sent (an Idempotency-Key reused for another body)."""


class RateLimited(DomainError):
    """Too many attempts; `retry_after` seconds until the next may succeed."""

    def __init__(self, code: str, *, retry_after: int | None = None, **params: object) -> None:
        super().__init__(code, **params)  # type: ignore[arg-type]
        self.retry_after = retry_after


class Unavailable(DomainError):
    """Something this needs is down for now (the cache holding a fail-closed limit); retry later."""

    def __init__(self, code: str = "temporarily_unavailable", *, retry_after: int | None = None, **params: object) -> None:
        super().__init__(code, **params)  # type: ignore[arg-type]
        self.retry_after = retry_after
