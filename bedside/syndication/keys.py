"""Delivery keys: one per attempt at a remote post, shaped as an AT Protocol TID.

A TID (13 characters of base32-sortable: 53 bits of microseconds and 10 bits of clock id)
is a valid Bluesky record key for posts, so the key doubles as the record's rkey: writing
the same delivery twice then conflicts on the PDS instead of making a second post. Mastodon
gets the same string as its ``Idempotency-Key``.
"""

import hashlib
import re
import secrets
import time

ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"
TID = re.compile(r"^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$")


def encode_tid(value: int) -> str:
    value &= (1 << 63) - 1  # the top bit of a TID is always zero
    chars = []
    for _ in range(13):
        chars.append(ALPHABET[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def new_key() -> str:
    micros = time.time_ns() // 1000
    return encode_tid((micros << 10) | secrets.randbelow(1024))


def record_key(key: str) -> str:
    """The rkey for a delivery key: the key itself when it is a TID, else derived from it."""
    if TID.match(key):
        return key
    digest = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big")
    return encode_tid(digest)
