"""A push service on loopback for tests: records each push, decrypts it, answers as told.

It plays the part of FCM or Mozilla's autopush: every browser it knows has an endpoint
``/push/<name>``, a receiving key pair and an auth secret, as a real browser would have.
The server decrypts each RFC 8291 body with the browser's private key, so a test sees
exactly what the browser would show, and answers with the status the test chose.
"""

import base64
import json
import os
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import http_ece
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@dataclass
class Browser:
    name: str
    endpoint: str
    private_key: ec.EllipticCurvePrivateKey
    auth_secret: bytes
    answers: deque[tuple[int, dict[str, str]]] = field(default_factory=deque)

    @property
    def p256dh(self) -> str:
        point = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return b64url(point)

    @property
    def auth(self) -> str:
        return b64url(self.auth_secret)

    def answer(self, status: int, times: int = 1, **headers: str) -> None:
        """Answer the next ``times`` pushes with ``status`` (then 201 again)."""
        self.answers.extend([(status, headers)] * times)


@dataclass
class Received:
    browser: str
    headers: dict[str, str]
    body: bytes
    status: int

    def message(self, browser: Browser) -> dict[str, Any]:
        plain = http_ece.decrypt(
            self.body,
            private_key=browser.private_key,
            auth_secret=browser.auth_secret,
            version="aes128gcm",
        )
        return json.loads(plain)


class PushService:
    def __init__(self) -> None:
        self.browsers: dict[str, Browser] = {}
        self.received: list[Received] = []
        self._lock = threading.Lock()
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                name = self.path.rsplit("/", 1)[-1]
                status, headers = service._answer_for(name)
                with service._lock:
                    service.received.append(
                        Received(
                            name, {k.lower(): v for k, v in self.headers.items()}, body, status
                        )
                    )
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key.replace("_", "-"), value)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "PushService":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def browser(self, name: str) -> Browser:
        browser = Browser(
            name=name,
            endpoint=f"{self.base_url}/push/{name}",
            private_key=ec.generate_private_key(ec.SECP256R1()),
            auth_secret=os.urandom(16),
        )
        self.browsers[name] = browser
        return browser

    def pushes_to(self, name: str) -> list[Received]:
        with self._lock:
            return [r for r in self.received if r.browser == name]

    def _answer_for(self, name: str) -> tuple[int, dict[str, str]]:
        browser = self.browsers.get(name)
        if browser is None:
            return 404, {}
        with self._lock:
            return browser.answers.popleft() if browser.answers else (201, {})
