"""`manage.py train_triage` passes the operators' corrections to the triage trainer."""

from __future__ import annotations

import io

from django.core.management import call_command

from backend.reports.models import Report, ReportEvent


def test_include_feedback_passes_operator_corrections(monkeypatch, citizen, reference_data):
    # given one report whose triage an operator corrected
    report = Report.objects.create(
        tracking_code="AAAA-BBBB", reporter=citizen, description="Nước ngập tới đầu gối ở kiệt 3",
        latitude=16.46, longitude=107.59,
    )
    ReportEvent.objects.create(
        report=report, kind=ReportEvent.Kind.TRIAGE_OVERRIDE,
        new_value={"category": "drainage_flooding", "urgency": "high"},
    )
    seen = {}

    def fake_main(argv, extra_examples=(), out=print):
        seen["argv"], seen["extra"] = list(argv), list(extra_examples)
        return 0

    from triage.training import cli

    monkeypatch.setattr(cli, "main", fake_main)
    out = io.StringIO()
    # when the command runs with --include-feedback
    call_command("train_triage", "--include-feedback", "--seed", "7", "--no-external", "--quiet", stdout=out)
    # then the trainer gets the corrected example and the flags
    assert seen["argv"] == ["train", "--seed", "7", "--no-external", "--quiet"]
    assert seen["extra"] == [
        {"text": "Nước ngập tới đầu gối ở kiệt 3", "category": "drainage_flooding", "urgency": "high"}
    ]
    assert "feedback: 1 operator-confirmed reports added to training" in out.getvalue()


def test_without_the_flag_no_feedback_is_read(monkeypatch, reference_data):
    from triage.training import cli

    seen = {}
    monkeypatch.setattr(cli, "main", lambda argv, extra_examples=(), out=print: seen.update(extra=list(extra_examples)) or 0)
    call_command("train_triage", "--no-promote", stdout=io.StringIO())
    assert seen["extra"] == []


def test_without_the_train_extra_the_command_says_what_to_install(monkeypatch):
    import sys

    import pytest
    from django.core.management.base import CommandError

    # given an install without matplotlib (the [train] extra)
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    # when the command runs, then it fails at once with what to install
    with pytest.raises(CommandError, match=r"training needs the \[train\] extra \(matplotlib is not installed\)"):
        call_command("train_triage", "--no-promote", stdout=io.StringIO())
