"""Limits on what people type, written once: the WTForms forms, the services and the API's
pydantic schemas all import them, so a page and the API refuse the same input."""

NOTE_MAX = 200  # a shift's (or a repeating rule's) note to the worker
TITLE_MIN, TITLE_MAX = 2, 120  # a checklist's name
STEP_MAX = 300  # a checklist step's text, and its hint
STEPS_MAX = 60  # steps in one checklist sent at once (the API)
PHONE_MAX = 30  # a phone number as typed (spaces, dashes, +47); stored as 8 digits
