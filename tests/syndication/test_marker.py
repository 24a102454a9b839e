from hypothesis import given
from hypothesis import strategies as st

from bedside.syndication.adapters.marker import carries, marked_url, marker
from bedside.syndication.keys import new_key


def test_a_delivery_key_is_its_own_marker_and_others_are_digested_to_the_same_length():
    key = new_key()
    assert marker(key) == key
    assert len(marker("preview")) == len(key)
    assert marker("preview") != marker("preview2")


def test_the_marker_joins_an_existing_query_and_replaces_an_old_marker():
    url = "https://bedside.example.org/p/riverside/posts/7/?utm_source=x&s=old0000000000"
    key = new_key()
    assert marked_url(url, key) == (
        f"https://bedside.example.org/p/riverside/posts/7/?utm_source=x&s={key}"
    )


@given(st.text(min_size=1, max_size=40), st.text(min_size=1, max_size=40))
def test_a_marked_link_carries_its_own_key_only(key, other):
    url = marked_url("https://bedside.example.org/p/r/posts/1/", key)
    assert carries(url, key)
    assert carries(url, other) == (marker(other) == marker(key))
