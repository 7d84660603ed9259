import io

import pytest
from PIL import Image

from worker_app.services import photos
from worker_app.services.errors import Invalid


def jpeg_with_gps(size=(3000, 2000)) -> bytes:
    image = Image.new("RGB", size, (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "Kamera AS"  # Make
    exif[0x8825] = {1: "N", 2: (60.0, 23.0, 0.0)}  # GPS: somewhere in Bergen
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_a_photo_is_resized_and_loses_its_exif_and_gps(tmp_path):
    store = photos.FolderStore(tmp_path)
    name = photos.accept(io.BytesIO(jpeg_with_gps()), store)
    with Image.open(store.path(name)) as saved:
        assert max(saved.size) == photos.LONGEST_SIDE and saved.format == "JPEG"
        assert not saved.getexif()
    assert b"Kamera AS" not in store.path(name).read_bytes()
    # The same picture twice is one file: names are content hashes.
    assert photos.accept(io.BytesIO(jpeg_with_gps()), store) == name


def test_png_and_webp_are_accepted(tmp_path):
    for kind in ("PNG", "WEBP"):
        out = io.BytesIO()
        Image.new("RGB", (40, 30), (0, 0, 255)).save(out, kind)
        out.seek(0)
        assert photos.accept(out, photos.FolderStore(tmp_path)).endswith(".jpg")


def bomb() -> bytes:
    out = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(out, "PNG")  # tiny file, 100 million pixels
    return out.getvalue()


def gif() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, "GIF")
    return out.getvalue()


@pytest.mark.parametrize(("data", "reason"), [
    (b"", "Velg et bilde"),
    (b"not an image at all", "kan ikke lese"),
    (jpeg_with_gps((50, 50))[:200], "kan ikke lese"),  # cut off: corrupt
    (gif(), "JPEG, PNG eller WebP"),
    (bomb(), "for mange pikser"),
    (b"x" * (photos.MAX_BYTES + 1), "for stort"),
])
def test_bad_files_get_a_clear_answer_and_nothing_is_stored(tmp_path, data, reason):
    with pytest.raises(Invalid, match=reason) as problem:
        photos.accept(io.BytesIO(data), photos.FolderStore(tmp_path))
    assert problem.value.field == "photo"
    assert list(tmp_path.iterdir()) == []


def test_the_store_serves_only_its_own_names(tmp_path):
    store = photos.FolderStore(tmp_path)
    assert store.path("../../etc/passwd") is None
    assert store.path("a" * 32 + ".jpg") is None
