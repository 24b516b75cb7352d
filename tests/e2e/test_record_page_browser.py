"""The record page in a real browser: a stage clicked in the status bar, and the fields edited in place."""
from playwright.sync_api import expect

from tests.e2e.test_browser import log_in
from tests.lifecycle_helpers import execute, query


def test_a_stage_is_clicked_and_the_fields_are_edited_in_place(server, browser, shot):
    execute(server["database"], "INSERT INTO alpha_item (name, company_id, stage, user_id) "
                                "VALUES ('Fix the till', 1, 'new', 1)")
    [(item_id,)] = query(server["database"], "SELECT id FROM alpha_item WHERE name = 'Fix the till'")
    record = f"{server['url']}/alpha/items/{item_id}"
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    log_in(page, server)
    page.goto(record)
    current = page.locator(".status-bar [aria-current=step]")
    expect(current).to_have_text("New")
    page.click(".status-bar button:has-text('Doing')")
    expect(current).to_have_text("Doing")
    assert query(server["database"], f"SELECT stage FROM alpha_item WHERE id = {item_id}") == [("doing",)]
    expect(page.locator(".history")).to_contain_text("Doing")
    shot(page, "record-01-status-bar")

    form = page.locator("#record-edit")
    expect(form).to_be_hidden()
    page.click(".page-head >> text=Edit")
    expect(form).to_be_visible()
    expect(page.locator("dl.fields")).to_be_hidden()
    assert page.url == record  # still the record page
    page.fill("#in-place-name", "")
    form.locator("button:has-text('Save')").click()
    expect(page.locator("#in-place-name-errors")).to_contain_text("This field is required.")
    expect(page.locator("#record-edit")).to_be_visible()
    assert query(server["database"], f"SELECT name FROM alpha_item WHERE id = {item_id}") == [("Fix the till",)]
    shot(page, "record-02-edit-in-place-error")
    page.fill("#in-place-name", "Fix the till and the sign")
    page.locator("#record-edit button:has-text('Save')").click()
    expect(page.locator(".flash-success")).to_have_text("Saved.")
    expect(page.locator("h1")).to_have_text("Fix the till and the sign")
    expect(page.locator("#record-edit")).to_be_hidden()
    assert page.url == record

    phone = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
    log_in(phone, server)
    phone.goto(record)
    expect(phone.locator(".status-bar [aria-current=step]")).to_have_text("Doing")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shot(phone, "record-03-phone")
    phone.close()
    page.close()
