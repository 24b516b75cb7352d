"""A member of staff working through Bottega in a real browser, at laptop and phone widths."""
import csv
import io
import time

from playwright.sync_api import expect

from core.testing import ADMIN_PASSWORD
from tests.lifecycle_helpers import execute, query


def log_in(page, server, login="admin", password=ADMIN_PASSWORD):
    page.goto(server["url"] + "/")
    expect(page).to_have_url(server["url"] + "/login?next=/")
    page.fill("#login", login)
    page.fill("#password", password)
    page.click("button[type=submit]")
    expect(page.locator("h1.welcome")).to_be_visible()


def test_staff_work_through_contacts_and_a_kanban(server, browser, shot):
    page = browser.new_page(viewport={"width": 1366, "height": 900}, accept_downloads=True)
    page.goto(server["url"] + "/login")
    shot(page, "01-login")
    log_in(page, server)
    shot(page, "02-home")

    page.click("summary[aria-label=Apps]")
    page.click(".apps-grid >> text=Contacts")
    expect(page.locator("h1")).to_contain_text("Partners")

    page.click("text=New")
    page.fill("#name", "Cerámicas Alhambra S.L.")
    page.check("#is_company")
    page.fill("#email", "not-an-email")
    page.click("button:has-text('Save')")
    expect(page.locator("#email-errors")).to_contain_text("is not an email address")
    shot(page, "03-form-error")
    page.fill("#email", "hola@alhambra.example")
    page.fill("#city", "Granada")
    page.click("button:has-text('Save')")
    expect(page.locator(".flash-success")).to_have_text("Saved.")
    expect(page.locator("h1")).to_have_text("Cerámicas Alhambra S.L.")

    page.click("text=Edit")  # the fields card becomes the form, on the record page itself
    page.fill("#in-place-city", "Málaga")
    page.click("#record-edit button:has-text('Save')")
    expect(page.locator(".timeline")).to_contain_text("Granada")
    expect(page.locator(".timeline")).to_contain_text("Málaga")
    shot(page, "04-record-history")

    page.click(".breadcrumbs >> text=Partners")
    page.fill("input[name=q]", "alhambra")
    page.press("input[name=q]", "Enter")
    expect(page.locator("table.records tbody tr")).to_have_count(1)
    shot(page, "05-list-search")

    page.click("summary:has-text('Export')")
    with page.expect_download() as download:
        page.click(".export >> text=CSV")
    rows = list(csv.reader(io.StringIO(open(download.value.path(), encoding="utf-8-sig").read())))
    assert [row[0] for row in rows] == ["Name", "Cerámicas Alhambra S.L."]

    execute(server["database"], "INSERT INTO alpha_item (name, company_id, stage, user_id) "
                                "VALUES ('Fix the shop sign', 1, 'new', 1)")
    page.goto(server["url"] + "/alpha/items/kanban")
    card = page.locator(".kanban-card", has_text="Fix the shop sign")
    card.drag_to(page.locator(".kanban-column[data-stage=doing] .kanban-cards"))
    expect(page.locator(".kanban-column[data-stage=doing]")).to_contain_text("Fix the shop sign")
    deadline = time.monotonic() + 10
    while query(server["database"], "SELECT stage FROM alpha_item WHERE name = 'Fix the shop sign'") != [("doing",)]:
        assert time.monotonic() < deadline, "the drop did not reach the database"
        time.sleep(0.1)
    shot(page, "06-kanban")

    page.click(".usermenu summary")
    page.click("text=Log out")
    expect(page).to_have_url(server["url"] + "/login")
    page.goto(server["url"] + "/contacts/partners/")
    expect(page).to_have_url(server["url"] + "/login?next=/contacts/partners/")
    page.close()


def test_the_main_pages_fit_a_phone(server, browser, shot):
    page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
    log_in(page, server)
    shot(page, "10-phone-home")
    page.goto(server["url"] + "/contacts/partners/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the page itself must not scroll sideways; wide tables scroll in their own box"
    shot(page, "11-phone-list")
    page.goto(server["url"] + "/contacts/partners/new")
    shot(page, "12-phone-form")
    page.close()
