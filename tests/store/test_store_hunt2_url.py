"""Database URLs whose passwords hold odd characters, or sit in odd places."""

from __future__ import annotations

import pytest

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.store import Store
from mllifecycle.store import _db as db
from mllifecycle.store._errors import StoreError


@pytest.mark.parametrize(
    ("url", "masked"),
    [
        # an empty user name (libpq then takes the OS user): shown in full
        ("postgresql+psycopg://:s3cret@h/d", "postgresql+psycopg://:***@h/d"),
        # libpq reads a password from the query too: shown in full
        ("postgresql+psycopg://u@h/d?password=s3cret", "postgresql+psycopg://u@h/d?password=***"),
        (
            "postgresql+psycopg://u@h/d?sslmode=require&sslpassword=s3cret&x=1",
            "postgresql+psycopg://u@h/d?sslmode=require&sslpassword=***&x=1",
        ),
        # an unescaped "@": its tail was shown ("u:***@ss@h/d")
        ("postgresql+psycopg://u:s3@cret@h/d", "postgresql+psycopg://u:***@h/d"),
        # unchanged: escaped, with "/", "?", "#" or ":" inside, no password, "@" in the query
        ("postgresql+psycopg://u:s3%40cret@h:5432/d", "postgresql+psycopg://u:***@h:5432/d"),
        ("postgresql+psycopg://u:s3/c?r#e:t@h/d", "postgresql+psycopg://u:***@h/d"),
        ("postgresql+psycopg://u@h/d?application_name=a@b", None),
        ("postgresql+psycopg://u:pw@h/d?application_name=a@b",
         "postgresql+psycopg://u:***@h/d?application_name=a@b"),
        ("postgresql+psycopg://h/d", None),
    ],
)
def test_passwords_are_masked_wherever_the_url_holds_them(url, masked):
    shown = db._safe_url(url)
    assert shown == (url if masked is None else masked)
    assert "s3" not in shown
    assert "cret" not in shown


def test_an_unescaped_at_sign_in_the_password_is_a_clear_error_without_the_password():
    # it was read as the host "cret@h", and the driver's "failed to resolve
    # host 'cret@h'" showed the password's tail
    with pytest.raises(InvalidParameterError, match=r"url.*%40") as info:
        Store("postgresql+psycopg://u:s3@cret@h/d")
    assert "s3" not in str(info.value)
    assert "cret" not in str(info.value)


def test_a_query_password_is_masked_in_repr(pg_url):
    store = Store(pg_url + "&password=s3cret")
    assert store.dialect == "postgresql"
    assert "s3cret" not in repr(store)
    assert "s3cret" not in store.url


def test_an_empty_user_name_password_is_masked_in_the_error():
    pytest.importorskip("sqlalchemy")
    pytest.importorskip("psycopg")
    # nothing listens on port 9 of this host: the connection fails at once
    with pytest.raises(StoreError, match="cannot open the store") as info:
        Store("postgresql+psycopg://:s3cret@127.0.0.1:9/d?connect_timeout=2")
    assert "s3cret" not in str(info.value)
