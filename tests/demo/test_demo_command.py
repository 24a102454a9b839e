import signal
import subprocess
import sys

import pytest

from bedside.demo.management.commands.demo import Command, _supervise


@pytest.fixture
def restore_signal_handlers():
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)


def child(code: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", code])


@pytest.mark.usefixtures("restore_signal_handlers")
def test_demo_stops_everything_and_exits_with_the_code_of_the_child_that_died():
    server = child("import time; time.sleep(60)")
    worker = child("raise SystemExit(3)")

    code = _supervise([server, worker])

    assert code == 3
    assert server.poll() is not None


def test_children_are_told_the_demo_address_unless_one_is_set(monkeypatch):
    monkeypatch.delenv("SITE_URL", raising=False)
    env = Command()._child_environment("http://127.0.0.1:8123", "127.0.0.1")
    assert env["SITE_URL"] == "http://127.0.0.1:8123"

    monkeypatch.setenv("SITE_URL", "https://clinic.example")
    env = Command()._child_environment("http://127.0.0.1:8123", "127.0.0.1")
    assert env["SITE_URL"] == "https://clinic.example"


def test_a_host_outside_the_defaults_is_allowed_for_the_children(monkeypatch):
    monkeypatch.delenv("ALLOWED_HOSTS", raising=False)
    env = Command()._child_environment("http://10.0.0.5:8000", "10.0.0.5")
    assert "10.0.0.5" in env["ALLOWED_HOSTS"].split(",")
