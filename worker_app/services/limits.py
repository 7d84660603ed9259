"""Limits on what people type, written once: the WTForms forms, the services and the API's
pydantic schemas all import them, so a page and the API refuse the same input. Each fits the
database column it ends up in (a longer value would be an error on PostgreSQL)."""

NOTE_MAX = 200  # a shift's (or a repeating rule's) note to the worker
TITLE_MIN, TITLE_MAX = 2, 120  # a checklist's name
STEP_MAX = 300  # a checklist step's text, and its hint
STEPS_MAX = 60  # steps in one checklist sent at once (the API)

NAME_MAX = 160  # a person's name (users.name)
EMAIL_MAX = 254  # the longest e-mail address RFC 5321 allows
PASSWORD_MAX = 200  # what argon2 is given; only its hash is stored
RELATION_MAX = 80  # who a support person is for the worker ("mor", "fadder")
GUEST_NAME_MIN, GUEST_NAME_MAX = 2, 120  # an invited guest's name
PHONE_MAX = 30  # a phone number as typed (spaces, dashes, +47): a guest's, a worker's
SAFETY_NUMBER_MAX = 40
SAFETY_TEXT_MAX = 600  # the safety number's text, per language
EVENT_TITLE_MAX = 120
EVENT_TEXT_MAX = 2000  # an event's description
PLACE_MAX = 160
MEETING_POINT_MAX = 200
TOKEN_NAME_MAX = 80  # an API token's name
SHORT_MAX = 20  # a date, a time of day or a number typed as text: parsed by the services
PICTOGRAM_MAX = 40  # an OpenMoji code such as 1F9F9
PHOTO_NAME_MAX = 40  # a stored photo's name (services/photos), as the models store it

# The job specialist's year (issue 16).
WORKPLACE_NAME_MAX = 160
ADDRESS_MAX = 300
PERSON_NAME_MAX = 160  # a leader's or a fadder's name; a new worker's name
WORKPLACE_NOTES_MAX = 2000  # what the workplace's tasks are
MEETING_NOTE_MAX = 1000  # a meeting's note, and its agreed next steps
PLAN_MAX = 200  # the intended visit frequency, now and next
PLAN_FROM_MAX = 60  # when the next frequency starts, e.g. "fra oktober"
TRIAL_WEEKS_DEFAULT = 4
TRIAL_WEEKS_MAX = 26  # six months
NEXT_MEETING_MAX_DAYS = 366  # a next meeting further ahead is a typing mistake
SIGN_NOTE_MAX = 500  # the specialist's note when marking an early sign as seen
CHECKIN_NOTE_MAX = 300  # "Vil du si mer?" at the end of the check-in
