"""The public surface: classify() with the committed model, without any model, thresholds, threads."""

import shutil
import threading

import pytest

import triage
from triage import TriageResult, artifacts, config
from triage.config import DEFAULT_REVIEW_THRESHOLD


def test_without_a_model_everything_goes_to_review(models_dir):
    # Given an empty models directory / When a plain report is classified
    result = triage.classify("Rác chưa được thu gom ba ngày")

    # Then it still works: "other", normal, no confidence, human review
    assert result == TriageResult(
        category="other",
        urgency="normal",
        confidence=0.0,
        category_scores={},
        urgency_scores={},
        model_version=None,
        rules_fired=(),
        review_reasons=("no_model",),
        alert=False,
    )
    assert triage.model_version() is None


def test_without_a_model_the_safety_rules_still_decide_urgency_and_hint_the_category(models_dir):
    result = triage.classify("day dien bi dut roi xuong duong")

    assert (result.category, result.urgency, result.confidence) == ("power_supply", "critical", 0.0)
    assert result.rules_fired == ("downed_wire",)
    assert result.review_reasons == ("no_model", "critical")
    assert result.needs_review is True
    assert result.alert is True


def test_get_model_says_why_there_is_no_model(models_dir):
    with pytest.raises(triage.ModelLoadError, match="no active triage model"):
        triage.get_model()


def test_a_tampered_active_model_falls_back_to_review(models_dir, trained):
    # Given an active version whose model file was changed after training
    # (tampered before ACTIVE names it, written by hand since set_active refuses a broken version: a
    # model watcher thread in the test process, started once any test imported backend.asgi, must not
    # load the untampered file in between)
    shutil.copytree(trained.path, models_dir / trained.version)
    with (models_dir / trained.version / "model.npz").open("ab") as handle:
        handle.write(b"x")
    (models_dir / artifacts.ACTIVE_FILE).write_text(trained.version + "\n", encoding="utf-8")

    # When a report is classified / Then the model is refused and the report goes to review
    result = triage.classify("Đèn đường hỏng")
    assert (result.model_version, result.confidence, result.needs_review) == (None, 0.0, True)
    with pytest.raises(triage.ModelLoadError, match="sha256"):
        triage.get_model()


def test_model_is_loaded_once_and_shared_by_threads(models_dir, trained):
    shutil.copytree(trained.path, models_dir / trained.version)
    artifacts.set_active(trained.version, models_dir)
    seen = []

    threads = [threading.Thread(target=lambda: seen.append(triage.get_model())) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(seen) == 8
    assert all(model is seen[0] for model in seen)
    assert triage.model_version() == trained.version


def test_load_model_refuses_a_path_outside_the_models_directory(models_dir, trained):
    with pytest.raises(triage.ModelLoadError, match="directly inside"):
        triage.load_model(trained.path)  # the session's model lives in another directory


def test_review_threshold_comes_from_the_argument_or_the_configuration(models_dir, trained, monkeypatch):
    shutil.copytree(trained.path, models_dir / trained.version)
    artifacts.set_active(trained.version, models_dir)
    text = "Hát karaoke ầm ĩ đến khuya"
    confidence = triage.classify(text).confidence
    assert 0.0 < confidence < 1.0

    def unsure_of_category(**kwargs: float) -> bool:
        return "low_confidence" in triage.classify(text, **kwargs).review_reasons

    assert unsure_of_category(review_threshold=0.0) is False
    assert unsure_of_category(review_threshold=1.0) is True
    # the environment is not read: settings reach triage through configure()
    monkeypatch.setenv("TRIAGE_REVIEW_THRESHOLD", "1")
    assert unsure_of_category() is (confidence < DEFAULT_REVIEW_THRESHOLD)
    triage.configure(review_threshold=1.0)
    assert unsure_of_category() is True
    triage.configure(review_threshold=0.0)
    assert unsure_of_category() is False
    # a bad value is refused and changes nothing
    with pytest.raises(ValueError, match="review threshold 'lots' must be a number in"):
        triage.configure(review_threshold="lots")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="review threshold 1.5 must be a number in"):
        triage.configure(review_threshold=1.5)
    assert config.current().review_threshold == 0.0


def test_configuring_another_models_directory_loads_its_active_model(models_dir, trained, tmp_path):
    # given the process using an empty models directory (no model)
    assert triage.model_version() is None
    # when it is configured to a directory whose ACTIVE is the trained version
    other = tmp_path / "other-models"
    shutil.copytree(trained.path, other / trained.version)
    artifacts.set_active(trained.version, other)
    triage.configure(models_dir=other)
    # then the next report uses that model
    assert triage.model_version() == trained.version
    assert artifacts.models_root() == other.resolve()


def test_critical_reports_always_need_review_and_alert(models_dir, trained):
    shutil.copytree(trained.path, models_dir / trained.version)
    artifacts.set_active(trained.version, models_dir)

    result = triage.classify("Nhà đang cháy lớn", review_threshold=0.0)

    assert (result.urgency, result.needs_review, result.alert) == ("critical", True, True)
    assert result.review_reasons == ("critical",)
    assert "fire" in result.rules_fired


def test_batch_equals_one_by_one(models_dir, trained):
    shutil.copytree(trained.path, models_dir / trained.version)
    artifacts.set_active(trained.version, models_dir)
    texts = ["Đèn đường hỏng", "rac thai boc mui", "", "A live wire fell on the road"]

    batch = triage.classify_batch(texts)
    single = [triage.classify(text) for text in texts]

    # the one-report path computes on dense vectors: same decisions, scores equal to float precision
    decisions = [
        (r.category, r.urgency, r.rules_fired, r.needs_review, r.alert, r.model_version) for r in batch
    ]
    assert decisions == [
        (r.category, r.urgency, r.rules_fired, r.needs_review, r.alert, r.model_version) for r in single
    ]
    for left, right in zip(batch, single, strict=True):
        assert left.confidence == pytest.approx(right.confidence, abs=1e-6)
        assert left.category_scores == pytest.approx(right.category_scores, abs=1e-6)
        assert left.urgency_scores == pytest.approx(right.urgency_scores, abs=1e-6)


# --- the committed model (ml_models/triage/ACTIVE) on a handful of clear reports ---

COMMITTED = artifacts.models_root()


@pytest.fixture
def committed_model(monkeypatch):
    if artifacts.active_version(COMMITTED) is None:
        pytest.fail("no committed model: ml_models/triage/ACTIVE is missing")
    triage.reset_model()
    yield triage.get_model()
    triage.reset_model()


@pytest.mark.parametrize(
    ("text", "category", "urgency"),
    [
        ("Dây điện bị đứt rơi xuống đường Lê Lợi, rất nguy hiểm", "power_supply", "critical"),
        ("day dien bi dut roi xuong duong le loi rat nguy hiem", "power_supply", "critical"),
        ("Rác thải chất đống mấy ngày không ai thu gom, bốc mùi hôi thối", "environment", None),
        ("Đèn đường ở kiệt 12 Nguyễn Trãi không sáng cả tuần nay", "street_lighting", None),
        ("Hát karaoke ầm ĩ đến 1 giờ sáng không ngủ được", "noise", None),
        ("Mất nước máy từ sáng tới chừ chưa có lại", "water_supply", None),
        ("The street lights on Hung Vuong have been out for a week", "street_lighting", None),
        ("Nhà dân đang cháy lớn, có người mắc kẹt bên trong", None, "critical"),
    ],
)
def test_committed_model_on_clear_reports(committed_model, text, category, urgency):
    result = triage.classify(text)

    assert result.model_version == committed_model.version
    if category is not None:
        assert result.category == category
    if urgency is not None:
        assert result.urgency == urgency
    assert sum(result.category_scores.values()) == pytest.approx(1.0, abs=1e-3)
    assert 0.0 <= result.confidence <= 1.0
    assert result.needs_review == (
        result.confidence < DEFAULT_REVIEW_THRESHOLD or result.urgency == "critical"
    )
