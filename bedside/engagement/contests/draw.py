"""The verifiable draw, in pure Python: anyone can rerun it from the published data.

The algorithm (version ``bedside-draw-v1``), as the verification page states it:

1. When the contest is created, before anyone can enter, the server draws a secret
   **seed** of 32 random bytes (``secrets.token_bytes(32)``) and publishes its
   **commitment** ``SHA-256(seed)`` in hexadecimal on the official rules page.
2. When entries close, the **entry list** is published: every entry's pseudonymous id
   (16 lowercase hexadecimal characters), sorted in ascending order. Its **digest** is
   ``SHA-256`` of the ids joined by a newline (``"\\n"``), encoded as ASCII.
3. At the draw the seed is revealed. For ``counter = 0, 1, 2, …`` the draw computes
   ``block = HMAC-SHA256(key=seed, message=digest_bytes || counter as 8 bytes big-endian)``
   and reads ``block`` as a 256-bit big-endian integer ``r``. With ``n`` ids still in the
   list, ``r`` is rejected when ``r >= 2**256 - (2**256 mod n)`` (so every index is exactly
   equally likely: no modulo bias); otherwise the id at index ``r mod n`` of the remaining
   list is picked and removed from it (without replacement). Picks go on until the winners
   and then the alternates are chosen, or the list is empty.
4. The first ``winners`` picks win; the next ``alternates`` picks are the alternates, in
   order.

Changing the seed breaks the commitment; changing the entry list changes its digest and
so every HMAC block, so the recomputed picks no longer match the published ones.
"""

import hashlib
import hmac
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field

ALGORITHM = "bedside-draw-v1"
SEED_BYTES = 32
ENTRY_ID_PATTERN = re.compile(r"^[0-9a-f]{16}$")
_SPACE = 2**256


def new_seed() -> bytes:
    return secrets.token_bytes(SEED_BYTES)


def new_entry_id() -> str:
    """A pseudonymous entry id: 64 random bits in hexadecimal, telling nothing of who."""
    return secrets.token_hex(8)


def commitment(seed: bytes) -> str:
    return hashlib.sha256(seed).hexdigest()


def canonical(entry_ids: Sequence[str]) -> list[str]:
    """The entry list as it is published: sorted, so its order tells nothing either."""
    return sorted(entry_ids)


def list_digest(entry_ids: Sequence[str]) -> str:
    return hashlib.sha256("\n".join(canonical(entry_ids)).encode("ascii")).hexdigest()


def _block(seed: bytes, digest: bytes, counter: int) -> int:
    mac = hmac.new(seed, digest + counter.to_bytes(8, "big"), hashlib.sha256).digest()
    return int.from_bytes(mac, "big")


def pick(seed: bytes, entry_ids: Sequence[str], count: int) -> list[str]:
    """``count`` ids (or all of them, if fewer) chosen from ``entry_ids`` as step 3 says."""
    if len(seed) != SEED_BYTES:
        raise ValueError(f"the seed must be {SEED_BYTES} bytes")
    remaining = canonical(entry_ids)
    if len(set(remaining)) != len(remaining):
        raise ValueError("the entry list has an id twice")
    digest = bytes.fromhex(list_digest(remaining))
    picked: list[str] = []
    counter = 0
    while remaining and len(picked) < count:
        n = len(remaining)
        r = _block(seed, digest, counter)
        counter += 1
        if r >= _SPACE - (_SPACE % n):
            continue  # rejected: keeps every index equally likely
        picked.append(remaining.pop(r % n))
    return picked


@dataclass(frozen=True)
class Outcome:
    winners: list[str]
    alternates: list[str]


def run(seed: bytes, entry_ids: Sequence[str], *, winners: int, alternates: int) -> Outcome:
    picks = pick(seed, entry_ids, winners + alternates)
    return Outcome(winners=picks[:winners], alternates=picks[winners:])


@dataclass(frozen=True)
class PublishedDraw:
    """Everything a contest publishes about its draw, as text (hex) so it can be pasted."""

    seed_hex: str
    commitment: str
    entry_ids: list[str]
    entry_list_sha256: str
    winners_count: int
    alternates_count: int
    winners: list[str]
    alternates: list[str]


def to_json(published: PublishedDraw) -> dict[str, object]:
    """The draw as a JSON document (the ``draw.json`` download); ``from_json`` reads it."""
    return {
        "algorithm": ALGORITHM,
        "seed": published.seed_hex,
        "commitment": published.commitment,
        "entry_list_sha256": published.entry_list_sha256,
        "entry_ids": published.entry_ids,
        "winners_count": published.winners_count,
        "alternates_count": published.alternates_count,
        "winners": published.winners,
        "alternates": published.alternates,
    }


def from_json(data: object) -> PublishedDraw:
    """Read a ``draw.json`` document; ``ValueError`` says what is missing or malformed."""
    if not isinstance(data, dict):
        raise ValueError("a draw is a JSON object")
    if data.get("algorithm") != ALGORITHM:
        raise ValueError(f"this verifier knows the algorithm {ALGORITHM!r} only")

    def text(name: str) -> str:
        value = data.get(name)
        if not isinstance(value, str):
            raise ValueError(f"{name!r} must be a string")
        return value

    def number(name: str) -> int:
        value = data.get(name)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ValueError(f"{name!r} must be a whole number")
        return value

    def ids(name: str) -> list[str]:
        value = data.get(name)
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise ValueError(f"{name!r} must be a list of entry ids")
        return list(value)

    return PublishedDraw(
        seed_hex=text("seed"),
        commitment=text("commitment"),
        entry_ids=ids("entry_ids"),
        entry_list_sha256=text("entry_list_sha256"),
        winners_count=number("winners_count"),
        alternates_count=number("alternates_count"),
        winners=ids("winners"),
        alternates=ids("alternates"),
    )


@dataclass(frozen=True)
class Verdict:
    problems: list[str] = field(default_factory=list)
    recomputed: Outcome | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(published: PublishedDraw) -> Verdict:
    """Recompute the draw from the published data and say what, if anything, disagrees."""
    problems: list[str] = []
    try:
        seed = bytes.fromhex(published.seed_hex.strip())
    except ValueError:
        return Verdict(problems=["The seed is not hexadecimal."])
    if len(seed) != SEED_BYTES:
        return Verdict(problems=[f"The seed must be {SEED_BYTES} bytes (64 hex characters)."])
    if commitment(seed) != published.commitment.strip().lower():
        problems.append(
            "The seed does not match the commitment published when the contest opened: "
            "SHA-256 of this seed is " + commitment(seed) + "."
        )
    ids = [entry.strip().lower() for entry in published.entry_ids if entry.strip()]
    bad = [entry for entry in ids if not ENTRY_ID_PATTERN.match(entry)]
    if bad:
        return Verdict(problems=[*problems, f"Not an entry id: {bad[0][:40]!r}."])
    if len(set(ids)) != len(ids):
        return Verdict(problems=[*problems, "The entry list has an id twice."])
    digest = list_digest(ids)
    if published.entry_list_sha256 and digest != published.entry_list_sha256.strip().lower():
        problems.append(
            "The entry list does not match the digest published when entries closed: "
            "SHA-256 of this list is " + digest + "."
        )
    outcome = run(seed, ids, winners=published.winners_count, alternates=published.alternates_count)
    if outcome.winners != published.winners:
        problems.append(
            "The winners recomputed from this seed and list are "
            + (", ".join(outcome.winners) or "nobody")
            + ", not the published ones."
        )
    if outcome.alternates != published.alternates:
        problems.append(
            "The alternates recomputed from this seed and list are "
            + (", ".join(outcome.alternates) or "nobody")
            + ", not the published ones."
        )
    return Verdict(problems=problems, recomputed=outcome)
