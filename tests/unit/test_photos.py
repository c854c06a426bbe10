"""Uploaded photos: type and size checked, EXIF (GPS) stripped, names never from the client."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from heurecivique_app.adapters.photos import PhotoRejected, PhotoStore, clean_photo

GPS_IFD = 0x8825


def _jpeg(exif: bool = True, orientation: int | None = None, size=(60, 40)) -> bytes:
    image = Image.new("RGB", size, "orange")
    info = image.getexif()
    if exif:
        info[0x010F] = "PhoneMaker"
        info[GPS_IFD] = {1: "N", 2: (48.0, 7.0, 36.0), 3: "W", 4: (1.0, 12.0, 40.0)}
    if orientation:
        info[0x0112] = orientation
    out = io.BytesIO()
    image.save(out, "JPEG", exif=info)
    return out.getvalue()


def test_exif_and_gps_are_removed() -> None:
    raw = _jpeg()
    assert Image.open(io.BytesIO(raw)).getexif().get_ifd(GPS_IFD)
    clean, ext = clean_photo(raw, max_bytes=1_000_000)
    assert ext == "jpg"
    cleaned = Image.open(io.BytesIO(clean))
    assert dict(cleaned.getexif()) == {} and b"PhoneMaker" not in clean
    assert cleaned.size == (60, 40)


def test_orientation_is_applied_before_the_tag_goes() -> None:
    clean, _ext = clean_photo(_jpeg(orientation=6), max_bytes=1_000_000)
    assert Image.open(io.BytesIO(clean)).size == (40, 60)


def test_png_keeps_transparency_and_drops_text_chunks() -> None:
    from PIL.PngImagePlugin import PngInfo

    meta = PngInfo()
    meta.add_text("Comment", "48.12 N, 1.21 W")
    out = io.BytesIO()
    Image.new("RGBA", (10, 10), (0, 0, 0, 0)).save(out, "PNG", pnginfo=meta)
    clean, ext = clean_photo(out.getvalue(), max_bytes=1_000_000)
    assert ext == "png" and b"48.12" not in clean
    assert Image.open(io.BytesIO(clean)).mode == "RGBA"


@pytest.mark.parametrize(("data", "refusal"), [
    (b"", "The photo is empty"),
    (b"GIF89a not really", "Send a JPEG, PNG or WebP photo"),
    (b"%PDF-1.7\n" + b"x" * 100, "Send a JPEG, PNG or WebP photo"),
])
def test_not_a_photo_is_refused(data: bytes, refusal: str) -> None:
    with pytest.raises(PhotoRejected, match=refusal):
        clean_photo(data, max_bytes=1_000_000)


def test_gif_is_refused_even_if_valid() -> None:
    out = io.BytesIO()
    Image.new("P", (4, 4)).save(out, "GIF")
    with pytest.raises(PhotoRejected, match="Send a JPEG"):
        clean_photo(out.getvalue(), max_bytes=1_000_000)


def test_too_big_is_refused_with_the_limit() -> None:
    with pytest.raises(PhotoRejected) as refused:
        clean_photo(_jpeg(), max_bytes=100)
    assert "MB" in refused.value.message


def test_store_names_are_random_and_paths_cannot_escape(tmp_path) -> None:
    store = PhotoStore(tmp_path)
    name = store.save(_jpeg(), max_bytes=1_000_000)
    assert store.path(name) == tmp_path / "photos" / name
    assert store.save(_jpeg(), max_bytes=1_000_000) != name
    for crafted in ("../heurecivique.db", "/etc/passwd", name.replace(".jpg", ".svg"), ""):
        assert store.path(crafted) is None
