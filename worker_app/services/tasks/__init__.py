"""Checklists: the specialist's library, pushing them to workers, and doing them step by step.

One module per job: checklists (authoring and versions), pushing, runs (doing it), progress (for
the specialist) and fading (support levels and mastery claims). Everything other code uses is
re-exported here, so `from worker_app.services import tasks; tasks.push(...)` works.
"""

from __future__ import annotations

from ...models import Run
from .checklists import (
    NewStep,
    add_step,
    archive_checklist,
    clean_title,
    copy_checklist,
    create_checklist,
    create_with_steps,
    delete_step,
    draft,
    get_checklist,
    library,
    library_page,
    move_step,
    same_picture_as_before,
    update_checklist,
)
from .fading import claim, decide, levels_for, open_claims, set_level, shown_steps
from .progress import Progress, RunSummary, done_by_run, progress_of
from .pushing import KEEP, REPLACE, AlreadyGiven, active_assignment, push, withdraw
from .runs import (
    DayTask,
    Leader,
    RunRow,
    TodayTask,
    ask_help_on_step,
    assignment_and_leader,
    assignment_of,
    done_steps,
    for_day,
    open_run,
    required_steps,
    runs_page,
    tick,
    titles_for_day,
    todays_assignment_id,
    todays_run,
    undo,
)

__all__ = [
    "KEEP", "REPLACE", "AlreadyGiven", "Leader", "NewStep", "Progress", "Run", "RunRow", "RunSummary",
    "DayTask", "TodayTask", "active_assignment", "add_step",
    "archive_checklist", "ask_help_on_step", "assignment_and_leader", "assignment_of", "claim",
    "clean_title", "copy_checklist", "create_checklist", "create_with_steps", "decide",
    "delete_step", "done_by_run", "done_steps", "draft", "for_day", "get_checklist", "levels_for",
    "library", "library_page", "move_step", "open_claims", "open_run", "progress_of", "push",
    "required_steps", "runs_page", "same_picture_as_before", "set_level", "shown_steps", "tick",
    "titles_for_day", "todays_assignment_id", "todays_run", "undo", "update_checklist", "withdraw",
]
