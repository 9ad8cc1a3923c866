"""DRF output serializers without DRF's per-instance field copies, same answers.

Every DRF serializer instance deep-copies all its declared fields the first time it reads them
(`Serializer.fields`), and a report output has about 30: building one report's three audience
payloads cost more than the rest of a submission (docs/performance.md, section 3). A
`CompiledSerializer` binds its fields once per class and afterwards runs exactly DRF's
`to_representation` loop over them: the declared fields stay the one definition of the keys, their
types and the OpenAPI schema, and method fields run the serializer's own `get_<name>` on the instance
(so they still see its context).

`to_representation(instance, memo)` may share values between outputs of the same object built with
the same context (the event payloads of the three audiences): a field declared once and inherited, or
a method not overridden, is computed once. tests/reports/test_compiled_outputs.py checks the answers
against DRF's own loop.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rest_framework import serializers
from rest_framework.fields import Field, SkipField
from rest_framework.relations import PKOnlyObject
from rest_framework.utils.serializer_helpers import BindingDict

# One step of the plan: (key, bound field or None, method function or None, memo key).
Step = tuple[str, Field | None, Callable[..., Any] | None, Any]


class CompiledSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """Output-only Serializer whose fields are bound once per class (see the module docstring)."""

    @classmethod
    def _plan(cls) -> list[Step]:
        plan: list[Step] | None = cls.__dict__.get("_compiled_plan")
        if plan is None:
            prototype = cls()
            declared = cls._declared_fields  # type: ignore[attr-defined]
            plan = []
            for name, field in prototype.fields.items():
                if field.write_only:
                    continue
                if isinstance(field, serializers.SerializerMethodField):
                    function = getattr(cls, field.method_name)
                    # A method inherited unchanged is the same function in every subclass.
                    plan.append((name, None, function, (function, getattr(cls, "photo_audience", None))))
                else:
                    # Subclasses share the declared field object itself (DRF's metaclass does not copy).
                    plan.append((name, field, None, declared.get(name, field)))
            cls._compiled_plan = plan  # type: ignore[attr-defined]
        return plan

    def to_representation(self, instance: Any, memo: dict[Any, Any] | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, field, function, key in self._plan():
            if memo is not None and key in memo:
                out[name] = memo[key]
                continue
            if function is not None:
                value = function(self, instance)
            else:
                assert field is not None
                try:
                    attribute = field.get_attribute(instance)
                except SkipField:
                    continue
                check_for_none = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
                value = None if check_for_none is None else field.to_representation(attribute)
            if memo is not None:
                memo[key] = value
            out[name] = value
        return out


class CompiledInput(serializers.Serializer):  # type: ignore[type-arg]
    """Input Serializer whose fields are bound once per class, to a prototype instance of it.

    DRF's validation loop runs unchanged (`to_internal_value`, the `validate_<name>` methods and
    `validate` on the request's own instance, the same errors), but over fields bound once instead of
    a deep copy of every declared field per request. Shared fields are safe here because validating
    a value changes nothing in a field; what a field reads through its parent during validation is
    the prototype's `partial` (False: never use this for partial updates) and its context (empty: a
    field that needs the request's context must not be declared on a CompiledInput).
    tests/reports/test_compiled_input.py compares its answers, valid and invalid, with DRF's.
    """

    @property
    def fields(self) -> BindingDict:  # type: ignore[override]
        cls = type(self)
        bound: BindingDict | None = cls.__dict__.get("_compiled_input_fields")
        if bound is None:
            prototype = cls()
            bound = BindingDict(prototype)
            for name, field in prototype.get_fields().items():
                bound[name] = field
            cls._compiled_input_fields = bound  # type: ignore[attr-defined]
        return bound
