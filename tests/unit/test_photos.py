"""Uploaded photos: type and size checked, EXIF (GPS) stripped, names never from the client."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from heurecivique_app.adapters.photos import PhotoRejected, PhotoStore, clean_photo
from heurecivique_app.domain.enums import Role
from heurecivique_app.domain.errors import NotAllowed
from heurecivique_app.services import report_photos
from heurecivique_app.services.actor import Actor

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


# --- services.report_photos: the photo of a relay's report, sent before the report --------

def _actor(user_id: int, role: Role = Role.RELAY) -> Actor:
    return Actor(user_id=user_id, role=role, commune_id=1, display_name="Lucas",
                 neighbourhood_id=None, locale="fr")


def test_only_a_relay_stores_a_report_photo(tmp_path) -> None:
    store = PhotoStore(tmp_path)
    with pytest.raises(NotAllowed):
        report_photos.store_report_photo(actor=_actor(1, Role.VOLUNTEER), data=_jpeg(),
                                         photos=store, max_bytes=1_000_000)
    assert not store.root.exists()
    name = report_photos.store_report_photo(actor=_actor(1), data=_jpeg(), photos=store,
                                            max_bytes=1_000_000)
    assert b"PhoneMaker" not in store.path(name).read_bytes()
    with pytest.raises(PhotoRejected):  # the adapter's limit, as strict as before
        report_photos.store_report_photo(actor=_actor(1), data=_jpeg(), photos=store,
                                         max_bytes=100)


def test_a_ticket_gives_the_photo_to_the_relay_it_was_signed_for_only() -> None:
    name = "0123456789abcdef0123456789abcdef.jpg"
    ticket = report_photos.photo_ticket("s3cret", actor=_actor(7), photo_name=name)
    assert report_photos.photo_from_ticket("s3cret", actor=_actor(7), ticket=ticket) == name
    assert report_photos.photo_from_ticket("s3cret", actor=_actor(8), ticket=ticket) is None
    assert report_photos.photo_from_ticket("other", actor=_actor(7), ticket=ticket) is None
    signature = ticket.rpartition(".")[2]
    forged = [
        "fedcba9876543210fedcba9876543210.jpg." + signature,  # another photo, same signature
        name, name + ".", "../../etc/passwd." + signature, ticket + "x", ticket[:-1],
        "é" + ticket, None, 7, {"ticket": ticket}, ticket * 10,
    ]
    for bad in forged:
        assert report_photos.photo_from_ticket("s3cret", actor=_actor(7), ticket=bad) is None
