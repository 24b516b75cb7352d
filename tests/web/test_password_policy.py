"""One password policy wherever a password is set: account page, user form, `bottega init`."""
import pytest
from sqlalchemy import func, select

from core.models import User
from core.security.password_policy import MIN_LENGTH, check_password_policy, password_problem
from core.errors import ValidationError
from core.testing import ADMIN_PASSWORD, USER_PASSWORD
from core.demo import DEMO_PASSWORD
from tests.lifecycle_helpers import Bottega, fixture_catalog, write_config


@pytest.mark.parametrize("password, inputs, problem", [
    ("short-1", (), f"too short: use at least {MIN_LENGTH} characters"),
    ("password1234", (), "one of the most common passwords"),
    ("mnbvcxzlkjhg", (), "too easy to guess (common words or names, keyboard patterns)"),
    ("abcdefghijklmn", (), "too easy to guess (sequences such as abc or 123)"),
    ("aaaaaaaaaaaaaaa", (), "too easy to guess (repeated characters)"),
    ("lucarossi1985", ("lucarossi", "Luca Rossi"), "contains your login, name or email address"),
    ("ana.lopez@example.es", ("ana", "Ana", "ana.lopez@example.es"), "contains your login, name or email address"),
])
def test_weak_passwords_are_refused_with_the_reason(password, inputs, problem):
    assert problem in password_problem(password, inputs)
    with pytest.raises(ValidationError) as error:
        check_password_policy(password, inputs, field="new")
    assert error.value.field == "new"


@pytest.mark.parametrize("password", ["tavolo-rosso-42", "correct horse battery staple", "Vn7#qLp2xZ"])
def test_strong_passwords_pass(password):
    assert password_problem(password, ("ana",)) is None


def test_the_documented_and_test_passwords_pass_the_policy():
    assert password_problem(DEMO_PASSWORD, ("admin", "Administrator")) is None
    assert password_problem(DEMO_PASSWORD, ("maria", "María García")) is None
    assert password_problem(ADMIN_PASSWORD, ("admin", "Administrator")) is None
    assert password_problem(USER_PASSWORD, ("ana", "Ana")) is None


def test_the_account_page_refuses_a_weak_new_password_and_keeps_the_old_one(web):
    web.db.user("ana", groups=["contacts.group_user"])
    client = web.client()
    client.login("ana")
    client.get("/account")
    page = client.post("/account", {"pw-current": USER_PASSWORD, "pw-new": "password1234",
                                    "pw-confirm": "password1234"})
    assert "This is one of the most common passwords" in page.get_data(as_text=True)
    assert web.client().login("ana", USER_PASSWORD).status_code == 302


def test_the_user_form_refuses_a_weak_password_and_creates_nobody(web):
    admin = web.client()
    admin.login("admin", ADMIN_PASSWORD)
    admin.get("/settings/users/new")
    response = admin.post("/settings/users/new", {"login": "luca", "name": "Luca", "lang": "it", "active": "y",
                                                  "company_id": "1", "new_password": "luca12345678"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="new_password-errors"' in page and "contains your login, name or email address" in page
    assert web.db.system().scalar(select(func.count(User.id)).where(User.login == "luca")) == 0


def test_init_refuses_a_common_admin_password_before_creating_anything(tmp_path, fresh_url):
    run = Bottega(write_config(tmp_path, fresh_url), fixture_catalog())
    result = run("init", "--admin-password", "password1234")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: --admin-password: This is one of the most common passwords")
