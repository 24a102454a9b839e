from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from bedside.core.cursor import Cursor


@given(
    at=st.datetimes(
        min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
    ),
    pk=st.integers(min_value=0, max_value=2**62),
)
def test_a_cursor_survives_encoding(at, pk):
    assert Cursor.decode(Cursor(at=at, pk=pk).encode()) == Cursor(at=at, pk=pk)


@given(st.text(max_size=300))
def test_any_garbage_token_decodes_to_no_cursor_or_a_valid_one(token):
    cursor = Cursor.decode(token)
    assert cursor is None or (cursor.at.tzinfo is not None and cursor.pk >= 0)


def test_a_naive_timestamp_is_refused():
    import base64

    token = base64.urlsafe_b64encode(b"2024-01-01T00:00:00|5").decode()
    assert Cursor.decode(token) is None
