"""The specialist's checklist library: authoring checklists and their steps, and versions (a
pushed version is frozen; editing it makes a new draft)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ...models import (
    Checklist,
    ChecklistStep,
    ChecklistVersion,
    User,
)
from ...models.types import utcnow
from ..audit import record
from ..errors import Invalid, NotFound
from ..limits import STEP_MAX, TITLE_MAX, TITLE_MIN
from ..paging import Key, Page, keyset


def clean_title(title: str) -> str:
    """A checklist's name, its spaces tidied; too short or too long is refused."""
    title = " ".join((title or "").split())
    if not TITLE_MIN <= len(title) <= TITLE_MAX:
        raise Invalid(_l("Skriv et navn på oppgaven."), field="title")
    return title


def create_checklist(session: Session, owner: User, title: str, pictogram: str = "1F4CB",
                     workplace_id: int | None = None) -> Checklist:
    title = clean_title(title)
    checklist = Checklist(title=title, pictogram=pictogram or "1F4CB", owner_id=owner.id,
                          workplace_id=workplace_id)
    checklist.versions.append(ChecklistVersion(number=1))
    session.add(checklist)
    record(session, owner, "checklist.create", None, title)
    session.flush()
    return checklist


@dataclass
class NewStep:
    text: str
    hint: str = ""
    pictogram: str = "1F4CB"


def create_with_steps(session: Session, owner: User, title: str, pictogram: str,
                      steps: list[NewStep]) -> Checklist:
    """A checklist and its steps as a draft, in one go: a bad step (its index in `field`) makes
    nothing."""
    title = clean_title(title)
    if not steps:
        raise Invalid(_l("En tom oppgave kan ikke sendes. Legg til minst ett steg."), field="steps")
    version = ChecklistVersion(number=1)
    for i, new in enumerate(steps):
        text, hint = _clean_step(new.text, new.hint, field=f"/steps/{i}/text")
        version.steps.append(ChecklistStep(position=i + 1, text=text, hint=hint, pictogram=new.pictogram))
    checklist = Checklist(title=title, pictogram=pictogram or "1F4CB", owner_id=owner.id, versions=[version])
    session.add(checklist)
    record(session, owner, "checklist.create", None, title)
    session.flush()
    return checklist


_CHECKLIST_KEY = Key(Checklist.id, read=lambda c: (c.id,))


def library_page(session: Session, owner: User, after: tuple | None, limit: int) -> Page:
    """The owner's checklists that are not archived, by id."""
    return keyset(session, select(Checklist).where(Checklist.owner_id == owner.id, Checklist.archived_at.is_(None)),
                  _CHECKLIST_KEY, after, limit)


def library(session: Session, owner: User) -> list[Checklist]:
    return list(session.scalars(
        select(Checklist).where(Checklist.owner_id == owner.id, Checklist.archived_at.is_(None))
        .order_by(Checklist.title)))


def get_checklist(session: Session, checklist_id: int) -> Checklist:
    checklist = session.scalar(select(Checklist).options(
        selectinload(Checklist.versions).selectinload(ChecklistVersion.steps))
        .where(Checklist.id == checklist_id))
    if checklist is None:
        raise NotFound()
    return checklist


def update_checklist(session: Session, checklist: Checklist, *, title: str, pictogram: str,
                     workplace_id: int | None) -> None:
    title = clean_title(title)
    checklist.title, checklist.workplace_id = title, workplace_id
    checklist.pictogram = pictogram or checklist.pictogram
    session.flush()


def copy_checklist(session: Session, checklist: Checklist, owner: User, title: str) -> Checklist:
    source = checklist.versions[-1]
    copied = Checklist(title=title[:TITLE_MAX], pictogram=checklist.pictogram, owner_id=owner.id,
                       workplace_id=checklist.workplace_id)
    copied.versions.append(ChecklistVersion(number=1, steps=[
        ChecklistStep(position=s.position, text=s.text, pictogram=s.pictogram, hint=s.hint,
                      photo=s.photo) for s in source.steps]))
    session.add(copied)
    session.flush()
    return copied


def archive_checklist(session: Session, checklist: Checklist) -> None:
    checklist.archived_at = utcnow()
    session.flush()


def draft(session: Session, checklist: Checklist) -> ChecklistVersion:
    """The version being edited: the newest if not yet pushed, else a new copy of it."""
    newest = checklist.versions[-1]
    if newest.published_at is None:
        return newest
    copy = ChecklistVersion(checklist_id=checklist.id, number=newest.number + 1)
    copy.steps = [ChecklistStep(key=s.key, position=s.position, text=s.text, pictogram=s.pictogram,
                                hint=s.hint, photo=s.photo) for s in newest.steps]
    session.add(copy)
    session.flush()
    session.refresh(checklist)
    return copy


def _clean_step(text: str, hint: str, field: str = "text") -> tuple[str, str]:
    text = " ".join((text or "").split())
    if not text:
        raise Invalid(_l("Skriv hva arbeidstakeren skal gjøre."), field=field)
    if len(text) > STEP_MAX or len(hint or "") > STEP_MAX:
        raise Invalid(_l("Et steg kan ha høyst %(n)s tegn. Del det i to steg.", n=STEP_MAX), field=field)
    return text, (hint or "").strip()


def add_step(session: Session, checklist: Checklist, *, text: str, pictogram: str,
             hint: str = "", photo: str | None = None) -> ChecklistStep:
    text, hint = _clean_step(text, hint)
    version = draft(session, checklist)
    step = ChecklistStep(position=len(version.steps) + 1, text=text, pictogram=pictogram or "1F4CB",
                         hint=hint, photo=photo)
    version.steps.append(step)
    session.flush()
    return step


def same_picture_as_before(steps: list[ChecklistStep]) -> set[int]:
    """Positions of steps that show the same picture as the step before: after "Ferdig" the
    screen would look as if nothing happened. A photo is the picture when there is one."""
    pictures = [step.photo or step.pictogram for step in steps]
    return {steps[i].position for i in range(1, len(steps)) if pictures[i] == pictures[i - 1]}


def _draft_step(session: Session, checklist: Checklist, position: int) -> tuple[ChecklistVersion, ChecklistStep]:
    version = draft(session, checklist)
    for step in version.steps:
        if step.position == position:
            return version, step
    raise NotFound()


def move_step(session: Session, checklist: Checklist, position: int, up: bool) -> None:
    """Move a step one place up or down: buttons, never drag-only."""
    version, step = _draft_step(session, checklist, position)
    other_position = position - 1 if up else position + 1
    other = next((s for s in version.steps if s.position == other_position), None)
    if other is not None:
        step.position, other.position = other.position, step.position
        version.steps.sort(key=lambda s: s.position)
    session.flush()


def delete_step(session: Session, checklist: Checklist, position: int) -> None:
    version, step = _draft_step(session, checklist, position)
    version.steps.remove(step)
    for later in version.steps:
        if later.position > position:
            later.position -= 1
    session.flush()
