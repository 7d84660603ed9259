"""Early signs on "Mine arbeidstakere" in Chromium at 360×740: the sign with its reason and
date, a note being written survives the list asking for itself every 20 seconds, and "Merk som
sett" swaps only that sign. axe on each state."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_page
from tests.browser.test_journeys import sign_in_staff
from worker_app.extensions import db
from worker_app.models import HelpRequest, SignSeen

pytestmark = pytest.mark.browser


def test_a_sign_is_marked_as_seen_with_a_note(page, live_server, app, people):
    with app.app_context():
        at = datetime.now(UTC) - timedelta(hours=1)
        db.session.add_all([HelpRequest(worker_id=people.worker.id, reason="question", created_at=at)
                            for _ in range(3)])
        db.session.commit()
    sign_in_staff(page, live_server, people.specialist)
    sign = page.locator(f"#sign-{people.worker.id}-help_more")
    expect(sign).to_contain_text("3 hjelpe-meldinger de siste 7 dagene.")
    # Ola's row, with the sign, comes before Emma's.
    names = page.locator(".caseload__name").all_inner_texts()
    assert names.index("Ola Johansen") < names.index("Emma Larsen")
    check_page(page, "the caseload with a sign")
    sign.locator("summary").click()
    note = sign.get_by_label("Notat (valgfritt)")
    note.fill("Ringte Ola. Han har fått ny leder.")
    page.screenshot(path="test-artifacts/early-sign.png", full_page=True)
    check_page(page, "the sign's note open")
    # The list asks for itself every 20 seconds: the note being written stays.
    with page.expect_response(lambda r: r.url.endswith("/staff/caseload"), timeout=30000):
        pass
    expect(note).to_have_value("Ringte Ola. Han har fått ny leder.")
    sign.get_by_role("button", name="Lagre").click()
    expect(sign).to_contain_text("Merket som sett: Flere hjelpe-meldinger enn vanlig")
    check_page(page, "the sign marked as seen")
    with app.app_context():
        assert db.session.query(SignSeen.note).scalar() == "Ringte Ola. Han har fått ny leder."
    page.reload()
    expect(page.locator("main")).not_to_contain_text("hjelpe-meldinger de siste 7 dagene")
