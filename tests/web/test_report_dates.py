"""Report filters take dates as the user's language writes them (31/12/2026 in Spanish), show them that way,
and still take ISO dates; a date the user's form cannot mean is refused saying which form to use."""
import datetime as dt
import re

from tests.web.test_security_log import seed


def spanish_admin(web):
    web.db.user("lucia", groups=["core.group_admin"], lang="es")
    client = web.client()
    client.login("lucia")
    return client


def test_a_spanish_administrator_filters_the_security_log_by_day_month_year(web):
    seed(web, 3, kind="password_changed", login="march", at=dt.datetime(2025, 3, 10, 12))
    seed(web, 2, kind="password_changed", login="october", at=dt.datetime(2025, 10, 3, 12))
    client = spanish_admin(web)
    page = client.get("/settings/security-log/?since=01/03/2025&until=10/03/2025").get_data(as_text=True)
    assert page.count('class="event-password_changed"') == 3  # 10 March, not 3 October
    since = re.search(r'<input[^>]*name="since"[^>]*>', page).group(0)
    assert 'value="01/03/2025"' in since and 'data-date-pattern="dd/MM/yyyy"' in since
    assert 'type="date"' not in since
    iso = client.get("/settings/security-log/?since=2025-10-01&until=2025-10-31").get_data(as_text=True)
    assert iso.count('class="event-password_changed"') == 2


def test_a_month_day_year_date_is_refused_to_a_spanish_user_with_the_form_to_use(web):
    client = spanish_admin(web)
    page = client.get("/settings/security-log/?since=03/31/2025").get_data(as_text=True)
    assert "03/31/2025" in page and "31/12/2026" in page and 'role="alert"' in page


def test_an_english_user_gets_and_types_month_day_year(web):
    seed(web, 3, kind="password_changed", login="march", at=dt.datetime(2025, 3, 10, 12))
    web.db.user("ann", groups=["core.group_admin"])
    client = web.client()
    client.login("ann")
    page = client.get("/settings/security-log/?since=03/10/2025&until=03/10/2025").get_data(as_text=True)
    assert page.count('class="event-password_changed"') == 3
    assert re.search(r'<input[^>]*name="until"[^>]*value="03/10/2025"', page)
