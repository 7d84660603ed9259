"""The API pushes by the same rules as the page (issue 16, item 8)."""

from tests.web.test_library_forms import _checklist


def test_the_api_refuses_a_day_that_has_been(app, api, people):
    checklist_id = _checklist(app, people)
    answer = api.post(f"/api/v1/checklists/{checklist_id}/assignments",
                      {"worker_ids": [people.worker.id], "on_date": "2020-03-02"})
    assert answer.status_code == 422
    assert [e["pointer"] for e in answer.json["errors"]] == ["/on_date"]


def test_the_api_keeps_the_one_that_is_there_when_told(app, api, people):
    checklist_id = _checklist(app, people)
    url = f"/api/v1/checklists/{checklist_id}/assignments"
    body = {"worker_ids": [people.worker.id], "weekdays": [4]}
    assert api.post(url, body).status_code == 201
    clash = api.post(url, {**body, "worker_ids": [people.worker.id, people.second_worker.id]})
    assert clash.status_code == 409
    kept = api.post(url, {**body, "worker_ids": [people.worker.id, people.second_worker.id], "on_clash": "keep"})
    assert kept.status_code == 201
    assert [a["worker_id"] for a in kept.json["items"]] == [people.second_worker.id]
