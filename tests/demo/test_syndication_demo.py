"""The demo's syndication note: the editor's way to connect the local Bluesky server."""

import json

from bedside.demo.syndication import bluesky_peer, connect_note


def test_no_local_server_means_no_note(tmp_path):
    assert bluesky_peer(tmp_path / "missing.json") is None
    (tmp_path / "half.json").write_text('{"url": "http://127.0.0.1:2583"}')
    assert bluesky_peer(tmp_path / "half.json") is None
    assert connect_note(None, "http://127.0.0.1:8000") == ""


def test_the_note_tells_the_editor_where_to_connect(tmp_path):
    path = tmp_path / "peer.json"
    path.write_text(
        json.dumps(
            {
                "url": "http://127.0.0.1:2583",
                "did": "did:plc:abc",
                "handle": "riverside.test",
                "password": "the-account-password",
                "app_password": "aaaa-bbbb-cccc-dddd",
            }
        )
    )
    peer = bluesky_peer(path)
    assert peer is not None and "password" not in peer
    note = connect_note(peer, "http://127.0.0.1:8000")
    assert "editor@riverside.example" in note
    assert "http://127.0.0.1:8000/p/riverside/studio/channels/" in note
    assert "aaaa-bbbb-cccc-dddd" in note and "http://127.0.0.1:2583" in note
    assert "the-account-password" not in note
