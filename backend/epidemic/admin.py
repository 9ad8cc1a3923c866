"""Epidemic mode in the admin: an admin adds a period for a named disease (epidemic mode on) and ends
it with the action; both go through the services, so there is never more than one period on."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from backend.core.exceptions import DomainError
from backend.core.messages import MESSAGES
from backend.epidemic import selectors, services
from backend.epidemic.models import EpidemicMode


class StartForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = EpidemicMode
        fields = ["disease_vi", "disease_en"]

    def clean(self) -> dict[str, Any] | None:
        current = selectors.current_mode()
        if current is not None:
            raise forms.ValidationError(MESSAGES["epidemic_mode_on"].render(disease=current.disease_vi))
        return super().clean()


@admin.register(EpidemicMode)
class EpidemicModeAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = StartForm
    list_display = ["disease_vi", "disease_en", "active", "started_at", "started_by", "ended_at", "ended_by"]
    actions = ["end_epidemic_mode"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a period's disease and dates are its history

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: EpidemicMode, form: Any, change: bool) -> None:
        started = services.epidemic_mode_start(
            actor=request.user, disease_vi=obj.disease_vi, disease_en=obj.disease_en,  # type: ignore[arg-type]
        )
        obj.pk, obj.started_at, obj.started_by = started.pk, started.started_at, started.started_by

    @admin.action(description="Tắt chế độ dịch bệnh / End epidemic mode")
    def end_epidemic_mode(self, request: HttpRequest, queryset: QuerySet[EpidemicMode]) -> None:
        try:
            ended = services.epidemic_mode_end(actor=request.user)  # type: ignore[arg-type]
        except DomainError as refused:
            messages.error(request, MESSAGES[refused.code].render(**refused.params))
            return
        messages.success(request, f"{ended.disease_vi}: đã tắt / ended")
