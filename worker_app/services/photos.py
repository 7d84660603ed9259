"""Photos people upload: checked, decoded, resized and re-encoded on the server.

Re-encoding drops everything but the pixels, so EXIF and GPS never reach the store. Files are
named by a hash of their content, so they can be cached for ever. The store is a small
interface; a folder is the default, and another store (object storage) only needs save/path.
"""

from __future__ import annotations

import hashlib
import io
import re
import warnings
from pathlib import Path
from typing import Protocol

from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError

from .errors import Invalid

MAX_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a decompression bomb is refused long before it fills memory
LONGEST_SIDE = 1200
FORMATS = {"JPEG", "PNG", "WEBP"}
NAME = re.compile(r"^[0-9a-f]{32}\.jpg$")


class PhotoStore(Protocol):
    def save(self, name: str, data: bytes) -> None: ...
    def path(self, name: str) -> Path | None: ...


class FolderStore:
    def __init__(self, root: str | Path):
        self.root = Path(root)

    def save(self, name: str, data: bytes) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        target = self.root / name
        if not target.exists():
            target.write_bytes(data)

    def path(self, name: str) -> Path | None:
        if not NAME.match(name):
            return None
        target = self.root / name
        return target if target.is_file() else None


def accept(stream, store: PhotoStore) -> str:
    """Check and store an uploaded photo; returns its name. Raises Invalid with a clear reason."""
    raw = stream.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise Invalid(_l("Bildet er for stort. Høyst 8 MB."), field="photo")
    if not raw:
        raise Invalid(_l("Velg et bilde."), field="photo")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(raw))
            if image.format not in FORMATS:
                raise Invalid(_l("Bildet må være JPEG, PNG eller WebP."), field="photo")
            if image.width * image.height > MAX_PIXELS:
                raise Invalid(_l("Bildet har for mange pikser."), field="photo")
            image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise Invalid(_l("Vi kan ikke lese bildet. Prøv et annet bilde."), field="photo") from None
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise Invalid(_l("Bildet har for mange pikser."), field="photo") from None
    image = ImageOps.exif_transpose(image).convert("RGB")  # turn it right way up, then drop EXIF
    image.thumbnail((LONGEST_SIDE, LONGEST_SIDE))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=82, optimize=True)
    data = out.getvalue()
    name = hashlib.sha256(data).hexdigest()[:32] + ".jpg"
    store.save(name, data)
    return name
