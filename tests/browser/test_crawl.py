"""A crawl as every role: from the home page, every page reachable by GET through the links the pages show
(bounded per URL shape), at 390 px. It fails on any 4xx/5xx reached from a shown link, a console error, a
request to a host other than Homeward, a page wider than the phone, or "None"/"nan" in the page's text."""

from __future__ import annotations

import re
from collections import deque
from urllib.parse import urljoin, urlparse

import pytest

from homeward.core.roles import Role
from tests.browser.test_phone_and_offline import PHONE, _sign_in, _world
from tests.factories import MembershipFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PER_ROLE = 40  # pages per role
PER_SHAPE = 2  # pages per URL shape (ids replaced by N)
SKIP = re.compile(
    r"^/(admin|api|fhir|openreferral|static)/|/account/sign-out/|\.(csv|pdf|xlsx|json)(\?|$)|format="
)
WORDS = re.compile(r"\b(None|nan)\b")


def _shape(path: str) -> str:
    return re.sub(r"\d+", "N", path)


def test_every_role_crawls_without_errors(browser, live_server):
    _world()
    from homeward.core.models import Membership

    trust = Membership.objects.get(user__username="nurse").organisation
    homes = Membership.objects.get(user__username="lead").organisation
    for username, role, organisation in (
        ("officer", Role.CASEWORKER, homes),
        ("analyst", Role.ANALYST, trust),
        ("commissioner", Role.COMMISSIONER, trust),
        ("partner", Role.PARTNER, homes),
    ):
        MembershipFactory(organisation=organisation, role=role, user=UserFactory(username=username))
    ours = urlparse(live_server.url).netloc
    problems: list[str] = []
    for username in ("nurse", "officer", "lead", "ig", "admin", "analyst", "commissioner", "partner"):
        context = browser.new_context(viewport=PHONE, locale="en-GB")
        page = context.new_page()
        page.set_default_timeout(60000)
        where = {"url": ""}
        page.on(
            "console",
            lambda msg: (
                problems.append(f"{username} {where['url']}: console {msg.text}")
                if msg.type == "error"
                else None
            ),
        )
        page.on("pageerror", lambda exc: problems.append(f"{username} {where['url']}: script error {exc}"))
        page.on(
            "request",
            lambda request: (
                problems.append(f"{username}: external request {request.url}")
                if urlparse(request.url).scheme in ("http", "https") and urlparse(request.url).netloc != ours
                else None
            ),
        )
        _sign_in(page, live_server, username)
        queue, seen, shapes = deque([("/", "home")]), set(), {}
        while queue and len(seen) < PER_ROLE:
            path, source = queue.popleft()
            shape = _shape(urlparse(path).path)
            if path in seen or shapes.get(shape, 0) >= PER_SHAPE:
                continue
            seen.add(path)
            shapes[shape] = shapes.get(shape, 0) + 1
            where["url"] = path
            response = page.goto(f"{live_server.url}{path}")
            status = response.status if response else 0
            if status >= 400:
                problems.append(f"{username} {path} (linked from {source}): HTTP {status}")
                continue
            page.wait_for_load_state("networkidle")
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                problems.append(f"{username} {path}: {width} px wide at {PHONE['width']} px")
            text = page.inner_text("main") if page.locator("main").count() else ""
            if WORDS.search(text):
                problems.append(f"{username} {path}: '{WORDS.search(text).group(0)}' in the page")
            for href in page.eval_on_selector_all(
                "main a[href], header a[href]", "els => els.map(e => e.getAttribute('href'))"
            ):
                target = urlparse(urljoin(f"{live_server.url}{path}", href))
                if target.netloc != ours or SKIP.search(
                    target.path + ("?" + target.query if target.query else "")
                ):
                    continue
                link = target.path + (f"?{target.query}" if target.query else "")
                if link not in seen:
                    queue.append((link, path))
        context.close()
    assert not problems, "\n".join(problems)
