"""The local Bluesky peer is a real PDS: sessions, records and deletes over plain XRPC."""

import uuid
from datetime import UTC, datetime

import httpx
import pytest

from tests.peers import bluesky
from tests.peers.bluesky import LocalPDS, installed


def xrpc_post(client, pds, method, body, token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.post(f"{pds['url']}/xrpc/{method}", json=body, headers=headers)


def post_uris(client, pds):
    response = client.get(
        f"{pds['url']}/xrpc/com.atproto.repo.listRecords",
        params={"repo": pds["did"], "collection": "app.bsky.feed.post", "limit": 100},
    )
    response.raise_for_status()
    return {record["uri"]: record["value"]["text"] for record in response.json()["records"]}


def test_an_app_password_session_creates_lists_and_deletes_a_post(bluesky_pds):
    with httpx.Client(timeout=10) as client:
        login = xrpc_post(
            client,
            bluesky_pds,
            "com.atproto.server.createSession",
            {"identifier": bluesky_pds["handle"], "password": bluesky_pds["app_password"]},
        )
        assert login.status_code == 200, login.text
        session = login.json()
        assert session["did"] == bluesky_pds["did"]
        assert session["handle"] == bluesky_pds["handle"]
        token = session["accessJwt"]

        before = post_uris(client, bluesky_pds)
        text = f"Flu shots this week {uuid.uuid4()}"
        created = xrpc_post(
            client,
            bluesky_pds,
            "com.atproto.repo.createRecord",
            {
                "repo": bluesky_pds["did"],
                "collection": "app.bsky.feed.post",
                "record": {
                    "$type": "app.bsky.feed.post",
                    "text": text,
                    "createdAt": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
                },
            },
            token,
        )
        assert created.status_code == 200, created.text
        uri = created.json()["uri"]
        assert uri.startswith(f"at://{bluesky_pds['did']}/app.bsky.feed.post/")

        after = post_uris(client, bluesky_pds)
        assert set(after) - set(before) == {uri}
        assert after[uri] == text

        rkey = uri.rsplit("/", 1)[1]
        deleted = xrpc_post(
            client,
            bluesky_pds,
            "com.atproto.repo.deleteRecord",
            {"repo": bluesky_pds["did"], "collection": "app.bsky.feed.post", "rkey": rkey},
            token,
        )
        assert deleted.status_code == 200, deleted.text
        assert uri not in post_uris(client, bluesky_pds)
        gone = client.get(
            f"{bluesky_pds['url']}/xrpc/com.atproto.repo.getRecord",
            params={"repo": bluesky_pds["did"], "collection": "app.bsky.feed.post", "rkey": rkey},
        )
        assert gone.status_code == 400
        assert gone.json()["error"] == "RecordNotFound"


def test_a_wrong_app_password_is_refused(bluesky_pds):
    with httpx.Client(timeout=10) as client:
        login = xrpc_post(
            client,
            bluesky_pds,
            "com.atproto.server.createSession",
            {"identifier": bluesky_pds["handle"], "password": "aaaa-bbbb-cccc-dddd"},
        )
    assert login.status_code == 401
    assert login.json()["error"] == "AuthenticationRequired"


def test_the_handle_resolves_to_the_did_through_the_local_plc_directory(bluesky_pds):
    with httpx.Client(timeout=10) as client:
        resolved = client.get(
            f"{bluesky_pds['url']}/xrpc/com.atproto.identity.resolveHandle",
            params={"handle": bluesky_pds["handle"]},
        )
        assert resolved.json() == {"did": bluesky_pds["did"]}
        described = client.get(
            f"{bluesky_pds['url']}/xrpc/com.atproto.repo.describeRepo",
            params={"repo": bluesky_pds["did"]},
        ).json()
    assert described["handle"] == bluesky_pds["handle"]
    assert described["handleIsCorrect"] is True
    assert described["didDoc"]["id"] == bluesky_pds["did"]


@pytest.mark.skipif(not installed(), reason="the local Bluesky peer is not installed")
def test_a_stopped_server_leaves_no_process_and_frees_its_port():
    pds = LocalPDS()
    info = pds.start()
    process = pds.process
    assert process is not None
    pds.stop()
    assert process.returncode == 0
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{info['url']}/xrpc/_health", timeout=2)


def test_without_the_peer_a_developer_skips_but_ci_fails(monkeypatch, tmp_path):
    monkeypatch.setattr(bluesky, "INSTALLED_STAMP", tmp_path / "missing")
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="make peers"):
        bluesky.require_installed()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI must run"):
        bluesky.require_installed()
