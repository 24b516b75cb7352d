"""A company created while accounting is installed gets its books from Accounting › Configuration › Settings
and lock date, with the chart its accountant picks (the after_install hook sets up the companies there at an
install or upgrade)."""
from sqlalchemy import func, select

from addons.accounting.models import Account, Settings
from addons.accounting.security import ACCOUNTANT


def test_an_accountant_sets_up_the_books_of_a_company_created_after_the_install(web):
    company = web.db.company("Nuova Italia S.r.l.")
    web.db.user("contabile", groups=[ACCOUNTANT], companies=[company])
    client = web.client()
    client.login("contabile")
    assert "Set up the books" in client.get("/accounting/settings").get_data(as_text=True)

    done = client.post("/accounting/settings/setup", {"chart": "it"}, follow_redirects=True)

    assert "The books are set up." in done.get_data(as_text=True)
    session = web.db.system()
    assert session.scalar(select(Settings.chart).where(Settings.company_id == company.id)) == "it"
    assert session.scalar(select(func.count(Account.id)).where(Account.company_id == company.id)) > 0
    again = client.post("/accounting/settings/setup", {"chart": "it"}, follow_redirects=True)
    assert "already has its books set up" in again.get_data(as_text=True)
