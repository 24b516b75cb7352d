"""The big lists' default order is read from an index, not sorted: the page query the list really sends
(record rules included) is planned with the index its addon's migration creates, and no sort step."""
import html
import re

import pytest
from sqlalchemy import event, inspect

from addons.contacts.services import create_partner
from core.testing import ADMIN_PASSWORD

#: list page -> (table, the index its default order needs, its columns)
LISTS = {
    "/contacts/partners/": ("contacts_partner", "ix_contacts_partner_list", ["company_id", "name", "id"]),
    "/crm/leads/": ("crm_lead", "ix_crm_lead_list", ["company_id", "kind", "created_at", "id"]),
    "/crm/opportunities/": ("crm_lead", "ix_crm_lead_opportunity_list", ["company_id", "kind", "name", "id"]),
    "/accounting/invoices/": ("accounting_invoice", "ix_accounting_invoice_list", ["company_id", "kind", "date", "id"]),
    "/accounting/bills/": ("accounting_invoice", "ix_accounting_invoice_list", ["company_id", "kind", "date", "id"]),
    "/accounting/entries/": ("accounting_move", "ix_accounting_move_list", ["company_id", "date", "id"]),
}


def page_query(web, client, url: str, table: str) -> tuple[str, object]:
    engine = web.app.extensions["bottega"].engine
    sent = []

    def note(_connection, _cursor, statement, parameters, _context, _many):
        sent.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", note)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", note)
    [found] = [(statement, parameters) for statement, parameters in sent
               if f"FROM {table}" in statement and "ORDER BY" in statement and "count(" not in statement]
    return found


def plan(engine, statement: str, parameters) -> str:
    """The engine's plan; on PostgreSQL, full scans and sorts are priced out so that a table of a few rows
    shows the index the order can come from."""
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            return " ".join(str(row[-1]) for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}",
                                                                                 parameters))
        for setting in ("enable_seqscan", "enable_sort", "enable_incremental_sort", "enable_bitmapscan"):
            connection.exec_driver_sql(f"SET LOCAL {setting} = off")
        return " ".join(row[0] for row in connection.exec_driver_sql(f"EXPLAIN {statement}", parameters))


@pytest.mark.parametrize("url", LISTS)
def test_the_default_order_of_a_big_list_comes_from_its_index(web, url):
    table, index, columns = LISTS[url]
    engine = web.app.extensions["bottega"].engine
    assert {found["name"]: found["column_names"] for found in inspect(engine).get_indexes(table)}[index] == columns
    client = web.client()
    client.login("admin", ADMIN_PASSWORD)
    shown = plan(engine, *page_query(web, client, url, table))
    assert index in shown
    assert "TEMP B-TREE" not in shown and "Sort" not in shown


def test_a_page_reached_by_next_starts_in_the_index_at_the_previous_pages_last_row(web):
    session = web.db.system()
    for number in range(60):
        create_partner(session, web.db.main_company.id, name=f"Partner {number:02d}")
    session.commit()
    engine = web.app.extensions["bottega"].engine
    client = web.client()
    client.login("admin", ADMIN_PASSWORD)
    following = html.unescape(re.search(r'<a href="([^"]+)" rel="next"',
                                        client.get("/contacts/partners/").get_data(as_text=True)).group(1))
    shown = plan(engine, *page_query(web, client, following, "contacts_partner"))
    assert "ix_contacts_partner_list" in shown and "TEMP B-TREE" not in shown and "Sort" not in shown
    assert "name>?" in shown or "ROW((name)::text, id) >" in shown, "the scan starts past the cursor: " + shown
