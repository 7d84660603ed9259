"""Find an OpenMoji pictogram by Norwegian words, using the CLDR emoji names and our own list of
workplace words (worker_app/content/pictogram_words.toml) on top.

In cldr-annotations-full, Bokmål is the folder "no" and Nynorsk "nn". The index is built once at
start-up from node_modules; it holds only emoji that OpenMoji draws.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

CLDR_FOLDERS = {"nb": "no", "nn": "nn", "en": "en"}
WORKPLACE_WORDS = Path(__file__).resolve().parent.parent / "content" / "pictogram_words.toml"


def workplace_words(path: Path = WORKPLACE_WORDS) -> dict[str, list[str]]:
    """Our Norwegian workplace words: word -> OpenMoji codes, the best first."""
    return tomllib.loads(path.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Entry:
    code: str  # OpenMoji file name without .svg
    name: str  # the short name to show
    words: tuple[str, ...]
    chosen: tuple[str, ...] = ()  # our workplace words for it: they win over CLDR's


def _openmoji_code(emoji: str, exists) -> str | None:
    full = "-".join(f"{ord(ch):X}" for ch in emoji)
    for code in (full, full.replace("-FE0F", "")):
        if exists(code):
            return code
    return None


def build_index(node_modules: Path, locale: str) -> list[Entry]:
    svg = node_modules / "openmoji" / "color" / "svg"
    source = (node_modules / "cldr-annotations-full" / "annotations" / CLDR_FOLDERS[locale]
              / "annotations.json")
    if not svg.is_dir() or not source.is_file():
        return []
    names = json.loads(source.read_text(encoding="utf-8"))["annotations"]["annotations"]
    index = []
    for emoji, data in names.items():
        code = _openmoji_code(emoji, lambda c: (svg / f"{c}.svg").is_file())
        if code is None:
            continue
        short = (data.get("tts") or data.get("default") or [""])[0]
        words = tuple(w.lower() for w in [*data.get("tts", []), *data.get("default", [])])
        index.append(Entry(code, short, words))
    if locale in ("nb", "nn"):
        index = _with_workplace_words(index, lambda c: (svg / f"{c}.svg").is_file())
    return index


def _with_workplace_words(index: list[Entry], exists) -> list[Entry]:
    """Each workplace word joins the words of its pictures, so a search for it scores a whole
    name; a picture CLDR does not name (OpenMoji's own) gets an entry of its own."""
    extra: dict[str, list[str]] = {}
    for word, codes in workplace_words().items():
        for code in codes:
            if exists(code):
                extra.setdefault(code, []).append(word.lower())
    merged = []
    for e in index:
        chosen = tuple(extra.pop(e.code, ()))
        merged.append(Entry(e.code, e.name, e.words + chosen, chosen) if chosen else e)
    merged += [Entry(code, words[0], tuple(words), tuple(words)) for code, words in extra.items()]
    return merged


def search(index: list[Entry], query: str, limit: int = 12) -> list[Entry]:
    """Best matches first: a whole name, then a whole word, then the start of a word."""
    terms = [t for t in re.split(r"[\s,]+", query.strip().lower()) if t]
    if not terms:
        return []
    scored = []
    for entry in index:
        score = 0
        for term in terms:
            if term in entry.chosen:
                score += 12
            elif term in entry.words:
                score += 10
            elif any(term in re.split(r"[\s-]+", w) for w in entry.words):
                score += 6
            elif any(w.startswith(term) or f" {term}" in w for w in entry.words):
                score += 3
            elif len(term) >= 4 and any(term in w for w in entry.words):
                score += 1  # inside a compound word: "vask" finds "oppvaskmaskin"
            else:
                score = 0
                break
        if score:
            scored.append((-score, len(entry.name), entry.name, entry))
    return [entry for *_rest, entry in sorted(scored, key=lambda s: s[:3])[:limit]]
