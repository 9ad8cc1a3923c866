"""The intake reads epidemic mode through a per-process copy: a switch in this process is seen at once,
one made elsewhere (another server, a raw UPDATE) within MODE_TTL_SECONDS."""

from __future__ import annotations

from backend.epidemic import selectors
from backend.epidemic.models import EpidemicMode, HealthDetails
from routing import process_copy


def test_a_switch_through_the_api_is_seen_by_the_next_submission_of_this_process(submit_health, admin_client,
                                                                                  epidemic_on, ward_polygons,
                                                                                  fake_triage):
    # given epidemic mode on: a suspected case must say its symptoms and onset
    fake_triage("health_epidemic", "normal", 0.9)
    refused = submit_health(expect=400, category="health_epidemic", health_kind="suspected_case", people_count="1")
    assert set(refused["error"]["fields"]) == {"symptoms", "onset_date"}
    # when the admin ends it
    assert admin_client.post("/api/v1/epidemic/mode/end/").status_code == 200
    # then the next submission is handled as out of epidemic mode at once
    body = submit_health(category="health_epidemic", health_kind="suspected_case", people_count="1")
    assert HealthDetails.objects.get(report_id=body["id"]).epidemic is None


def test_a_switch_made_elsewhere_is_seen_once_the_copy_is_older_than_its_ttl(admin_client, epidemic_on, monkeypatch):
    # given the copy read while the mode is on
    clock = [1000.0]
    monkeypatch.setattr(process_copy.time, "monotonic", lambda: clock[0])
    mode = selectors.current_mode_cached()
    assert mode is not None and mode.disease_vi == "Sốt xuất huyết"
    # when another process ends it (an UPDATE this process hears nothing of)
    EpidemicMode.objects.filter(active=True).update(active=False)
    # then the copy answers until it is MODE_TTL_SECONDS old, the database after
    clock[0] += selectors.MODE_TTL_SECONDS - 0.1
    assert selectors.current_mode_cached() == mode
    clock[0] += 0.2
    assert selectors.current_mode_cached() is None
