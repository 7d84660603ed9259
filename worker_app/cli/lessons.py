"""flask lessons: check the lesson files and make their audio."""

from __future__ import annotations

import subprocess
from pathlib import Path

import click
from flask import current_app

from ..config import ROOT


@click.group()
def lessons() -> None:
    """Check the lesson files and make their audio."""


@lessons.command("check")
@click.argument("slugs", nargs=-1)
def lessons_check(slugs: tuple[str, ...]) -> None:
    """Load every lesson (or only SLUGS) as start-up does, and print each one's LIX."""
    from ..content import LESSONS_DIR, LOCALES, LessonError, all_words, load_lessons, load_one
    from ..services.readability import lix

    try:
        if slugs:
            loaded = {slug: load_one(LESSONS_DIR / slug, _pictogram_exists) for slug in slugs}
        else:
            loaded = load_lessons(pictogram_exists=_pictogram_exists)
    except LessonError as problem:
        raise click.ClickException(str(problem)) from None
    for lesson in loaded.values():
        scores = "  ".join(f"{loc} {lix(all_words(lesson.texts[loc])):4.1f}" for loc in LOCALES)
        click.echo(f"{lesson.order:2d} {lesson.slug:32s} {scores}")
    click.echo(f"{len(loaded)} lessons")


def _pictogram_exists(code: str) -> bool:
    return (ROOT / "node_modules" / "openmoji" / "color" / "svg" / f"{code}.svg").is_file()


# espeak-ng has a Bokmål voice but no Nynorsk one: nn text is read with the nb voice.
AUDIO_VOICES = {"nb": "nb", "nn": "nb", "en": "en"}


@lessons.command("audio")
def lessons_audio() -> None:
    """Make a read-aloud MP3 for every lesson screen with espeak-ng and lame (kept by content
    hash). MP3 at 32 kbit/s is about a tenth of espeak's WAV: it matters on a slow phone."""
    import shutil
    import tempfile

    from ..content import LOCALES, load_lessons

    espeak, lame = shutil.which("espeak-ng"), shutil.which("lame")
    if espeak is None or lame is None:
        click.echo("espeak-ng or lame is not installed: lessons use the browser's speech only.")
        return
    folder = Path(current_app.config["LESSON_AUDIO_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    made = kept = 0
    with tempfile.TemporaryDirectory() as scratch:
        wav = str(Path(scratch) / "screen.wav")
        for lesson in load_lessons(Path(current_app.config["LESSONS_DIR"])).values():
            for locale in LOCALES:
                for screen in lesson.texts[locale].screens:
                    target = folder / f"{screen.audio_key}.mp3"
                    if target.exists():
                        kept += 1
                        continue
                    subprocess.run([espeak, "-v", AUDIO_VOICES[locale], "-s", "140", "-w", wav,
                                    screen.text], check=True, capture_output=True)
                    subprocess.run([lame, "--quiet", "-m", "m", "-b", "32", wav, str(target)],
                                   check=True, capture_output=True)
                    made += 1
    click.echo(f"lesson audio: {made} made, {kept} already there")
