"""Every route that carries personal data (from the route registry) answers with `Cache-Control: no-store`,
the strict Content-Security-Policy and a Permissions-Policy, whether it serves the record or refuses."""

from __future__ import annotations

from django.test import Client

from homeward.core.roles import Role, role_can
from homeward.web.security import PERMISSIONS_POLICY, content_security_policy
from tests.governance.test_access_matrix import PERSONAL, _call
from tests.governance.test_access_matrix import world as world  # the access matrix's fixture

STRICT = content_security_policy()


def _problems(route, response) -> list[str]:
    found = []
    if "no-store" not in response.headers.get("Cache-Control", ""):
        found.append(f"Cache-Control {response.headers.get('Cache-Control')!r}")
    if response.headers.get("Content-Security-Policy") != STRICT:
        found.append(f"Content-Security-Policy {response.headers.get('Content-Security-Policy')!r}")
    if response.headers.get("Permissions-Policy") != PERMISSIONS_POLICY:
        found.append("no Permissions-Policy")
    return [f"{route.label} ({response.status_code}): {p}" for p in found]


def test_the_strict_policy_allows_only_homewards_own_origin():
    assert "script-src 'self';" in STRICT and "style-src 'self';" in STRICT
    assert "unsafe" not in STRICT and "http" not in STRICT and "object-src 'none'" in STRICT
    assert "frame-ancestors 'none'" in STRICT


def test_every_personal_data_route_answers_no_store_with_the_csp(world):
    assert len(PERSONAL) > 50
    problems, served = [], 0
    for route in PERSONAL:
        allowed_role = next(r for r in Role.values if role_can(r, route.marking.permission))
        for relationship in ("own", "unshared"):  # served, and refused (404)
            if relationship == "unshared" and route.marking.subject == "create":
                continue
            response = _call(route, world["users"][allowed_role, relationship], world["values"])
            served += relationship == "own" and response.status_code in (200, 201, 204, 302)
            problems += _problems(route, response)
    assert not problems, "\n".join(problems)
    assert served > len(PERSONAL) // 2  # real answers (records, saved forms), not only refusals


def test_static_files_stay_cacheable_and_pages_without_personal_data_are_not_cached(db):
    client = Client()
    static = client.get("/static/web/charts.js")
    assert static.status_code == 200 and "no-store" not in static.headers.get("Cache-Control", "")
    sign_in = client.get("/account/sign-in/")
    assert "no-store" in sign_in.headers["Cache-Control"]
    assert sign_in.headers["Content-Security-Policy"] == STRICT


def test_a_template_nonce_is_named_in_that_responses_policy_only():
    from homeward.web.security import Nonce

    nonce = Nonce()
    assert nonce.value is None
    text = str(nonce)
    assert f"'nonce-{text}'" in content_security_policy(nonce.value)
    assert "nonce" not in content_security_policy(None)


def test_no_template_has_inline_script_inline_style_or_a_cdn():
    """What the CSP would refuse at run time, caught at test time (print templates render to PDF on the
    server, never in a browser, so their <style> is allowed)."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "src" / "homeward"
    problems = []
    for template in root.glob("**/templates/**/*.html"):
        text = template.read_text(encoding="utf-8")
        name = template.relative_to(root)
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag and "application/json" not in tag:
                problems.append(f"{name}: inline {tag}")
        if re.search(r"\son[a-z]+\s*=", text):
            problems.append(f"{name}: an on…= event handler attribute")
        if re.search(r"\shx-on[:\w-]*\s*=", text):
            problems.append(f"{name}: an hx-on attribute (evaluated script)")
        inline_style = re.search(r"\sstyle\s*=", text) or "<style" in text
        if inline_style and not template.name.endswith("_print.html"):
            problems.append(f"{name}: inline style")
        if re.search(r"""<(script|link|img)\b[^>]*(src|href)=["']https?://""", text):
            problems.append(f"{name}: loads from another origin")
    assert not problems, "\n".join(problems)
