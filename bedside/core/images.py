"""Uploaded images: verified by content, re-encoded, stripped of metadata, resized.

Re-encoding from pixels is what removes EXIF/GPS, embedded thumbnails and any payload
hidden after the image data; trusting the file name or the browser's content type would
let anything through.
"""

import io
import uuid
import warnings
from dataclasses import dataclass
from typing import IO

from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

from bedside.core.errors import Invalid

MAX_BYTES = 10 * 1024 * 1024
MAX_SIDE = 12_000
MAX_PIXELS = 50_000_000
LONG_EDGE = 2000
ACCEPTED_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}


@dataclass(frozen=True)
class CleanImage:
    file: ContentFile[bytes]
    width: int
    height: int


def clean_image(upload: IO[bytes], *, size: int, field: str = "image") -> CleanImage:
    """Return a safe re-encoded copy of ``upload`` or raise ``Invalid`` saying why."""
    if size > MAX_BYTES:
        raise Invalid("This image is larger than 10 MB. Please choose a smaller one.", field=field)
    try:
        with warnings.catch_warnings():
            # Pillow warns (then errors) on decompression bombs; both are a refusal here.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as probe:
                fmt = probe.format
                width, height = probe.size
                probe.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise Invalid("This image's dimensions are too large.", field=field) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise Invalid(
            "This file is not an image we can read (use JPEG, PNG, GIF or WebP).", field=field
        ) from None
    if fmt not in ACCEPTED_FORMATS:
        raise Invalid("Please upload a JPEG, PNG, GIF or WebP image.", field=field)
    if (
        width > MAX_SIDE
        or height > MAX_SIDE
        or width * height > MAX_PIXELS
        or min(width, height) < 1
    ):
        raise Invalid(
            f"This image is {width}×{height} pixels; the most we accept is "
            f"{MAX_SIDE} pixels on a side and {MAX_PIXELS // 1_000_000} megapixels.",
            field=field,
        )
    upload.seek(0)
    return _reencode(upload, field=field)


def _reencode(upload: IO[bytes], *, field: str) -> CleanImage:
    try:
        with Image.open(upload) as original:
            original.seek(0)  # first frame only: animated uploads become still images
            image = ImageOps.exif_transpose(original) or original
            image.load()
    except (OSError, ValueError):
        raise Invalid("This image is damaged and cannot be read.", field=field) from None
    has_alpha = image.mode in {"RGBA", "LA"} or "transparency" in image.info
    image = image.convert("RGBA" if has_alpha else "RGB")
    image.thumbnail((LONG_EDGE, LONG_EDGE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    if has_alpha:
        image.save(out, format="PNG", optimize=True)
        extension = "png"
    else:
        image.save(out, format="JPEG", quality=85, optimize=True, progressive=True)
        extension = "jpg"
    name = f"{uuid.uuid4().hex}.{extension}"
    return CleanImage(
        file=ContentFile(out.getvalue(), name=name), width=image.width, height=image.height
    )
