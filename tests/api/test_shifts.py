"""Shifts through the API: one at a time, and an employer's whole roster."""

from __future__ import annotations

from sqlalchemy import func, select

from worker_app.extensions import db
from worker_app.models import Notice, Shift

RANGE = "from=2030-01-01T00:00:00%2B01:00&to=2030-02-01T00:00:00%2B01:00"


def shift(day: int, start: str = "09:00", end: str = "12:00", **more) -> dict:
    return {"starts_at": f"2030-01-{day:02d}T{start}:00+01:00", "ends_at": f"2030-01-{day:02d}T{end}:00+01:00",
            **more}


def test_add_list_move_and_cancel_a_shift(app, api, people):
    worker = people.worker.id
    made = api.post(f"/api/v1/workers/{worker}/shifts", shift(7, note="Ta med nøkkel-kort."))
    assert made.status_code == 201
    assert made.json["starts_at"] == "2030-01-07T09:00:00+01:00" and made.json["note"] == "Ta med nøkkel-kort."

    listed = api.get(f"/api/v1/workers/{worker}/shifts?{RANGE}").json["items"]
    assert [s["id"] for s in listed] == [made.json["id"]]

    moved = api.patch(f"/api/v1/shifts/{made.json['id']}", {"starts_at": "2030-01-07T10:00:00+01:00"})
    assert moved.status_code == 200
    assert moved.json["starts_at"] == "2030-01-07T10:00:00+01:00" and moved.json["changed_at"]

    assert api.delete(f"/api/v1/shifts/{made.json['id']}").status_code == 204
    assert api.get(f"/api/v1/shifts/{made.json['id']}").json["cancelled"] is True
    with app.app_context():
        kinds = db.session.scalars(select(Notice.kind).where(Notice.user_id == worker)).all()
    assert sorted(kinds) == ["shift_cancelled", "shift_changed"]


def test_the_worker_sees_a_shift_the_api_added(api, people, sign_in, app):
    from datetime import UTC, datetime, timedelta

    from worker_app.services.schedule import oslo

    tomorrow = oslo(datetime.now(UTC)).date() + timedelta(days=1)
    api.post(f"/api/v1/workers/{people.worker.id}/shifts", {
        "starts_at": f"{tomorrow}T09:00:00+01:00", "ends_at": f"{tomorrow}T11:30:00+01:00"})
    client = app.test_client()
    sign_in(client, people.worker)
    assert "11:30" in client.get("/shifts").text


def test_an_overlapping_shift_is_a_409_and_a_bad_one_a_422_naming_the_field(api, people):
    url = f"/api/v1/workers/{people.worker.id}/shifts"
    api.post(url, shift(7))
    clash = api.post(url, shift(7, "11:00", "14:00"))
    assert clash.status_code == 409 and clash.json["errors"][0]["pointer"] == "/starts_at"

    backwards = api.post(url, shift(8, "12:00", "09:00"))
    assert backwards.status_code == 422 and backwards.json["errors"][0]["pointer"] == "/ends_at"

    no_offset = api.post(url, {"starts_at": "2030-01-08T09:00:00", "ends_at": "2030-01-08T12:00:00"})
    assert no_offset.status_code == 422
    assert {e["pointer"] for e in no_offset.json["errors"]} == {"/starts_at", "/ends_at"}

    typo = api.post(url, {**shift(8), "nots": "x"})
    assert typo.status_code == 422 and typo.json["errors"][0]["pointer"] == "/nots"

    string_number = api.post("/api/v1/shifts/bulk", {"source": "x", "shifts": [
        {"external_id": "1", "worker_id": str(people.worker.id), **shift(9)}]})
    assert string_number.status_code == 422
    assert string_number.json["errors"][0]["pointer"] == "/shifts/0/worker_id"


def test_the_list_pages_with_a_cursor(api, people):
    url = f"/api/v1/workers/{people.worker.id}/shifts"
    for day in range(1, 8):
        api.post(url, shift(day))
    seen, cursor = [], None
    while True:
        page = api.get(f"{url}?{RANGE}&limit=3" + (f"&cursor={cursor}" if cursor else "")).json
        seen += [s["starts_at"][:10] for s in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == [f"2030-01-{d:02d}" for d in range(1, 8)]
    bad = api.get(f"{url}?{RANGE}&cursor=nonsense")
    assert bad.status_code == 422 and bad.json["errors"][0]["parameter"] == "cursor"
    assert api.get(f"{url}?from=2030-01-01T00:00:00Z").status_code == 422  # `to` missing


# The roster upload --------------------------------------------------------------------------------


def roster(people, **changes) -> dict:
    rows = [
        {"external_id": "R-1", "worker_id": people.worker.id, **shift(7)},
        {"external_id": "R-2", "worker_id": people.worker.id, **shift(8)},
        {"external_id": "R-3", "worker_id": people.second_worker.id, **shift(7, note="Kasse 2")},
    ]
    for index, change in changes.items():
        rows[int(index[1:])].update(change)
    return {"source": "kiwi-nygardsgaten", "shifts": rows}


def _state(app):
    with app.app_context():
        shifts = db.session.execute(select(Shift.id, Shift.starts_at, Shift.ends_at, Shift.note, Shift.changed_at,
                                           Shift.cancelled_at).order_by(Shift.id)).all()
        notices = db.session.scalar(select(func.count()).select_from(Notice))
    return shifts, notices


def test_sending_the_same_roster_twice_changes_nothing_the_second_time(app, api, people):
    first = api.post("/api/v1/shifts/bulk", roster(people))
    assert first.status_code == 200
    assert (first.json["created"], first.json["updated"], first.json["unchanged"]) == (3, 0, 0)
    before = _state(app)
    second = api.post("/api/v1/shifts/bulk", roster(people))
    assert (second.json["created"], second.json["updated"], second.json["unchanged"]) == (0, 0, 3)
    assert second.json["shifts"] == first.json["shifts"]
    assert _state(app) == before


def test_a_changed_row_updates_its_shift_and_tells_the_worker(app, api, people):
    api.post("/api/v1/shifts/bulk", roster(people))
    changed = api.post("/api/v1/shifts/bulk", roster(people, r1=shift(8, "13:00", "16:00"),
                                                      r2={"cancelled": True}))
    assert (changed.json["created"], changed.json["updated"], changed.json["unchanged"]) == (0, 2, 1)
    with app.app_context():
        kinds = sorted(db.session.scalars(select(Notice.kind).where(
            Notice.user_id.in_([people.worker.id, people.second_worker.id]))))
    assert kinds == ["shift_cancelled", "shift_changed"]
    listed = api.get(f"/api/v1/workers/{people.worker.id}/shifts?{RANGE}").json["items"]
    assert [(s["external_id"], s["starts_at"][11:16]) for s in listed] == [("R-1", "09:00"), ("R-2", "13:00")]


def test_a_roster_with_one_bad_row_changes_nothing_and_names_the_row(app, api, people):
    api.post("/api/v1/shifts/bulk", roster(people))
    before = _state(app)
    bad = roster(people, r0=shift(9), r2=shift(7, "12:00", "09:00"))
    answer = api.post("/api/v1/shifts/bulk", bad)
    assert answer.status_code == 422
    assert answer.json["errors"][0]["pointer"] == "/shifts/2/ends_at"
    assert _state(app) == before

    clash = roster(people, r1=shift(7, "10:00", "13:00"))  # overlaps row 0 of the same worker
    answer = api.post("/api/v1/shifts/bulk", clash)
    assert answer.status_code == 409 and answer.json["errors"][0]["pointer"].startswith("/shifts/")
    assert _state(app) == before

    twice = roster(people, r1={"external_id": "R-1"})
    answer = api.post("/api/v1/shifts/bulk", twice)
    assert answer.status_code == 422 and answer.json["errors"][0]["pointer"] == "/shifts/1/external_id"
    assert _state(app) == before


def test_another_specialists_roster_ids_neither_block_nor_show(app, api, api_as, people):
    # Per owner: Per's R-1 (for his worker) is not Kari's R-1, and Kari's answer is the same
    # as if Per's did not exist.
    other = api_as(people.other_specialist)
    theirs = other.post("/api/v1/shifts/bulk", {"source": "kiwi-nygardsgaten", "shifts": [
        {"external_id": "R-1", "worker_id": people.stranger_worker.id, **shift(7)}]})
    assert theirs.status_code == 200
    before = _state(app)[0][0]
    answer = api.post("/api/v1/shifts/bulk", roster(people))
    assert answer.status_code == 200
    assert (answer.json["created"], answer.json["updated"], answer.json["unchanged"]) == (3, 0, 0)
    assert theirs.json["shifts"][0]["id"] not in [s["id"] for s in answer.json["shifts"]]
    assert _state(app)[0][0] == before  # Per's shift is untouched
    with app.app_context():
        owners = db.session.execute(select(Shift.external_owner_id, Shift.worker_id).where(
            Shift.external_id == "R-1").order_by(Shift.id)).all()
    assert owners == [(people.other_specialist.id, people.stranger_worker.id),
                      (people.specialist.id, people.worker.id)]
    # Each sends again: both unchanged, each on its own key.
    assert other.post("/api/v1/shifts/bulk", {"source": "kiwi-nygardsgaten", "shifts": [
        {"external_id": "R-1", "worker_id": people.stranger_worker.id, **shift(7)}]}).json["unchanged"] == 1
    assert api.post("/api/v1/shifts/bulk", roster(people)).json["unchanged"] == 3


def test_a_specialist_who_takes_over_a_worker_takes_over_the_employers_roster(app, api, api_as, people):
    from worker_app.models import Follows

    other = api_as(people.other_specialist)
    sent = other.post("/api/v1/shifts/bulk", {"source": "hotel", "shifts": [
        {"external_id": "H-9", "worker_id": people.stranger_worker.id, **shift(7)}]}).json["shifts"][0]["id"]
    with app.app_context():  # the caseload is handed over: Kari follows Jonas now, Per doesn't
        db.session.query(Follows).filter_by(worker_id=people.stranger_worker.id).delete()
        db.session.add(Follows(specialist_id=people.specialist.id, worker_id=people.stranger_worker.id))
        db.session.commit()
    moved = api.post("/api/v1/shifts/bulk", {"source": "hotel", "shifts": [
        {"external_id": "H-9", "worker_id": people.stranger_worker.id, **shift(7, "10:00", "13:00")}]})
    assert moved.status_code == 200 and (moved.json["created"], moved.json["updated"]) == (0, 1)
    assert moved.json["shifts"][0]["id"] == sent  # the same shift, no duplicate
    with app.app_context():
        assert db.session.get(Shift, sent).external_owner_id == people.specialist.id
    # Per's token no longer reaches it: his upload makes his own shift, and fails only because
    # Jonas is no longer his worker.
    again = other.post("/api/v1/shifts/bulk", {"source": "hotel", "shifts": [
        {"external_id": "H-9", "worker_id": people.stranger_worker.id, **shift(7)}]})
    assert again.status_code == 403 and again.json["errors"][0]["pointer"] == "/shifts/0/worker_id"


def test_the_same_owners_roster_overlapping_its_shift_elsewhere_is_a_409(app, api, people):
    api.post("/api/v1/shifts/bulk", roster(people))
    clash = api.post("/api/v1/shifts/bulk", {"source": "another-shop", "shifts": [
        {"external_id": "R-1", "worker_id": people.worker.id, **shift(7, "10:00", "11:00")}]})
    assert clash.status_code == 409 and clash.json["errors"][0]["pointer"] == "/shifts/0/starts_at"


def test_a_roster_row_for_an_unknown_worker_is_named(api, people):
    answer = api.post("/api/v1/shifts/bulk", roster(people, r2={"worker_id": 999999}))
    assert answer.status_code == 422 and answer.json["errors"][0]["pointer"] == "/shifts/2/worker_id"


def test_a_forged_cursor_is_a_422_not_a_500(api, people):
    import base64
    import json

    url = f"/api/v1/workers/{people.worker.id}/shifts?{RANGE}&cursor="
    for forged in (["0001-01-01T00:00:00", 1], ["2030-01-01T00:00:00Z", "x"], {"a": 1}, [1], "x"):
        cursor = base64.urlsafe_b64encode(json.dumps(forged).encode()).decode().rstrip("=")
        assert api.get(url + cursor).status_code in (200, 422), forged


def test_cursors_with_ids_or_times_out_of_range_are_422(api, people):
    import base64
    import json

    def cursor(value) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")

    assert api.get("/api/v1/workers?cursor=" + cursor([10**20])).status_code == 422
    assert api.get("/api/v1/workers?cursor=" + cursor([True])).status_code == 422
    shifts = f"/api/v1/workers/{people.worker.id}/shifts?{RANGE}&cursor="
    assert api.get(shifts + cursor(["2030-01-01T00:00:00+00:00", 2**31])).status_code == 422
    assert api.get(shifts + cursor(["2030-01-01T00:00:00", 1])).status_code == 422  # no time zone
    assert api.get(shifts + cursor(["9999-12-31T23:59:59+00:00", 1])).status_code == 422


def test_a_rule_about_a_query_parameter_names_the_parameter(api, people):
    answer = api.get(f"/api/v1/workers/{people.worker.id}/shifts?from=2030-01-01T00:00:00Z&to=2032-01-01T00:00:00Z")
    assert answer.status_code == 422 and answer.json["errors"][0] == {
        "parameter": "to", "detail": "Høyst 400 dager om gangen."}


def test_an_empty_change_tells_nobody(app, api, people):
    made = api.post(f"/api/v1/workers/{people.worker.id}/shifts", shift(7)).json
    assert api.patch(f"/api/v1/shifts/{made['id']}", {}).json["changed_at"] is None
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Notice)) == 0


def test_a_shift_given_to_another_worker_tells_the_first_one_it_is_off(app, api, people):
    api.post("/api/v1/shifts/bulk", roster(people))
    moved = api.post("/api/v1/shifts/bulk", roster(people, r0={"worker_id": people.second_worker.id,
                                                              **shift(9)}))
    assert (moved.json["updated"], moved.json["unchanged"]) == (1, 2)
    with app.app_context():
        notices = db.session.execute(select(Notice.user_id, Notice.kind)).all()
        moved_shift = db.session.scalar(select(Shift).where(Shift.external_id == "R-1"))
        assert moved_shift.worker_id == people.second_worker.id
    # Ola, and Anne, whom Ola lets see his shifts; Emma gets it as a new shift, without a notice.
    assert sorted(notices) == sorted([(people.worker.id, "shift_cancelled"), (people.supporter.id, "shift_cancelled")])


def test_a_cancelled_row_frees_its_time_for_another_row(api, people):
    api.post("/api/v1/shifts/bulk", roster(people))
    swapped = roster(people, r0={"cancelled": True})
    swapped["shifts"].append({"external_id": "R-4", "worker_id": people.worker.id, **shift(7)})
    answer = api.post("/api/v1/shifts/bulk", swapped)
    assert answer.status_code == 200 and answer.json["created"] == 1


def test_two_uploads_of_the_same_new_shift_at_once_give_409_not_500(app, people):
    """The second upload read 'no such shift' before the first one committed it."""
    from datetime import datetime

    import pytest

    from worker_app.models import User
    from worker_app.services import schedule
    from worker_app.services.errors import Conflict

    with app.app_context():
        worker = db.session.get(User, people.worker.id)
        by = db.session.get(User, people.specialist.id)

        def row():
            return schedule.RosterRow("R-1", worker, datetime.fromisoformat("2030-01-07T09:00:00+01:00"),
                                      datetime.fromisoformat("2030-01-07T12:00:00+01:00"))

        schedule.upsert_roster(db.session, by=by, source="hotel", rows=[row()], existing={})
        db.session.commit()  # the first upload's request
        with pytest.raises(Conflict):
            schedule.upsert_roster(db.session, by=by, source="hotel", rows=[row()], existing={})
        db.session.rollback()  # the second one's error answer
        assert db.session.scalar(select(func.count()).select_from(Shift)) == 1
