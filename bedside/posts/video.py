"""Videos on posts: uploads recognised by their content, embeds turned into private players.

An upload is accepted only when its first bytes are an MP4 (ISO base media ``ftyp`` box
with a video brand) or a WebM (an EBML header whose DocType is ``webm``); the file name and
the browser's content type are never trusted. An embed link is accepted only for YouTube
and Vimeo, and stored as the privacy-enhanced player URL (``youtube-nocookie.com``, Vimeo
with ``dnt=1``), which the page loads only when the viewer clicks play.
"""

import re
import secrets
from typing import IO, NamedTuple
from urllib.parse import parse_qs, urlsplit

from django.conf import settings

from bedside.core.errors import Invalid

HEADER_BYTES = 64
# ISO base media brands of MP4 video; QuickTime ("qt  ") and audio-only brands are refused.
MP4_BRANDS = frozenset(
    {
        b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1",
        b"M4V ", b"M4VH", b"M4VP", b"dash", b"mmp4", b"MSNV", b"3gp4", b"3gp5",
    }
)  # fmt: skip
EBML_MAGIC = b"\x1a\x45\xdf\xa3"
EBML_DOCTYPE_WEBM = b"\x42\x82\x84webm"

YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{11}")
VIMEO_ID = re.compile(r"[0-9]{1,12}")
VIMEO_HASH = re.compile(r"[0-9a-f]{6,20}")
YOUTUBE_HOSTS = frozenset(
    {"youtube.com", "www.youtube.com", "m.youtube.com", "youtube-nocookie.com",
     "www.youtube-nocookie.com"}
)  # fmt: skip
VIMEO_HOSTS = frozenset({"vimeo.com", "www.vimeo.com", "player.vimeo.com"})
YOUTUBE_PATH_PREFIXES = ("embed", "shorts", "live", "v")


class CheckedVideo(NamedTuple):
    """An upload that is a real video: the file, rewound, and the name to store it under."""

    file: IO[bytes]
    name: str


def max_video_bytes() -> int:
    return int(getattr(settings, "MAX_VIDEO_BYTES", 200 * 1024 * 1024))


def video_format(header: bytes) -> str | None:
    """``"mp4"`` or ``"webm"`` from a file's first bytes, or None for anything else."""
    if len(header) >= 12 and header[4:8] == b"ftyp" and header[8:12] in MP4_BRANDS:
        return "mp4"
    if header.startswith(EBML_MAGIC) and EBML_DOCTYPE_WEBM in header[:HEADER_BYTES]:
        return "webm"
    return None


def check_video(upload: IO[bytes], *, size: int, field: str = "video") -> CheckedVideo:
    """The upload with a random name, if it is an MP4 or WebM within the size limit."""
    limit = max_video_bytes()
    if size > limit:
        raise Invalid(f"Videos may be up to {limit // (1024 * 1024)} MB.", field=field)
    upload.seek(0)
    header = upload.read(HEADER_BYTES)
    upload.seek(0)
    kind = video_format(header)
    if kind is None:
        raise Invalid("Upload an MP4 or WebM video.", field=field)
    return CheckedVideo(file=upload, name=f"{secrets.token_hex(16)}.{kind}")


def embed_url(link: str, *, field: str = "video_embed_url") -> str:
    """The private player URL for a YouTube or Vimeo link; ``Invalid`` for anything else."""
    refused = Invalid("Paste a link to a YouTube or Vimeo video.", field=field)
    link = link.strip()
    if len(link) > 500:
        raise refused
    try:
        parts = urlsplit(link if "://" in link else f"https://{link}")
        host = (parts.hostname or "").lower()
    except ValueError:  # a malformed address, such as an unclosed "["
        raise refused from None
    if parts.scheme not in {"http", "https"} or parts.username or parts.password:
        raise refused
    segments = [segment for segment in parts.path.split("/") if segment]
    if host == "youtu.be" or host in YOUTUBE_HOSTS:
        video_id = _youtube_id(host, segments, parts.query)
        if video_id is None:
            raise refused
        return f"https://www.youtube-nocookie.com/embed/{video_id}"
    if host in VIMEO_HOSTS:
        found = _vimeo_id(host, segments, parts.query)
        if found is None:
            raise refused
        video_id, private_hash = found
        suffix = f"&h={private_hash}" if private_hash else ""
        return f"https://player.vimeo.com/video/{video_id}?dnt=1{suffix}"
    raise refused


def _youtube_id(host: str, segments: list[str], query: str) -> str | None:
    candidate: str | None = None
    if host == "youtu.be":
        candidate = segments[0] if len(segments) == 1 else None
    elif segments == ["watch"]:
        values = parse_qs(query).get("v", [])
        candidate = values[0] if len(values) == 1 else None
    elif len(segments) == 2 and segments[0] in YOUTUBE_PATH_PREFIXES:
        candidate = segments[1]
    if candidate is not None and YOUTUBE_ID.fullmatch(candidate):
        return candidate
    return None


def _vimeo_id(host: str, segments: list[str], query: str) -> tuple[str, str] | None:
    if host == "player.vimeo.com":
        if len(segments) != 2 or segments[0] != "video":
            return None
        hashes = parse_qs(query).get("h", [""])
        video_id, private_hash = segments[1], hashes[0]
    elif len(segments) == 1:
        video_id, private_hash = segments[0], ""
    elif len(segments) == 2 and VIMEO_ID.fullmatch(segments[0]):
        video_id, private_hash = segments  # an unlisted video: vimeo.com/<id>/<hash>
    elif len(segments) == 3 and segments[0] == "channels":
        video_id, private_hash = segments[2], ""
    else:
        return None
    if not VIMEO_ID.fullmatch(video_id) or (
        private_hash and not VIMEO_HASH.fullmatch(private_hash)
    ):
        return None
    return video_id, private_hash
