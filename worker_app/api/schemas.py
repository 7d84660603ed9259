"""What the API accepts and answers, as pydantic models.

The same models validate requests, serialise answers and make the OpenAPI document (see
spec.py). Request models forbid unknown fields, so a typo is a 422 and not silently ignored.
Answers are built field by field from the database rows, never from a row's __dict__: in an
`of` class method where several operations share the model, else in the one view that answers it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, create_model

from ..services.limits import NOTE_MAX, STEP_MAX, STEPS_MAX, TITLE_MAX, TITLE_MIN
from ..services.schedule import oslo

MAX_ID = 2**31 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
_NO_CONTROL = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"


def _encodable(text: str) -> str:
    text.encode("utf-8")  # a lone surrogate raises UnicodeEncodeError, a ValueError: a 422
    return text


def text(max_length: int, min_length: int = 0):
    """A string without control characters, which no database column here should hold."""
    return Annotated[str, Field(min_length=min_length, max_length=max_length, pattern=_NO_CONTROL),
                     AfterValidator(_encodable)]


def _in_range(moment: datetime | date) -> datetime | date:
    if not 2000 <= moment.year <= 2100:
        raise ValueError("must be between the years 2000 and 2100")
    return moment


When = Annotated[AwareDatetime, AfterValidator(_in_range)]
Day = Annotated[date, AfterValidator(_in_range)]
Pictogram = Annotated[str, Field(pattern=r"^[0-9A-F]{4,6}(-[0-9A-F]{4,6}){0,5}$", max_length=40,
                                 description="An OpenMoji code, e.g. 1F9F9 (broom).")]


class Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Output(BaseModel):
    pass


def page_of(item: type[Output]) -> type[Output]:
    """A page of a list: the items and the cursor for the next page (null on the last page)."""
    return create_model(f"{item.__name__}Page", __base__=Output, items=(list[item], ...),
                        next_cursor=(str | None, Field(description="Pass as `cursor` for the next page.")))


def _local(moment: datetime | None) -> datetime | None:
    return oslo(moment) if moment is not None else None


# Errors (RFC 9457) ------------------------------------------------------------------------------


class FieldProblem(Output):
    detail: str
    pointer: str | None = Field(None, description="JSON pointer into the request body.")
    parameter: str | None = Field(None, description="The query or path parameter.")


class Problem(Output):
    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    errors: list[FieldProblem] | None = None


# Query parameters -------------------------------------------------------------------------------


class PageQuery(Input):
    limit: int = Field(50, ge=1, le=200)
    cursor: str | None = Field(None, max_length=200)


class ShiftQuery(PageQuery):
    model_config = ConfigDict(populate_by_name=True)
    from_: When = Field(alias="from", description="Shifts that end after this time.")
    to: When = Field(description="Shifts that start before this time. At most 400 days after `from`.")


class HelpQuery(PageQuery):
    handled: bool = Field(False, description="true: handled requests; false: open ones.")


# People -----------------------------------------------------------------------------------------


class WorkplaceOut(Output):
    id: int
    name: str


class WorkerOut(Output):
    id: int
    name: str
    workplace: WorkplaceOut | None

    @classmethod
    def of(cls, user) -> WorkerOut:
        place = user.workplace
        return cls(id=user.id, name=user.name,
                   workplace=WorkplaceOut(id=place.id, name=place.name) if place else None)


# Shifts -----------------------------------------------------------------------------------------


class ShiftIn(Input):
    starts_at: When
    ends_at: When
    note: text(NOTE_MAX) = ""


class ShiftPatch(Input):
    starts_at: When | None = None
    ends_at: When | None = None
    note: text(NOTE_MAX) | None = None


class ShiftOut(Output):
    id: int
    worker_id: int
    starts_at: datetime
    ends_at: datetime
    note: str
    cancelled: bool
    changed_at: datetime | None
    external_source: str | None
    external_id: str | None

    @classmethod
    def of(cls, shift) -> ShiftOut:
        return cls(id=shift.id, worker_id=shift.worker_id, starts_at=oslo(shift.starts_at),
                   ends_at=oslo(shift.ends_at), note=shift.note, cancelled=shift.cancelled_at is not None,
                   changed_at=_local(shift.changed_at), external_source=shift.external_source,
                   external_id=shift.external_id)


class RosterShiftIn(Input):
    external_id: text(100, min_length=1) = Field(description="The employer's own id of the shift.")
    worker_id: Id
    starts_at: When
    ends_at: When
    note: text(NOTE_MAX) = ""
    cancelled: bool = False


class RosterIn(Input):
    source: str = Field(pattern=r"^[A-Za-z0-9._:-]{1,60}$",
                        description="Names the sending system. An external id is unique per source for "
                                    "each token owner: another owner's ids never clash with yours.")
    shifts: list[RosterShiftIn] = Field(max_length=2000)


class RosterEntryOut(Output):
    external_id: str
    id: int


class RosterOut(Output):
    created: int
    updated: int
    unchanged: int
    shifts: list[RosterEntryOut]


# Checklists -------------------------------------------------------------------------------------


class StepIn(Input):
    text: text(STEP_MAX, min_length=1)
    hint: text(STEP_MAX) = ""
    pictogram: Pictogram = "1F4CB"


class ChecklistIn(Input):
    title: text(TITLE_MAX, min_length=TITLE_MIN)
    pictogram: Pictogram = "1F4CB"
    steps: list[StepIn] = Field(min_length=1, max_length=STEPS_MAX)


class StepOut(Output):
    key: str = Field(description="The same step in every version of its checklist.")
    position: int
    text: str
    hint: str
    pictogram: str
    has_photo: bool


class ChecklistSummaryOut(Output):
    id: int
    title: str
    pictogram: str


class ChecklistOut(ChecklistSummaryOut):
    version: int
    pushed: bool = Field(description="true when this version has been pushed and is frozen.")
    steps: list[StepOut]

    @classmethod
    def of(cls, checklist) -> ChecklistOut:
        newest = checklist.versions[-1]
        return cls(id=checklist.id, title=checklist.title, pictogram=checklist.pictogram,
                   version=newest.number, pushed=newest.published_at is not None,
                   steps=[StepOut(key=s.key, position=s.position, text=s.text, hint=s.hint,
                                  pictogram=s.pictogram, has_photo=bool(s.photo)) for s in newest.steps])


class AssignmentIn(Input):
    worker_ids: list[Id] = Field(min_length=1, max_length=100)
    on_date: Day | None = Field(None, description="Once, on this day.")
    weekdays: list[Annotated[int, Field(ge=0, le=6)]] = Field(
        [], max_length=7, description="Or on these weekdays (Monday = 0).")
    every_shift: bool = Field(False, description="Or on every day the worker has a shift.")
    on_clash: Literal["keep", "replace"] | None = Field(None, description=(
        "When a worker already has this checklist on one of the days: keep that one (the worker "
        "gets nothing new) or replace it (it ends; its runs stay). Without it, the answer is 409."))


class AssignmentOut(Output):
    id: int
    worker_id: int
    checklist_id: int
    version: int
    on_date: date | None
    weekdays: list[int]
    every_shift: bool

    @classmethod
    def of(cls, assignment, checklist_id: int, version: int) -> AssignmentOut:
        return cls(id=assignment.id, worker_id=assignment.worker_id, checklist_id=checklist_id,
                   version=version, on_date=assignment.on_date,
                   weekdays=[int(d) for d in assignment.weekdays], every_shift=assignment.every_shift)


class AssignmentList(Output):
    items: list[AssignmentOut]


class RunOut(Output):
    id: int
    assignment_id: int
    checklist_id: int
    checklist_title: str
    version: int
    day: date
    started_at: datetime
    finished_at: datetime | None
    steps_done: int
    steps_total: int


# Events, lessons, help --------------------------------------------------------------------------


class EventOut(Output):
    id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    place: str
    capacity: int | None
    signup_deadline: datetime | None
    invite_only: bool
    cancelled: bool
    going: int
    waiting: int


class SignupOut(Output):
    id: int
    state: Literal["going", "waiting", "cancelled"]
    name: str
    guest: bool = Field(description="An invited guest, not a worker in the programme.")
    worker_id: int | None
    queued_at: datetime


class SignupList(Output):
    items: list[SignupOut]


class LessonProgressOut(Output):
    lesson: str = Field(description="The lesson's stable name.")
    title: str = Field(description="The title in Norwegian Bokmål.")
    state: Literal["new", "started", "done"]
    recommended: bool
    started_at: datetime | None
    done_at: datetime | None


class LessonProgressList(Output):
    items: list[LessonProgressOut]


class HelpRequestOut(Output):
    id: int
    worker_id: int
    reason: Literal["sad", "unsafe", "task", "late", "sick"]
    step_id: int | None
    created_at: datetime
    handled_at: datetime | None
    handled_by_id: int | None

    @classmethod
    def of(cls, row) -> HelpRequestOut:
        return cls(id=row.id, worker_id=row.worker_id, reason=row.reason, step_id=row.step_id,
                   created_at=oslo(row.created_at), handled_at=_local(row.handled_at),
                   handled_by_id=row.handled_by_id)


WorkerPage = page_of(WorkerOut)
ShiftPage = page_of(ShiftOut)
ChecklistPage = page_of(ChecklistSummaryOut)
RunPage = page_of(RunOut)
EventPage = page_of(EventOut)
HelpRequestPage = page_of(HelpRequestOut)
