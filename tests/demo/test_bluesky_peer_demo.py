"""``make demo`` runs the local Bluesky server with an account that survives restarts."""

import json
import socket

import httpx
import pytest

from bedside.demo import bluesky_peer as demo_peer
from bedside.demo.syndication import peer_file
from tests.peers.bluesky import require_installed


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def stop(process):
    process.terminate()
    assert process.wait(timeout=20) == 0


def app_password_login(peer):
    return httpx.post(
        f"{peer['url']}/xrpc/com.atproto.server.createSession",
        json={"identifier": peer["handle"], "password": peer["app_password"]},
        timeout=10,
    )


def test_the_demo_server_keeps_its_account_and_app_password_across_restarts(settings, tmp_path):
    require_installed()
    settings.VAR_DIR = tmp_path
    port = free_port()

    process, line = demo_peer.start_bluesky_peer({}, port=port)
    assert process is not None, line
    try:
        first = json.loads(peer_file().read_text())
        assert first["url"] == f"http://127.0.0.1:{port}"
        assert first["handle"] == demo_peer.HANDLE
        assert line == (
            f"Bluesky (local test PDS): http://127.0.0.1:{port} handle {demo_peer.HANDLE} "
            f"app password {first['app_password']}"
        )
        assert app_password_login(first).json()["did"] == first["did"]
    finally:
        stop(process)
    assert not peer_file().exists()  # a stopped server announces nothing

    process, _ = demo_peer.start_bluesky_peer({}, port=port)
    assert process is not None
    try:
        again = json.loads(peer_file().read_text())
        assert (again["did"], again["app_password"]) == (first["did"], first["app_password"])
        assert app_password_login(again).status_code == 200
    finally:
        stop(process)


def test_without_the_installed_server_the_demo_says_how_to_get_it(settings, tmp_path, monkeypatch):
    settings.VAR_DIR = tmp_path
    monkeypatch.setattr(demo_peer, "peer_dir", lambda: tmp_path / "nowhere")
    process, line = demo_peer.start_bluesky_peer({})
    assert process is None
    assert "make peers" in line
    assert not peer_file().exists()


@pytest.mark.skipif(not demo_peer.installed(), reason="the local Bluesky peer is not installed")
def test_a_taken_port_leaves_the_demo_running_without_bluesky(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        process, line = demo_peer.start_bluesky_peer({}, port=taken.getsockname()[1])
    assert process is None
    assert "did not start" in line
    assert not peer_file().exists()
