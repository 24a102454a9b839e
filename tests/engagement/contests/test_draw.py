"""The draw algorithm: deterministic, uniform, and any change to its inputs is caught."""

import hashlib
import hmac
import secrets
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bedside.engagement.contests import draw

seeds = st.binary(min_size=32, max_size=32)
entry_ids = st.lists(
    st.text(alphabet="0123456789abcdef", min_size=16, max_size=16), min_size=1, max_size=40,
    unique=True,
)  # fmt: skip


def published(seed: bytes, ids: list[str], winners: int = 2, alternates: int = 2):
    outcome = draw.run(seed, ids, winners=winners, alternates=alternates)
    return draw.PublishedDraw(
        seed_hex=seed.hex(),
        commitment=draw.commitment(seed),
        entry_ids=draw.canonical(ids),
        entry_list_sha256=draw.list_digest(ids),
        winners_count=winners,
        alternates_count=alternates,
        winners=outcome.winners,
        alternates=outcome.alternates,
    )


@given(seed=seeds, ids=entry_ids, count=st.integers(min_value=0, max_value=50))
def test_the_same_seed_and_list_always_give_the_same_picks(seed, ids, count):
    assert draw.pick(seed, ids, count) == draw.pick(seed, list(reversed(ids)), count)


@given(seed=seeds, ids=entry_ids, count=st.integers(min_value=0, max_value=50))
def test_picks_are_distinct_entries_from_the_list(seed, ids, count):
    picks = draw.pick(seed, ids, count)
    assert len(picks) == min(count, len(ids))
    assert len(set(picks)) == len(picks)
    assert set(picks) <= set(ids)


@given(seed=seeds, ids=entry_ids)
def test_an_honest_draw_verifies(seed, ids):
    verdict = draw.verify(published(seed, ids))
    assert verdict.ok, verdict.problems


@given(seed=seeds, ids=entry_ids, bit=st.integers(min_value=0, max_value=255))
def test_any_change_to_the_seed_is_detected(seed, ids, bit):
    tampered = bytearray(seed)
    tampered[bit // 8] ^= 1 << (bit % 8)
    honest = published(seed, ids)
    verdict = draw.verify(
        draw.PublishedDraw(**{**honest.__dict__, "seed_hex": bytes(tampered).hex()})
    )
    assert not verdict.ok
    assert "commitment" in verdict.problems[0]


@given(seed=seeds, ids=entry_ids, data=st.data())
def test_any_change_to_the_entry_list_is_detected(seed, ids, data):
    honest = published(seed, ids)
    change = data.draw(st.sampled_from(["add", "remove", "replace"]))
    changed = list(honest.entry_ids)
    if change == "add" or len(changed) == 1:
        extra = data.draw(
            st.text(alphabet="0123456789abcdef", min_size=16, max_size=16).filter(
                lambda x: x not in changed
            )
        )
        changed.append(extra)
    elif change == "remove":
        changed.pop(data.draw(st.integers(min_value=0, max_value=len(changed) - 1)))
    else:
        index = data.draw(st.integers(min_value=0, max_value=len(changed) - 1))
        changed[index] = data.draw(
            st.text(alphabet="0123456789abcdef", min_size=16, max_size=16).filter(
                lambda x: x not in honest.entry_ids
            )
        )
    verdict = draw.verify(draw.PublishedDraw(**{**honest.__dict__, "entry_ids": changed}))
    assert not verdict.ok
    assert any("digest" in problem for problem in verdict.problems)


def test_swapping_a_losing_entry_moves_the_winners_even_with_a_matching_digest():
    """Someone who replaces an entry that did not win, and republishes the digest to match,
    still cannot keep the published winners: the digest keys every HMAC block, so the
    picks move. (Without the digest in the HMAC, the winners would stay the same.)"""
    ids = [f"{n * 256:016x}" for n in range(1, 41)]
    moved = 0
    for _ in range(200):
        seed = secrets.token_bytes(32)
        winners = draw.pick(seed, ids, 3)
        loser = next(entry for entry in ids if entry not in winners)
        # The replacement sorts into the loser's place, so no position shifts.
        changed = [entry if entry != loser else loser[:-1] + "f" for entry in ids]
        assert draw.canonical(changed).index(loser[:-1] + "f") == ids.index(loser)
        moved += draw.pick(seed, changed, 3) != winners
    assert moved >= 190


def test_the_draw_is_uniform_over_many_seeds_by_a_chi_square_test():
    """10,000 one-winner draws among 10 entries: every entry wins about 1,000 times.
    Chi-square with 9 degrees of freedom: 27.88 is the 0.1% critical value."""
    ids = [f"{n:016x}" for n in range(10)]
    rounds = 10_000
    counts = Counter(draw.pick(secrets.token_bytes(32), ids, 1)[0] for _ in range(rounds))
    expected = rounds / len(ids)
    chi_square = sum((counts[entry] - expected) ** 2 / expected for entry in ids)
    assert chi_square < 27.88, counts


def test_every_position_of_a_pick_without_replacement_is_uniform_too():
    """Second picks are as fair as first ones: 6,000 draws of 2 among 4 entries give each
    ordered pair (12 of them) about 500 times. 11 degrees of freedom, 0.1%: 31.26."""
    ids = [f"{n:016x}" for n in range(4)]
    rounds = 6000
    counts = Counter(tuple(draw.pick(secrets.token_bytes(32), ids, 2)) for _ in range(rounds))
    assert len(counts) == 12
    expected = rounds / 12
    chi_square = sum((seen - expected) ** 2 / expected for seen in counts.values())
    assert chi_square < 31.26, counts


def test_the_algorithm_is_the_documented_one():
    """An independent restatement of step 3 for one winner among three entries."""
    seed = bytes(range(32))
    ids = ["00000000000000aa", "00000000000000bb", "00000000000000cc"]
    digest = hashlib.sha256("\n".join(sorted(ids)).encode()).digest()
    space = 2**256
    counter = 0
    while True:
        block = hmac.new(seed, digest + counter.to_bytes(8, "big"), hashlib.sha256).digest()
        r = int.from_bytes(block, "big")
        counter += 1
        if r < space - space % 3:
            break
    assert draw.pick(seed, ids, 1) == [sorted(ids)[r % 3]]
    assert draw.commitment(seed) == hashlib.sha256(seed).hexdigest()


def test_rejection_sampling_skips_blocks_that_would_bias_the_pick(monkeypatch):
    blocks = iter([2**256 - 1, 7])  # the first is in the biased tail for n = 3
    monkeypatch.setattr(draw, "_block", lambda seed, digest, counter: next(blocks))
    ids = ["00000000000000aa", "00000000000000bb", "00000000000000cc"]
    assert draw.pick(bytes(32), ids, 1) == [ids[7 % 3]]


def test_a_seed_of_the_wrong_size_or_a_duplicate_entry_is_refused():
    with pytest.raises(ValueError):
        draw.pick(b"short", ["00000000000000aa"], 1)
    with pytest.raises(ValueError):
        draw.pick(bytes(32), ["00000000000000aa", "00000000000000aa"], 1)


def test_verify_explains_malformed_data():
    honest = published(bytes(32), ["00000000000000aa", "00000000000000bb"])
    not_hex = draw.verify(draw.PublishedDraw(**{**honest.__dict__, "seed_hex": "zz"}))
    assert not_hex.problems == ["The seed is not hexadecimal."]
    bad_id = draw.verify(
        draw.PublishedDraw(**{**honest.__dict__, "entry_ids": ["<script>", "00000000000000bb"]})
    )
    assert "Not an entry id" in bad_id.problems[-1]


def test_json_round_trip_and_refusals():
    honest = published(bytes(32), ["00000000000000aa", "00000000000000bb"])
    assert draw.from_json(draw.to_json(honest)) == honest
    with pytest.raises(ValueError, match="algorithm"):
        draw.from_json({**draw.to_json(honest), "algorithm": "other"})
    with pytest.raises(ValueError, match="winners_count"):
        draw.from_json({**draw.to_json(honest), "winners_count": "1"})
    with pytest.raises(ValueError):
        draw.from_json([])
