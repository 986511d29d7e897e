"""Incoming activity JSON to a botbuilder `Activity`, fast.

`Activity().deserialize(body)` walks msrest's generic machinery: key
extractors, type tables and a set of known keys per model, rebuilt for every
object. It was a fifth of the CPU of a card action (≈ 0.35 ms of ≈ 3 ms here).

This builds the same objects from the same attribute maps, but with a plan per
model made once. It takes only values whose msrest result is the value itself
(a `str` for "str", a `bool` for "bool", a dict for a model, ...); anything
else (a number where text belongs, "true" as a string, a timestamp msrest
cannot parse) goes to msrest unchanged, so what comes out, or the error
raised, is msrest's own. tests/test_activity_json.py compares the two on many
generated activities.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from botbuilder.schema import Activity
from msrest.exceptions import DeserializationError
from msrest.serialization import Deserializer, Model

_MODELS: dict[str, type[Model]] = Activity._infer_class_models()
_BASIC = {"str": str, "bool": bool, "int": int}


class _Unsure(Exception):
    """This value is not one the fast path takes as it is; msrest decides."""


@cache
def _plan(model: type[Model]) -> tuple[tuple[tuple[str, str, str], ...], frozenset[str]]:
    """(attribute, JSON key, type) per field, and the JSON keys the model knows."""
    if getattr(model, "_validation", None) or getattr(model, "_subtype_map", None):
        raise _Unsure(model.__name__)  # read-only, constant or polymorphic fields
    fields = []
    for attr, desc in model._attribute_map.items():
        key = desc["key"]
        if not key or "." in key or "\\" in key:
            raise _Unsure(model.__name__)  # flattened or "additional properties" fields
        fields.append((attr, key, desc["type"]))
    return tuple(fields), frozenset(key for _, key, _ in fields)


def _value(kind: str, value: Any) -> Any:
    if value is None:
        return None
    basic = _BASIC.get(kind)
    if basic is not None:
        if type(value) is not basic:
            raise _Unsure(kind)
        return value
    if kind == "object":
        return value  # JSON values: msrest's copy of them is equal to them
    if kind == "iso-8601":
        if not isinstance(value, str):
            raise _Unsure(kind)
        return Deserializer.deserialize_iso(value)
    if kind.startswith("[") and kind.endswith("]"):
        if type(value) is not list:
            raise _Unsure(kind)
        inner = kind[1:-1]
        return [_value(inner, item) for item in value]
    if kind.startswith("{") and kind.endswith("}"):
        if type(value) is not dict:
            raise _Unsure(kind)
        inner = kind[1:-1]
        return {key: _value(inner, item) for key, item in value.items()}
    model = _MODELS.get(kind)
    if model is None or type(value) is not dict:
        raise _Unsure(kind)
    return _model(model, value)


def _model(model: type[Model], data: dict[str, Any]) -> Model:
    fields, known = _plan(model)  # type: ignore[arg-type]  # classes hash by identity
    made = model(**{attr: _value(kind, data.get(key)) for attr, key, kind in fields})
    extra = {key: data[key] for key in data.keys() - known}
    if extra:
        made.additional_properties = extra
    return made


def activity_from_json(body: dict[str, Any]) -> Activity:
    """The Activity msrest would make of `body` (raises as msrest does)."""
    try:
        if type(body) is not dict:
            raise _Unsure("activity")
        return _model(Activity, body)
    except (_Unsure, DeserializationError, ValueError, TypeError):
        return Activity().deserialize(body)
