"""Channel-layer group names, made in one place so publishers and consumers cannot drift apart."""

OPS = "ops"
ALERTS = "alerts"


def agency(agency_id: int) -> str:
    return f"agency.{agency_id}"


def report(report_id: int) -> str:
    return f"report.{report_id}"
