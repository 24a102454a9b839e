"""Fake network APIs for the adapters' contract tests, served through ``httpx.MockTransport``.

A ``FakeApi`` answers each ``(method, path)`` with the documented responses it is given, in
order (the last one repeats), and keeps every request so a test can assert exactly what was
sent: method, path, headers, query, and a JSON, form or multipart body.
"""

import io
import json
from collections import defaultdict
from collections.abc import Callable
from email.parser import BytesParser
from email.policy import HTTP
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import httpx
from PIL import Image

from bedside.syndication.adapters.base import Media

Answer = httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]


class FakeApi:
    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.routes: dict[tuple[str, str], list[Answer]] = defaultdict(list)

    def on(self, method: str, path: str, *answers: Answer) -> "FakeApi":
        self.routes[(method, path)].extend(answers)
        return self

    def handle(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        answers = self.routes.get((request.method, request.url.path))
        if not answers:
            return httpx.Response(404, json={"error": {"message": "no such route", "code": 803}})
        answer = answers.pop(0) if len(answers) > 1 else answers[0]
        if isinstance(answer, Exception):
            raise answer
        if callable(answer) and not isinstance(answer, httpx.Response):
            return answer(request)
        return answer

    def client(self) -> httpx.Client:
        return httpx.Client(transport=httpx.MockTransport(self.handle), timeout=10)

    def sent(self, method: str, path: str) -> list[httpx.Request]:
        return [r for r in self.requests if r.method == method and r.url.path == path]

    def calls(self) -> list[tuple[str, str]]:
        return [(r.method, r.url.path) for r in self.requests]


def form(request: httpx.Request) -> dict[str, str]:
    return {name: values[0] for name, values in parse_qs(request.content.decode()).items()}


def body(request: httpx.Request) -> Any:
    return json.loads(request.content)


def multipart(request: httpx.Request) -> dict[str, bytes | str]:
    """Fields of a multipart/form-data body: text for fields, bytes for files."""
    head = f"Content-Type: {request.headers['content-type']}\r\n\r\n".encode()
    message = BytesParser(policy=HTTP).parsebytes(head + request.content)
    fields: dict[str, bytes | str] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        fields[str(name)] = payload if part.get_filename() else payload.decode()
    return fields


def jpeg(tmp_path: Path, name: str = "photo.jpg", size: tuple[int, int] = (400, 300)) -> Path:
    out = io.BytesIO()
    Image.new("RGB", size, "teal").save(out, format="JPEG")
    path = tmp_path / name
    path.write_bytes(out.getvalue())
    return path


def media(
    path: Path,
    *,
    alt_text: str = "Two nurses at the flu clinic desk",
    size: int | None = None,
    content_type: str = "image/jpeg",
    width: int = 400,
    height: int = 300,
) -> Media:
    return Media(
        path=path,
        content_type=content_type,
        size=path.stat().st_size if size is None else size,
        alt_text=alt_text,
        width=width,
        height=height,
        url=f"https://bedside.example.org/media/posts/{path.name}",
    )


def graph_error(
    code: int, message: str, *, subcode: int | None = None, status: int = 400
) -> httpx.Response:
    """Meta's documented error shape."""
    error: dict[str, Any] = {
        "message": message,
        "type": "OAuthException",
        "code": code,
        "fbtrace_id": "AbCdEfGh123",
    }
    if subcode is not None:
        error["error_subcode"] = subcode
    return httpx.Response(status, json={"error": error})
