"""The "Download my data" archive: ``data.json`` and a readable ``index.html`` in one zip.

Built while the person waits, but never whole in memory: each section's rows are read with
``iterator()`` and written straight into the zip entry, and the zip itself is a temporary
file (kept in memory only while small) that the response then streams. The archive is a
download, not a page we serve, so its HTML carries its own small ``<style>`` and no script.
"""

import json
import tempfile
import zipfile
from collections.abc import Iterable
from datetime import date, datetime, time
from typing import IO, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape

from bedside.practices.models import User
from bedside.privacy.inventory import SECTIONS, Section
from bedside.privacy.readers import Row

FORMAT = "bedside-personal-data/1"
IN_MEMORY_BYTES = 1024 * 1024


def build_archive(user: User) -> IO[bytes]:
    """A zip of everything we keep about ``user``, rewound and ready to stream."""
    archive: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY_BYTES)  # noqa: SIM115
    made_at = timezone.now()
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        with zipped.open("data.json", "w") as entry:
            _write_json(entry, user, made_at)
        with zipped.open("index.html", "w") as entry:
            _write_html(entry, user, made_at)
    archive.seek(0)
    return archive


def archive_name(made_on: date) -> str:
    return f"bedside-my-data-{made_on.isoformat()}.zip"


def _write_json(out: IO[bytes], user: User, made_at: datetime) -> None:
    def put(text: str) -> None:
        out.write(text.encode())

    put(f'{{"format": {_json(FORMAT)}, "generated_at": {_json(made_at)}')
    for section in SECTIONS:
        put(f', "{section.key}": [')
        for number, row in enumerate(section.rows(user)):
            put(("," if number else "") + "\n  " + _json(row))
        put("\n]")
    put("}\n")


def _json(value: Any) -> str:
    return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)


def _write_html(out: IO[bytes], user: User, made_at: datetime) -> None:
    context = {"made_at": made_at, "sections": SECTIONS}
    out.write(render_to_string("privacy/export/head.html", context).encode())
    for section in SECTIONS:
        for chunk in _section_html(section, section.rows(user)):
            out.write(chunk.encode())
    out.write(render_to_string("privacy/export/foot.html", context).encode())


def _section_html(section: Section, rows: Iterable[Row]) -> Iterable[str]:
    yield f'<section id="{section.key}"><h2>{escape(section.title)}</h2>\n'
    columns: list[str] | None = None
    for row in rows:
        if columns is None:
            columns = list(row)
            heads = "".join(f'<th scope="col">{escape(_words(c))}</th>' for c in columns)
            yield f"<table><thead><tr>{heads}</tr></thead><tbody>\n"
        cells = "".join(f"<td>{escape(_shown(row.get(c)))}</td>" for c in columns)
        yield f"<tr>{cells}</tr>\n"
    yield "</tbody></table>\n</section>\n" if columns else "<p>Nothing.</p>\n</section>\n"


def _words(key: str) -> str:
    return key.replace("_", " ").capitalize()


def _shown(value: object) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M %Z")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)
