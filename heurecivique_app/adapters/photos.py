"""Photo uploads: check size and type, strip EXIF (location) data, store under a random name.

Pillow decodes the image and re-encodes only its pixels, so no metadata block
(EXIF GPS, XMP, comments) survives. The orientation is applied first so that a
phone photo stays upright once its EXIF orientation tag is gone.
"""

from __future__ import annotations

import io
import secrets
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from heurecivique_app.domain.community import PHOTO_NAME as _NAME
from heurecivique_app.domain.errors import DomainError
from heurecivique_app.domain.text import N_

ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
MAX_SIDE = 2000  # pixels: enough for a street light, small enough for a phone upload
Image.MAX_IMAGE_PIXELS = 40_000_000  # refuse decompression bombs early


TOO_BIG = N_("The photo is too big (at most {size} MB).")
NOT_A_PHOTO = N_("Send a JPEG, PNG or WebP photo.")


class PhotoRejected(DomainError):
    """The upload is not an acceptable photo."""


def clean_photo(data: bytes, *, max_bytes: int) -> tuple[bytes, str]:
    """Return the re-encoded image without metadata, and its extension.

    Raises:
        PhotoRejected: too big, empty, or not a JPEG, PNG or WebP image.
    """
    if not data:
        raise PhotoRejected(N_("The photo is empty."))
    if len(data) > max_bytes:
        raise PhotoRejected(TOO_BIG, size=max_bytes // (1024 * 1024))
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format
            if kind not in ALLOWED_FORMATS:
                raise PhotoRejected(NOT_A_PHOTO)
            image.load()
            upright = ImageOps.exif_transpose(image)
            upright.thumbnail((MAX_SIDE, MAX_SIDE))
            wanted = ("RGB", "L") if kind == "JPEG" else ("RGB", "RGBA", "L", "LA")
            if upright.mode not in wanted:
                upright = upright.convert("RGB" if kind == "JPEG" else "RGBA")
            # A fresh image holding only the pixels: no info dict, no EXIF, no XMP.
            pixels = Image.new(upright.mode, upright.size)
            pixels.paste(upright)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise PhotoRejected(N_("Send a JPEG, PNG or WebP photo.")) from exc
    out = io.BytesIO()
    pixels.save(out, format=kind, **({"quality": 85} if kind == "JPEG" else {}))
    return out.getvalue(), ALLOWED_FORMATS[kind]


class PhotoStore:
    """Photos on disk under ``<data_dir>/photos``, named by a random token."""

    def __init__(self, data_dir: Path) -> None:
        self.root = Path(data_dir) / "photos"

    def save(self, data: bytes, *, max_bytes: int) -> str:
        """Clean and store an upload; returns its file name."""
        clean, ext = clean_photo(data, max_bytes=max_bytes)
        self.root.mkdir(parents=True, exist_ok=True)
        name = f"{secrets.token_hex(16)}.{ext}"
        (self.root / name).write_bytes(clean)
        return name

    def path(self, name: str | None) -> Path | None:
        """The file for a stored name, or None; never follows a crafted path."""
        if not name or not _NAME.match(name):
            return None
        path = self.root / name
        return path if path.is_file() else None

    @staticmethod
    def valid_name(name: str | None) -> bool:
        """Whether ``name`` has the shape of a stored photo's name."""
        return bool(name) and bool(_NAME.match(name or ""))
