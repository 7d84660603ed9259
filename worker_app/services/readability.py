"""Readability measures for easy-read text: LIX, long sentences, long words.

LIX = words / sentences + 100 * long words / words, where a long word has more than 6 letters.
A hyphenated compound counts as its parts (EASY-READ.md, rule 11).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_SENTENCE_WORDS = 15
LONG_WORD_WARNING = 12  # letters, for a word without a hyphen

# A full stop after a digit followed by a lowercase word is an ordinal ("4. desember");
# after a clock time at the end of a sentence ("kl. 09:00. Gå ...") it ends the sentence.
_SENTENCE_END = re.compile(
    r"(?<!\d)[.!?:]+(?=\s|$)|(?<=\d)[.!?]+(?!\s+[a-zæøå])(?=\s|$)|\n+"
)
_ABBREVIATIONS = re.compile(r"\b(kl|f\.eks|bl\.a|ca|nr)\.", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def sentences(text: str) -> list[str]:
    text = _ABBREVIATIONS.sub(lambda m: m.group(1).replace(".", ""), text)
    return [s.strip() for s in _SENTENCE_END.split(text) if s and _WORD.search(s)]


def words(text: str) -> list[str]:
    # Splitting on anything that is not a letter also splits "trygghets-nummer" into its parts.
    return _WORD.findall(text)


def lix(text: str) -> float:
    all_words = words(text)
    if not all_words:
        return 0.0
    count = len(sentences(text)) or 1
    long_words = sum(1 for w in all_words if len(w) > 6)
    return len(all_words) / count + 100 * long_words / len(all_words)


@dataclass
class Report:
    lix: float
    long_sentences: list[str]
    long_words: list[str]


def check(text: str) -> Report:
    """What an editor warns about: sentences over 15 words, words over 12 letters unsplit."""
    long_sentences = [s for s in sentences(text) if len(words(s)) > MAX_SENTENCE_WORDS]
    long_words = sorted({
        w for w in re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)*", text)
        if "-" not in w and len(w) > LONG_WORD_WARNING
    })
    return Report(round(lix(text), 1), long_sentences, long_words)
