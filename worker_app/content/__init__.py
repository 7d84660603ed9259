"""Lessons of the competence programme, as content files, loaded and checked at start-up.

One folder per lesson under content/lessons/:
  lesson.toml   order, pictogram, each screen's pictogram, each quiz answer's pictogram and
                whether it is right (the same in every language)
  nb.toml, nn.toml, en.toml   the words: title, each screen's text, each question, its
                answers and the kind explanation shown after a wrong answer

A malformed lesson stops start-up with a message naming the file and the problem.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from pathlib import Path

from ..services.readability import MAX_SENTENCE_WORDS, lix, sentences, words

LESSONS_DIR = Path(__file__).resolve().parent / "lessons"
LOCALES = ("nb", "nn", "en")
MAX_LESSON_LIX = 25  # lessons aim lower than the app's 30 (EASY-READ rule 11)


class LessonError(Exception):
    """A lesson file is malformed; the message names the file."""


@dataclass(frozen=True)
class Answer:
    text: str
    pictogram: str
    right: bool


@dataclass(frozen=True)
class Question:
    text: str
    answers: tuple[Answer, ...]
    explain: str


@dataclass(frozen=True)
class Screen:
    text: str
    pictogram: str

    @property
    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.text.strip().split("\n") if p.strip()]

    @property
    def audio_key(self) -> str:
        """The name of the pre-made audio file: a hash of the words, so a change re-makes it."""
        return hashlib.sha256(self.text.strip().encode()).hexdigest()[:20]


@dataclass(frozen=True)
class LessonText:
    title: str
    summary: str
    screens: tuple[Screen, ...]
    quiz: tuple[Question, ...]


@dataclass(frozen=True)
class Lesson:
    slug: str
    order: int
    pictogram: str
    texts: dict[str, LessonText]

    def text(self, locale: str) -> LessonText:
        return self.texts.get(locale) or self.texts["nb"]


def load_lessons(folder: Path = LESSONS_DIR, pictogram_exists=None) -> dict[str, Lesson]:
    """Every lesson by slug, in order. Raises LessonError on the first problem found."""
    if not folder.is_dir():
        raise LessonError(f"{folder}: the lessons folder is missing")
    lessons = [load_one(path, pictogram_exists) for path in sorted(folder.iterdir()) if path.is_dir()]
    orders = [lesson.order for lesson in lessons]
    if len(set(orders)) != len(orders):
        raise LessonError(f"{folder}: two lessons have the same order number")
    return {lesson.slug: lesson for lesson in sorted(lessons, key=lambda lesson: lesson.order)}


def _read(path: Path) -> dict:
    if not path.is_file():
        raise LessonError(f"{path}: missing")
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as problem:
        raise LessonError(f"{path}: not valid TOML: {problem}") from None


def _need(data: dict, key: str, kind, where: str):
    value = data.get(key)
    if not isinstance(value, kind) or (isinstance(value, str | list) and not value):
        raise LessonError(f"{where}: '{key}' is missing or not a {getattr(kind, '__name__', kind)}")
    return value


def load_one(folder: Path, pictogram_exists) -> Lesson:
    meta_path = folder / "lesson.toml"
    meta = _read(meta_path)
    where = str(meta_path)
    order = _need(meta, "order", int, where)
    pictogram = _need(meta, "pictogram", str, where)
    screen_pictos = _need(meta, "screens", list, where)
    quiz_meta = _need(meta, "quiz", list, where)
    if not 3 <= len(screen_pictos) <= 6:
        raise LessonError(f"{where}: a lesson has 3 to 6 screens, not {len(screen_pictos)}")
    if not 2 <= len(quiz_meta) <= 4:
        raise LessonError(f"{where}: a lesson has 2 to 4 quiz questions, not {len(quiz_meta)}")
    for number, screen in enumerate(screen_pictos, 1):
        if not isinstance(screen, dict) or not isinstance(screen.get("pictogram"), str):
            raise LessonError(f"{where}: screen {number} has no pictogram")
    for number, question in enumerate(quiz_meta, 1):
        answers = question.get("answers") if isinstance(question, dict) else None
        if not isinstance(answers, list) or not 2 <= len(answers) <= 4:
            raise LessonError(f"{where}: question {number} needs 2 to 4 answers")
        if not all(isinstance(a, dict) and isinstance(a.get("pictogram"), str) for a in answers):
            raise LessonError(f"{where}: question {number}: every answer needs a pictogram")
        if not any(a.get("right") is True for a in answers):
            raise LessonError(f"{where}: question {number} has no right answer")
    if pictogram_exists:
        codes = [pictogram] + [s["pictogram"] for s in screen_pictos] + [
            a["pictogram"] for q in quiz_meta for a in q["answers"]]
        missing = [c for c in codes if not pictogram_exists(c)]
        if missing:
            raise LessonError(f"{where}: unknown pictograms {missing}")

    texts = {locale: _load_text(folder / f"{locale}.toml", locale, screen_pictos, quiz_meta)
             for locale in LOCALES}
    return Lesson(slug=folder.name, order=order, pictogram=pictogram, texts=texts)


def _load_text(path: Path, locale: str, screen_pictos: list, quiz_meta: list) -> LessonText:
    data = _read(path)
    where = str(path)
    title = _need(data, "title", str, where)
    summary = _need(data, "summary", str, where)
    screens = _need(data, "screens", list, where)
    quiz = _need(data, "quiz", list, where)
    if len(screens) != len(screen_pictos):
        raise LessonError(f"{where}: {len(screens)} screens, but lesson.toml has {len(screen_pictos)}")
    if len(quiz) != len(quiz_meta):
        raise LessonError(f"{where}: {len(quiz)} questions, but lesson.toml has {len(quiz_meta)}")
    built_screens = []
    for number, (text, meta) in enumerate(zip(screens, screen_pictos, strict=True), 1):
        if not isinstance(text, str) or not text.strip():
            raise LessonError(f"{where}: screen {number} has no text")
        built_screens.append(Screen(text=text.strip(), pictogram=meta["pictogram"]))
    built_quiz = []
    for number, (question, meta) in enumerate(zip(quiz, quiz_meta, strict=True), 1):
        q_where = f"{where}: question {number}"
        if not isinstance(question, dict):
            raise LessonError(f"{q_where}: not a table")
        answers = question.get("answers")
        if not isinstance(answers, list) or len(answers) != len(meta["answers"]):
            raise LessonError(f"{q_where}: the answers do not match lesson.toml")
        built_quiz.append(Question(
            text=_need(question, "question", str, q_where),
            explain=_need(question, "explain", str, q_where),
            answers=tuple(Answer(text=str(text), pictogram=a["pictogram"], right=a.get("right") is True)
                          for text, a in zip(answers, meta["answers"], strict=True)),
        ))
    lesson_text = LessonText(title=title, summary=summary, screens=tuple(built_screens),
                             quiz=tuple(built_quiz))
    if locale in ("nb", "nn"):
        _check_easy_read(lesson_text, where)
    return lesson_text


def all_words(text: LessonText) -> str:
    parts = [text.title + ".", text.summary, *(s.text for s in text.screens)]
    for question in text.quiz:
        parts += [question.text, question.explain, *(a.text + "." for a in question.answers)]
    return "\n".join(parts)


def _check_easy_read(text: LessonText, where: str) -> None:
    body = all_words(text)
    for sentence in sentences(body):
        if len(words(sentence)) > MAX_SENTENCE_WORDS:
            raise LessonError(f"{where}: sentence over {MAX_SENTENCE_WORDS} words: {sentence!r}")
    score = lix(body)
    if score > MAX_LESSON_LIX:
        raise LessonError(f"{where}: LIX {score:.1f} is over {MAX_LESSON_LIX}")
