"""flask translate: extract, update and compile translations (wraps pybabel)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click

from ..config import ROOT

TRANSLATIONS = ROOT / "translations"


@click.group()
def translate() -> None:
    """Extract, update and compile translations (wraps pybabel)."""


def _pybabel(*args: str) -> None:
    # pybabel sits beside the interpreter in the virtual environment.
    pybabel = Path(sys.executable).with_name("pybabel")
    subprocess.run([str(pybabel), "-q", *args], check=True, cwd=ROOT)


@translate.command()
def extract() -> None:
    """Collect every marked string into translations/messages.pot."""
    _pybabel("extract", "-F", "babel.cfg", "-k", "_l", "--no-location", "--sort-output",
             "-o", str(TRANSLATIONS / "messages.pot"), ".")


@translate.command()
def update() -> None:
    """Extract, then merge new strings into every language's .po file."""
    extract.callback()
    _pybabel("update", "-i", str(TRANSLATIONS / "messages.pot"), "-d", str(TRANSLATIONS),
             "--no-fuzzy-matching", "--ignore-obsolete")


@translate.command()
def compile() -> None:  # noqa: A001 - the pybabel verb
    """Build the .mo files the app reads (not committed)."""
    _pybabel("compile", "-d", str(TRANSLATIONS), "--statistics")

