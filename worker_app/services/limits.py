"""Limits on what people type, written once: the WTForms forms, the services and the API's
pydantic schemas all import them, so a page and the API refuse the same input."""

NOTE_MAX = 200  # a shift's (or a repeating rule's) note to the worker
TITLE_MIN, TITLE_MAX = 2, 120  # a checklist's name
STEP_MAX = 300  # a checklist step's text, and its hint
STEPS_MAX = 60  # steps in one checklist sent at once (the API)

# The job specialist's year (issue 16).
WORKPLACE_NAME_MAX = 160
ADDRESS_MAX = 300
PERSON_NAME_MAX = 160  # a leader's or a fadder's name; a new worker's name
EMAIL_MAX = 254
WORKPLACE_NOTES_MAX = 2000  # what the workplace's tasks are
MEETING_NOTE_MAX = 1000  # a meeting's note, and its agreed next steps
PLAN_MAX = 200  # the intended visit frequency, now and next
PLAN_FROM_MAX = 60  # when the next frequency starts, e.g. "fra oktober"
TRIAL_WEEKS_DEFAULT = 4
TRIAL_WEEKS_MAX = 26  # six months
NEXT_MEETING_MAX_DAYS = 366  # a next meeting further ahead is a typing mistake
