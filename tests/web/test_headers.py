"""Security headers: a strict Content-Security-Policy, framing only for the embeddable form, HSTS over HTTPS."""
from addons.crm.models import Team
from core.testing import ADMIN_PASSWORD, WebClient
from tests.web.test_login_security import app_with


def directives(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return {part.split()[0]: " ".join(part.split()[1:]) for part in policy.split(";") if part.strip()}


def test_pages_allow_only_their_own_scripts_and_styles(web):
    client = web.client()
    client.login("admin", ADMIN_PASSWORD)
    for url in ("/login", "/", "/contacts/partners/", "/account", "/account/2fa", "/settings/security-log/"):
        response = client.get(url)
        policy = directives(response)
        assert policy["script-src"] == "'self'", url
        assert policy["style-src"] == "'self'", url
        assert policy["default-src"] == "'self'", url
        assert policy["img-src"] == "'self' data:", url  # the 2FA QR code is an SVG data: URI
        assert policy["object-src"] == "'none'" and policy["frame-ancestors"] == "'none'", url
        assert response.headers["X-Frame-Options"] == "DENY", url
        assert "unsafe" not in response.headers["Content-Security-Policy"], url


def test_the_embeddable_capture_form_may_be_framed_but_runs_only_its_own_scripts(web):
    session = web.db.system()
    team = Team(company_id=web.db.main_company.id, name="Web")
    session.add(team)
    session.commit()
    response = web.client().get(f"/crm/capture/{team.capture_key}")
    assert response.status_code == 200
    policy = directives(response)
    assert "frame-ancestors" not in policy and "X-Frame-Options" not in response.headers
    assert policy["script-src"] == "'self'"


def test_hsts_only_when_served_over_https(web, tmp_path):
    plain = web.client().get("/login")
    assert "Strict-Transport-Security" not in plain.headers
    secure = WebClient(app_with(web, tmp_path, "https = true\n")).client.get("/login", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
