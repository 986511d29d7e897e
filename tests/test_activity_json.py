"""bot.activity_json makes the same Activity msrest makes, for any JSON.

A differential test: generated activities (right types, wrong types, unknown
keys, odd timestamps, nesting) go through both; the objects must be equal
attribute by attribute, or both must fail with the same kind of error.
"""

from __future__ import annotations

from typing import Any

from botbuilder.schema import Activity
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from msrest.serialization import Model

from bot.teams.activity_json import activity_from_json

MODELS: dict[str, type[Model]] = Activity._infer_class_models()

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**40), 2**40)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)
timestamps = st.one_of(
    st.datetimes(timezones=st.timezones()).map(lambda d: d.isoformat()),
    st.sampled_from(
        [
            "2026-11-24T10:00:00Z",
            "2026-11-24T10:00:00.1234567+01:00",
            "2026-11-24T10:00:00.123Z",
            "2026-11-24",
            "",
            "yesterday",
        ]
    ),
)


def value_of(kind: str, depth: int) -> st.SearchStrategy[Any]:
    """A value msrest reads as `kind`, or (sometimes) any JSON at all."""
    if kind == "str":
        right: st.SearchStrategy[Any] = st.text(max_size=12)
    elif kind == "bool":
        right = st.booleans() | st.sampled_from(["true", "False", 1, 0])
    elif kind == "int":
        right = st.integers(-1000, 1000)
    elif kind == "object":
        right = json_values
    elif kind == "iso-8601":
        right = timestamps
    elif kind.startswith("["):
        right = st.lists(value_of(kind[1:-1], depth), max_size=3) if depth < 3 else st.just([])
    elif kind.startswith("{"):
        right = (
            st.dictionaries(st.text(max_size=5), value_of(kind[1:-1], depth), max_size=2)
            if depth < 3
            else st.just({})
        )
    else:
        right = model_json(MODELS[kind], depth + 1) if depth < 3 else st.just({})
    return st.one_of(right, right, right, json_values)


def model_json(model: type[Model], depth: int = 0) -> st.SearchStrategy[dict[str, Any]]:
    fields = {
        desc["key"]: st.deferred(lambda kind=desc["type"]: value_of(kind, depth))
        for desc in model._attribute_map.values()
    }
    return st.builds(
        lambda known, unknown: {**unknown, **known},
        st.fixed_dictionaries({}, optional=fields),
        st.dictionaries(st.text(min_size=1, max_size=6), json_values, max_size=2),
    )


def assert_same(fast: Any, slow: Any, path: str = "activity") -> None:
    assert type(fast) is type(slow), path
    if isinstance(slow, Model):
        for attr in slow._attribute_map:
            assert_same(getattr(fast, attr), getattr(slow, attr), f"{path}.{attr}")
        assert fast.additional_properties == slow.additional_properties, path
    elif isinstance(slow, list):
        assert len(fast) == len(slow), path
        for i, (a, b) in enumerate(zip(fast, slow, strict=True)):
            assert_same(a, b, f"{path}[{i}]")
    elif isinstance(slow, dict):
        assert fast.keys() == slow.keys(), path
        for key in slow:
            assert_same(fast[key], slow[key], f"{path}.{key}")
    else:
        assert fast == slow, path


def check(body: Any) -> None:
    try:
        slow = Activity().deserialize(body)
    except Exception as error:
        try:
            activity_from_json(body)
        except Exception as fast_error:
            assert type(fast_error) is type(error)
            return
        raise AssertionError(f"msrest failed with {error!r}, the fast path did not") from None
    assert_same(activity_from_json(body), slow)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(model_json(Activity))
def test_same_as_msrest_for_generated_activities(body: dict[str, Any]) -> None:
    check(body)


TEAMS_INVOKE = {
    "type": "invoke",
    "name": "adaptiveCard/action",
    "id": "f:1234",
    "timestamp": "2026-11-24T09:15:02.1234567Z",
    "localTimestamp": "2026-11-24T10:15:02.1234567+01:00",
    "serviceUrl": "https://smba.trafficmanager.net/emea/",
    "channelId": "msteams",
    "from": {"id": "29:abc", "name": "Kari Nordmann", "aadObjectId": "1111-2222"},
    "conversation": {
        "isGroup": True,
        "conversationType": "channel",
        "tenantId": "t-1",
        "id": "19:prio@thread.tacv2;messageid=1700000000000",
    },
    "recipient": {"id": "28:bot", "name": "medvirk"},
    "entities": [{"locale": "nb-NO", "country": "NO", "platform": "Web", "type": "clientInfo"}],
    "channelData": {
        "channel": {"id": "19:prio@thread.tacv2"},
        "team": {"id": "19:team@thread.tacv2"},
        "tenant": {"id": "t-1"},
        "source": {"name": "message"},
        "legacy": {"replyToId": "1:abc"},
    },
    "replyToId": "1700000000000",
    "value": {"action": {"type": "Action.Execute", "verb": "claim", "data": {"request_id": 7}}},
    "locale": "nb-NO",
    "localTimezone": "Europe/Oslo",
}

TEAMS_MENTION = {
    "type": "message",
    "text": "<at>medvirk</at> registrer kanal",
    "textFormat": "plain",
    "attachments": [{"contentType": "text/html", "content": "<div>…</div>"}],
    "entities": [
        {
            "type": "mention",
            "mentioned": {"id": "28:bot", "name": "medvirk"},
            "text": "<at>medvirk</at>",
        }
    ],
    "from": {"id": "29:abc", "name": "Anne", "aadObjectId": "a-1", "email": "anne@hf.no"},
    "conversation": {"id": "19:prio@thread.tacv2", "conversationType": "channel"},
    "recipient": {"id": "28:bot", "name": "medvirk"},
    "serviceUrl": "http://127.0.0.1:1/",
    "membersAdded": [{"id": "28:bot"}, None],
    "suggestedActions": {"to": ["29:abc"], "actions": [{"type": "imBack", "value": "ja"}]},
    "semanticAction": {"id": "x", "entities": {"a": {"type": "t", "extra": 1}}, "state": "start"},
}


def test_same_as_msrest_for_teams_activities() -> None:
    for body in (TEAMS_INVOKE, TEAMS_MENTION):
        check(body)
        activity = activity_from_json(body)
        assert activity.serialize() == Activity().deserialize(body).serialize()


def test_wrong_types_get_msrest_results_or_errors() -> None:
    for body in (
        {"type": "message", "from": "not an object"},
        {"type": "message", "timestamp": "yesterday"},
        {"type": "message", "membersAdded": {"id": "x"}},
        {"type": "message", "textHighlights": [{"text": "a", "occurrence": True}]},
        {"type": "message", "historyDisclosed": "true", "locale": 5},
        [],
    ):
        check(body)
