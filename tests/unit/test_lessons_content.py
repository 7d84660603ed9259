"""The lesson files: every real lesson is valid, and a broken one stops start-up by name."""

import shutil
from pathlib import Path

import pytest

from worker_app import create_app
from worker_app.config import ROOT, TestConfig
from worker_app.content import LESSONS_DIR, LOCALES, LessonError, all_words, load_lessons
from worker_app.services.readability import MAX_SENTENCE_WORDS, lix, sentences, words

EXAMPLE = LESSONS_DIR / "trygghets-nummeret"
SVG = ROOT / "node_modules" / "openmoji" / "color" / "svg"


def test_the_real_lessons_cover_the_programme_and_read_easily():
    lessons = load_lessons(pictogram_exists=lambda code: (SVG / f"{code}.svg").is_file())
    assert len(lessons) >= 14
    for lesson in lessons.values():
        for locale in LOCALES:
            text = lesson.texts[locale]
            assert 3 <= len(text.screens) <= 6 and 2 <= len(text.quiz) <= 4
            assert all(2 <= len(q.answers) <= 4 and any(a.right for a in q.answers)
                       for q in text.quiz)
        for locale in ("nb", "nn"):
            body = all_words(lesson.texts[locale])
            assert lix(body) <= 25, (lesson.slug, locale)
            assert all(len(words(s)) <= MAX_SENTENCE_WORDS for s in sentences(body))


def copy_example(tmp_path) -> Path:
    folder = tmp_path / "lessons"
    shutil.copytree(EXAMPLE, folder / EXAMPLE.name)
    return folder / EXAMPLE.name


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


@pytest.mark.parametrize(("file", "old", "new", "problem"), [
    ("nn.toml", "", None, "nn.toml: missing"),
    ("lesson.toml", "{ pictogram = \"1F4DE\", right = true }", "{ pictogram = \"1F4DE\" }",
     "has no right answer"),
    ("lesson.toml", "[[screens]]\npictogram = \"1F91D\"  # handshake\n", "", "3 to 6 screens"),
    ("nb.toml", "Det er aldri feil å si fra.",
     "Det er aldri feil å si fra til noen som du kjenner godt og stoler på i livet ditt hver dag.",
     "sentence over 15 words"),
    ("nb.toml", 'summary = "Om trygghets-nummeret. Du kan alltid ringe."',
     'summary = "' + " ".join(["Arbeidsmiljøvurderinger omfatter yrkesrettede tilretteleggingsplikter."] * 8)
     + '"', "LIX"),
    ("en.toml", 'answers = ["Yes", "No"]', 'answers = ["Yes"]', "do not match"),
    ("nb.toml", 'title = "', 'title = ', "not valid TOML"),
])
def test_a_broken_lesson_is_named_with_its_problem(tmp_path, file, old, new, problem):
    folder = copy_example(tmp_path)
    if new is None:
        (folder / file).unlink()
    else:
        edit(folder / file, old, new)
    with pytest.raises(LessonError, match=problem) as error:
        load_lessons(folder.parent)
    assert file in str(error.value)


def test_unknown_pictograms_are_refused(tmp_path):
    folder = copy_example(tmp_path)
    edit(folder / "lesson.toml", 'pictogram = "1F61F"', 'pictogram = "NOPE"')
    with pytest.raises(LessonError, match="unknown pictograms"):
        load_lessons(folder.parent, pictogram_exists=lambda code: (SVG / f"{code}.svg").is_file())


def test_a_broken_lesson_stops_start_up(tmp_path):
    folder = copy_example(tmp_path)
    (folder / "en.toml").unlink()
    with pytest.raises(LessonError, match="en.toml"):
        create_app(TestConfig, {"LESSONS_DIR": str(folder.parent)})
    with pytest.raises(LessonError, match="missing"):
        create_app(TestConfig, {"LESSONS_DIR": str(tmp_path / "nowhere")})
