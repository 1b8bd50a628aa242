"""Hunt: names are one name however they are typed, on every backend."""

from __future__ import annotations

import unicodedata

import pytest
from sklearn.dummy import DummyClassifier

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.store import LabelQueue, Registry, Store

FIT = DummyClassifier().fit([[0], [1]], [0, 1])
NFC = unicodedata.normalize("NFC", "café")
NFD = unicodedata.normalize("NFD", "café")


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request):
    return request.getfixturevalue(f"{'sqlite' if request.param == 'sqlite' else 'pg'}_url")


def test_names_typed_in_two_unicode_forms_are_one_model(url):
    # NFC and NFD "café" look the same and were two models, listed twice
    registry = Registry(Store(url))
    registry.register(NFC, FIT)
    v2 = registry.register(NFD, FIT)
    assert v2.version == 2
    assert registry.names() == [NFC]
    assert [v.version for v in registry.versions(NFD)] == [1, 2]


def test_case_still_makes_two_names(url):
    registry = Registry(Store(url))
    registry.register("Risk", FIT)
    assert registry.register("risk", FIT).version == 1
    assert sorted(registry.names()) == ["Risk", "risk"]


def test_a_worker_typed_in_two_unicode_forms_answers_once(url):
    queue = LabelQueue(Store(url), redundancy=2)
    queue.enqueue(["x"])
    [task] = queue.lease(NFC)
    queue.submit(task, NFD, "cat")  # the same worker
    assert queue.lease(NFD) == []  # has answered: not leased again
    assert [a["worker"] for a in queue.answers()] == [NFC]


def test_queue_names_in_two_unicode_forms_are_one_queue(url):
    store = Store(url)
    LabelQueue(store, NFC).enqueue(["x"])
    assert LabelQueue(store, NFD).counts()["open"] == 1


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda s: Registry(s).register("a\x00b", FIT), r"'name' parameter of register.*NUL"),
        (lambda s: Registry(s).register("a\ud800", FIT), r"'name'.*lone surrogates"),
        (lambda s: Registry(s).champion("a\x00b"), r"'name' parameter of champion.*NUL"),
        (lambda s: Registry(s).register("x" * 201, FIT), r"at most 200.*Got 201 characters"),
        (lambda s: Registry(s).register("   ", FIT), r"'name'.*non-empty string"),
        (lambda s: LabelQueue(s, "q\x00"), r"'name' parameter of LabelQueue.*NUL"),
        (lambda s: LabelQueue(s, " "), r"'name' parameter of LabelQueue.*non-empty"),
        (lambda s: LabelQueue(s).lease("w\x00"), r"'worker' parameter of lease.*NUL"),
    ],
)
def test_names_no_backend_can_store_are_clear_errors(url, call, match):
    # NUL was stored by SQLite but a raw psycopg DataError on PostgreSQL;
    # a lone surrogate was a UnicodeEncodeError from the driver
    with pytest.raises(InvalidParameterError, match=match):
        call(Store(url))


def test_a_name_of_200_characters_round_trips(url):
    name = "é" * 200
    registry = Registry(Store(url))
    registry.register(name, FIT)
    assert registry.names() == [name]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("metrics", {1: 0.5, "1": 0.7}),
        ("tags", {"nested": {True: "a", "True": "b"}}),
    ],
)
def test_keys_that_collide_as_strings_are_refused(tmp_path, field, value):
    # {1: 0.5, "1": 0.7} was stored as {"1": 0.7}: a metric silently lost
    registry = Registry(Store(tmp_path / "s.db"))
    with pytest.raises(InvalidParameterError, match=rf"'{field}' parameter.*two keys written"):
        registry.register("m", FIT, **{field: value})
    assert registry.names() == []


@pytest.mark.parametrize("answered", [False, True])
def test_a_misspelt_resolve_method_is_refused_even_with_nothing_to_resolve(tmp_path, answered):
    # with no task ready, resolve(method="dawid_skeen") returned 0, and failed
    # only later, once a task had its answers
    queue = LabelQueue(Store(tmp_path / "s.db"))
    queue.enqueue(["x"])
    if answered:
        [task] = queue.lease("ann")
        queue.submit(task, "ann", "cat")
    with pytest.raises(InvalidParameterError,
                       match=r"'method' parameter of resolve must be 'majority' or one of "
                             r"\[.*'dawid_skene'.*\]\. Got 'dawid_skeen'"):
        queue.resolve(method="dawid_skeen")
    assert queue.counts()["resolved"] == 0
