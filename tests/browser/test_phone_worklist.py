"""A housing officer's worklist and case page on a phone (390 px): each case and each blocker is a stacked
card of labelled rows, not a table squeezed until its headings break letter by letter ("Pat/ien/t")."""

from __future__ import annotations

import pytest

from homeward.discharge.models import DischargeCase
from tests.browser.conftest import axe_violations, screenshot
from tests.browser.test_phone_and_offline import PHONE, _sign_in, _world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _stacked_labels(page, table: str) -> list[dict]:
    """Each responsive row label in `table`: its text, whether shown, and on how many lines it is drawn."""
    return page.eval_on_selector_all(
        f"{table} .nhsuk-table-responsive__heading",
        """els => els.map(e => {
            const range = document.createRange(); range.selectNodeContents(e);
            const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
            return {text: e.innerText.trim(), shown: e.offsetParent !== null, lines: tops.size};
        })""",
    )


def test_the_worklist_and_the_blockers_are_cards_of_whole_words_at_390_px(browser, live_server):
    _world()
    context = browser.new_context(viewport=PHONE, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        _sign_in(page, live_server, "lead")
        page.goto(f"{live_server.url}/discharge/?view=all")
        labels = _stacked_labels(page, ".hw-worklist")
        assert {label["text"] for label in labels} >= {"Patient", "Status", "Discharge-ready", "Next due"}
        assert all(label["shown"] and label["lines"] == 1 for label in labels), labels
        # The column headings give way to the labels (visually hidden, still read by a screen reader).
        assert (
            page.evaluate("document.querySelector('.hw-worklist thead').getBoundingClientRect().height") <= 1
        )
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert axe_violations(page) == []
        screenshot(page, "worklist-phone")

        case = DischargeCase.objects.order_by("pk").first()
        page.goto(f"{live_server.url}/discharge/cases/{case.pk}/")
        labels = _stacked_labels(page, ".hw-blockers")
        assert {label["text"] for label in labels} == {"What", "Owner", "Due", "Resolved"}
        assert all(label["shown"] and label["lines"] == 1 for label in labels), labels
        resolve = page.get_by_role("button", name="Resolve").first
        box = resolve.bounding_box()
        assert box is not None and box["height"] <= 48  # "Resolve" on one line, not "Resolv/e"
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        screenshot(page, "case-blockers-phone")
    finally:
        context.close()


def test_search_results_are_cards_of_whole_words_at_390_px(browser, live_server):
    _world()  # six "Featherstonehaugh-Montgomery" patients of "Northgate Hospitals NHS Foundation Trust"
    context = browser.new_context(viewport=PHONE, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        _sign_in(page, live_server, "nurse")
        page.goto(f"{live_server.url}/people/?q=featherstonehaugh")
        labels = _stacked_labels(page, ".hw-search-results")
        assert {label["text"] for label in labels} == {
            "Name",
            "Date of birth",
            "NHS number",
            "Postcode",
            "Held by",
        }
        assert all(label["shown"] and label["lines"] == 1 for label in labels), labels
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert axe_violations(page) == []
        screenshot(page, "search-results-phone")
    finally:
        context.close()
