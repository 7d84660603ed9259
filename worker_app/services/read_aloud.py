"""Read-aloud audio made on demand, for phones without a Norwegian voice: espeak-ng speaks the
page's title and main text, lame makes a small MP3 (as for the lesson screens).

Files are kept by the hash of voice and text, so the same page costs nothing the second time;
the folder is kept under a size bound by deleting the files least recently played.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from .errors import Invalid

# espeak-ng has a Bokmål voice but no Nynorsk one: nn text is read with the nb voice.
VOICES = {"nb": "nb", "nn": "nb", "en": "en"}
MAX_CHARS = 4000  # a long worker page is about 2,000 characters; more is not a page of ours
KEY = re.compile(r"^[0-9a-f]{32}$")


def tools() -> tuple[str, str] | None:
    espeak, lame = shutil.which("espeak-ng"), shutil.which("lame")
    return (espeak, lame) if espeak and lame else None


def clean_text(text: str) -> str:
    """The words as one line each: whitespace collapsed, bounded in length."""
    lines = [re.sub(r"\s+", " ", line).strip() for line in text.splitlines()]
    text = "\n".join(line for line in lines if line)
    if not text:
        raise Invalid("No text to read", field="text")
    if len(text) > MAX_CHARS:
        raise Invalid("Too much text", field="text")
    return text


def key_of(text: str, locale: str) -> str:
    voice = VOICES.get(locale, "nb")
    return hashlib.sha256(f"{voice}\n{text}".encode()).hexdigest()[:32]


def path_of(folder: Path, key: str) -> Path | None:
    """The cached file for a key, or None; a hit counts as played (kept longest)."""
    if not KEY.match(key):
        return None
    path = folder / f"{key}.mp3"
    if not path.is_file():
        return None
    os.utime(path)
    return path


def audio_for(folder: Path, text: str, locale: str, max_bytes: int) -> str:
    """The key of the MP3 that reads `text`, made now unless it is cached."""
    text = clean_text(text)
    key = key_of(text, locale)
    if path_of(folder, key):
        return key
    found = tools()
    if found is None:
        raise RuntimeError("espeak-ng or lame is not installed")
    espeak, lame = found
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder) as scratch:
        wav, mp3 = Path(scratch) / "page.wav", Path(scratch) / "page.mp3"
        # The text goes in on stdin, never as an argument: a page could start with "-".
        subprocess.run([espeak, "-v", VOICES.get(locale, "nb"), "-s", "140", "--stdin", "-w", str(wav)],
                       input=text.encode(), check=True, capture_output=True, timeout=30)
        subprocess.run([lame, "--quiet", "-m", "m", "-b", "32", str(wav), str(mp3)],
                       check=True, capture_output=True, timeout=30)
        os.replace(mp3, folder / f"{key}.mp3")  # atomic: a reader never sees half a file
    prune(folder, max_bytes)
    return key


def prune(folder: Path, max_bytes: int) -> int:
    """Keep the folder under max_bytes: delete the least recently played files down to 80% of
    the bound. Returns how many were deleted."""
    files = []
    for path in folder.glob("*.mp3"):
        try:
            stat = path.stat()
        except FileNotFoundError:  # another process pruned it
            continue
        files.append((stat.st_mtime, stat.st_size, path))
    total = sum(size for _, size, _ in files)
    if total <= max_bytes:
        return 0
    deleted = 0
    for _, size, path in sorted(files):
        if total <= max_bytes * 0.8:
            break
        path.unlink(missing_ok=True)
        total -= size
        deleted += 1
    return deleted
