"""Signed authorization forms: checked by their bytes, kept where no URL reaches them.

A signed form names a patient and carries their signature, so it never goes to
``MEDIA_ROOT`` (which the proxy serves to anyone with the link). It is stored under
``PRIVATE_MEDIA_ROOT`` and read back only through the permission-checked, audited
download view in ``bedside/compliance/views.py``.
"""

import uuid
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible

from bedside.core.errors import Invalid

# What a scanned or exported form may be: the first bytes decide, never the name.
_MAGIC = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
)


@deconstructible
class PrivateStorage(FileSystemStorage):
    """Files under ``settings.PRIVATE_MEDIA_ROOT``, read at use so tests may move it."""

    @property
    def base_location(self) -> Any:
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self) -> Any:
        return str(settings.PRIVATE_MEDIA_ROOT)

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no URL; serve them through a checked view.")


private_storage = PrivateStorage()


@dataclass(frozen=True)
class CheckedDocument:
    file: IO[bytes]
    content_type: str
    extension: str


def max_document_bytes() -> int:
    return int(settings.MAX_UPLOAD_BYTES)


def check_document(file: IO[bytes], *, size: int) -> CheckedDocument:
    """A PDF, JPEG or PNG no larger than the upload limit, judged by its content."""
    limit = max_document_bytes()
    if size <= 0:
        raise Invalid("Choose the signed form to upload.", field="document")
    if size > limit:
        raise Invalid(
            f"The signed form must be under {limit // (1024 * 1024)} MB.", field="document"
        )
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    for magic, content_type, extension in _MAGIC:
        if head.startswith(magic):
            return CheckedDocument(file=file, content_type=content_type, extension=extension)
    raise Invalid("Upload the signed form as a PDF, JPEG or PNG file.", field="document")


def document_name(instance: Any, filename: str) -> str:
    """A random name per practice: the patient's name never appears in a path."""
    extension = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    return f"authorizations/{instance.practice_id}/{uuid.uuid4().hex}.{extension}"
