"""The report lifecycle as data: which action may start from which status, who may take it.

The services in `services/lifecycle.py` check every change against `TRANSITIONS`; a new status or
action is a row here (and a line in the table below). The legal transitions (action -> statuses it
may start from -> status it leads to):

| action            | who              | from                                                   | to           |
|-------------------|------------------|--------------------------------------------------------|--------------|
| triage (confirm   | operator/admin   | submitted, triaged, needs_review, assigned, returned   | assigned     |
|   or override)    |                  |                                                        |  (re-routed) |
| assign            | operator/admin   | submitted, triaged, needs_review, assigned, returned   | assigned     |
| reject            | operator/admin   | submitted, triaged, needs_review, assigned, returned   | rejected     |
| merge             | operator/admin   | submitted, triaged, needs_review, assigned, returned   | merged       |
| note (internal)   | operator/admin   | any                                                    | (unchanged)  |
| mark sensitive    | operator/admin   | any (withdraws it from every public path, or undoes)   | (unchanged)  |
| health kind       | operator/admin   | any (a health report only: confirms or corrects kind)  | (unchanged)  |
| accept            | agency (own)     | assigned, reopened                                     | accepted     |
| progress          | agency (own)     | accepted, in_progress                                  | in_progress  |
| resolve           | agency (own)     | accepted, in_progress                                  | resolved     |
| return            | agency (own)     | assigned, accepted, in_progress, reopened              | returned     |
| rate (once)       | the reporter     | resolved, closed (auto-closed, not yet rated)          | closed       |
| reopen            | the reporter     | resolved, closed (within REOPEN_WINDOW_DAYS)           | reopened     |
| mark overdue      | system           | every open status, once per report                     | (unchanged)  |
| auto-close        | system           | resolved (unrated, AUTO_CLOSE_DAYS after resolution)   | closed       |

Why these lines:
- Operators work on a report until an agency has accepted it; after that the agency owns the work and
  the way back to the operators is `return`.
- `returned` clears the agency and puts the report back in the operators' queue; `reopened` keeps the
  agency (the citizen says the job is not done) and gives it a fresh deadline.
- Rating closes a resolved report; a rating is given once per report, so a report reopened after a
  rating is not rated again. Reopening is allowed after a rating (a 1-star rating usually means it).
- `rejected`, `merged` and `closed` (after the reopen window) are final.
- Overdue is derived from the deadline, not a status; the periodic job records it once per report.
"""

from __future__ import annotations

from dataclasses import dataclass

from backend.accounts.models import Role
from backend.reports.models import OPEN_STATUSES, Status

S = Status

# Before an agency has accepted: the operators' part of the workflow.
OPERATOR_STAGE = frozenset({S.SUBMITTED, S.TRIAGED, S.NEEDS_REVIEW, S.ASSIGNED, S.RETURNED})


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str | None  # None: the status does not change
    roles: frozenset[str]


_OPS = frozenset({Role.OPERATOR, Role.ADMIN})
_AGENCY = frozenset({Role.AGENCY})
_CITIZEN = frozenset({Role.CITIZEN, Role.OPERATOR, Role.AGENCY, Role.ADMIN})  # the reporter, whoever they are
_SYSTEM: frozenset[str] = frozenset()

TRANSITIONS: dict[str, Transition] = {
    "triage": Transition(OPERATOR_STAGE, S.ASSIGNED, _OPS),
    "assign": Transition(OPERATOR_STAGE, S.ASSIGNED, _OPS),
    "reject": Transition(OPERATOR_STAGE, S.REJECTED, _OPS),
    "merge": Transition(OPERATOR_STAGE, S.MERGED, _OPS),
    "note": Transition(frozenset(Status.values), None, _OPS),
    "mark_sensitive": Transition(frozenset(Status.values), None, _OPS),
    "health_kind": Transition(frozenset(Status.values), None, _OPS),
    "accept": Transition(frozenset({S.ASSIGNED, S.REOPENED}), S.ACCEPTED, _AGENCY),
    "progress": Transition(frozenset({S.ACCEPTED, S.IN_PROGRESS}), S.IN_PROGRESS, _AGENCY),
    "resolve": Transition(frozenset({S.ACCEPTED, S.IN_PROGRESS}), S.RESOLVED, _AGENCY),
    "return": Transition(frozenset({S.ASSIGNED, S.ACCEPTED, S.IN_PROGRESS, S.REOPENED}), S.RETURNED, _AGENCY),
    "rate": Transition(frozenset({S.RESOLVED, S.CLOSED}), S.CLOSED, _CITIZEN),
    "reopen": Transition(frozenset({S.RESOLVED, S.CLOSED}), S.REOPENED, _CITIZEN),
    "mark_overdue": Transition(OPEN_STATUSES, None, _SYSTEM),
    "auto_close": Transition(frozenset({S.RESOLVED}), S.CLOSED, _SYSTEM),
}
# Where a merge may point: an open report (a resolved or closed one would hide the new complaint).
MERGE_TARGET_STATUSES = OPEN_STATUSES


def is_legal(action: str, current_status: str) -> bool:
    return current_status in TRANSITIONS[action].sources


def staff_actions(role_set: frozenset[str], status: str) -> list[str]:
    """The actions of one staff desk (operators or agencies) legal from `status`, in table order.

    Sent in the staff outputs (`actions`) so the screens offer exactly what the lifecycle allows and
    never keep their own copy of this table.
    """
    return [name for name, t in TRANSITIONS.items() if t.roles == role_set and status in t.sources]


OPERATOR_DESK = _OPS
AGENCY_DESK = _AGENCY
