"""Syndication in the demo: the editor connects Riverside's Bluesky account by hand.

Issue 8's demo has an editor connect a (local test) Bluesky account, so nothing is seeded:
no channel, no delivery. When ``make demo`` runs the local PDS (``peers/bluesky``), the
server writes its login as JSON (``server.mjs --json-out``); ``connect_note`` turns that into
the lines the demo prints, telling the editor where to type what. Posts published before the
account is connected stay off Bluesky (the reconcile sweep only sends posts published after a
channel connected), so connecting never floods the test server with months of posts.
"""

import json
from collections.abc import Mapping
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from bedside.demo import riverside
from bedside.practices.models import Role


def peer_file() -> Path:
    """Where the demo's local Bluesky server writes its login."""
    return Path(settings.VAR_DIR) / "bluesky" / "peer.json"


def bluesky_peer(path: Path | None = None) -> dict[str, str] | None:
    """The running local PDS's login, or None when the demo runs without one."""
    path = path or peer_file()
    try:
        peer = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    wanted = ("url", "handle", "app_password")
    if not isinstance(peer, dict) or not all(peer.get(key) for key in wanted):
        return None
    return {key: str(peer[key]) for key in (*wanted, "did") if key in peer}


def connect_note(peer: Mapping[str, str] | None, site_url: str) -> str:
    """What ``make demo`` prints about syndication: nothing without a local PDS."""
    if not peer:
        return ""
    page = site_url + reverse("syndication_channels", kwargs={"slug": riverside.SLUG})
    editor = next(login.email for login in riverside.LOGINS if login.role == Role.EDITOR)
    return (
        "Bluesky (a local test server): sign in as "
        f"{editor}, open {page} and connect Bluesky with\n"
        f"  handle {peer['handle']}, app password {peer['app_password']}, "
        f"server {peer['url']}\n"
        "then publish a post (an office-life post goes out at once; announcements wait for\n"
        "an admin's approval): it appears there once, and unpublishing removes it."
    )
