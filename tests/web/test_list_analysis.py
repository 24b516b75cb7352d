"""Search and analysis on every generic list: filters on any readable field, group-by, pivot, graph, exports and
saved filters, on contacts partners and CRM opportunities, through the user's session."""
import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import delete, select

from addons.contacts.services import create_partner
from addons.crm import services as crm
from addons.crm.models import Stage
from core.models import Group, SavedFilter, user_groups
from core.web.grouping import MAX_GROUPS


def partner(web, name, company=None, **values):
    session = web.db.system()
    found = create_partner(session, (company or web.db.main_company).id, name=name, **values)
    session.commit()
    return found.id


@pytest.fixture
def partners(web):
    for number, (city, is_company) in enumerate((("Bari", True), ("Bari", False), ("Roma", True), (None, False))):
        partner(web, f"Partner {number}", city=city, is_company=is_company)
    partner(web, "Elsewhere Ltd", company=web.db.company("Other company"), city="Bari", is_company=True)


def text(response):
    return response.get_data(as_text=True)


def test_filters_on_any_readable_field_narrow_the_list_and_show_as_removable_chips(web, clerk, partners):
    bari = clerk.get("/contacts/partners/?where=city:eq:Bari")
    assert bari.status_code == 200
    assert "Partner 0" in text(bari) and "Partner 1" in text(bari) and "Partner 2" not in text(bari)
    assert "Elsewhere Ltd" not in text(bari)  # another company's partner, whatever the filter says
    assert "City = Bari" in text(bari)
    both = text(clerk.get("/contacts/partners/?where=city:eq:Bari&where=is_company:eq:yes"))
    assert "Partner 0" in both and "Partner 1" not in both
    assert 'href="/contacts/partners/?sort=name&amp;where=is_company:eq:yes"' in both  # a chip's cross keeps the other
    unset = text(clerk.get("/contacts/partners/?where=city:unset:"))
    assert "Partner 3" in unset and "Partner 0" not in unset
    other = text(clerk.get("/contacts/partners/?where=city:ne:Bari"))
    assert "Partner 2" in other and "Partner 3" in other and "Partner 0" not in other  # ≠ keeps the empty ones
    contains = text(clerk.get("/contacts/partners/?where=city:contains:om"))
    assert "Partner 2" in contains and "Partner 0" not in contains
    today = text(clerk.get("/contacts/partners/?where=created_at:between:2000-01-01..2999-12-31"))
    assert "Partner 0" in today
    none = text(clerk.get("/contacts/partners/?where=created_at:lt:2000-01-01"))
    assert "Partner 0" not in none
    built = clerk.get("/contacts/partners/?where=city:eq:Bari&nf=name&no=contains&nv=1")
    assert "Partner 1" in text(built) and "Partner 0" not in text(built) and "Name contains 1" in text(built)


@pytest.mark.parametrize("where, message", [
    ("created_at:gt:yesterday", "Created at: yesterday is not a date"),
    ("city:lt:B", "City: “lt” does not apply to this field."),
    ("created_at:between:2026-01-01", "Give both ends of the range"),
    ("nonsense", "You cannot filter by “nonsense”"),
    ("::", "You cannot filter by “”"),
    ("salesperson_id:eq:abc", "Salesperson: abc is not the id of a record."),
    ("salesperson_id:eq:99999999", "Salesperson: Choose an active user."),
    ("city:eq:", "Write a value, or choose “is not set”."),
])
def test_a_bad_filter_is_refused_with_a_message_and_never_loosened(web, clerk, partners, where, message):
    page = clerk.get("/contacts/partners/", query_string={"where": [where, "city:eq:Roma"]})
    assert page.status_code == 400
    assert message in text(page)
    assert "Partner 2" in text(page) and "Partner 0" not in text(page)  # the good filter still applies


def test_malformed_analysis_parameters_answer_with_a_message_not_a_failure(web, clerk, partners):
    for query in ("group=city:month", "group=created_at:fortnight", "group=x:y:z", "measure=name",
                  "measure=%00", "chart=<script>", "where=" + "a" * 5000, "group=&group=&group=city",
                  "nf=city&no=between&nv=a&nv2="):
        for path in ("/contacts/partners/", "/contacts/partners/pivot", "/contacts/partners/graph"):
            answer = clerk.get(f"{path}?{query}")
            assert answer.status_code in (200, 400), (path, query)
            assert "<script>" not in text(answer)


def test_a_field_the_user_may_not_read_is_not_offered_and_refused_in_the_url(web, clerk, partners):
    web.db.user("bookkeeper", groups=["accounting.group_billing", "contacts.group_user"])
    page = text(clerk.get("/contacts/partners/"))
    assert 'value="city"' in page and 'value="credit_limit"' not in page and 'value="active"' not in page
    for query in ("where=credit_limit:gt:0", "group=credit_limit", "where=active:eq:0", "group=active",
                  "measure=credit_limit"):
        refused = clerk.get(f"/contacts/partners/pivot?{query}")
        assert refused.status_code == 400, query
        assert "you may not read it" in text(refused) or "not a number field you may read" in text(refused)
    bookkeeper = web.client()
    bookkeeper.login("bookkeeper")
    assert 'value="credit_limit"' in text(bookkeeper.get("/contacts/partners/"))
    assert bookkeeper.get("/contacts/partners/?where=credit_limit:unset:").status_code == 200


def test_group_by_counts_in_sql_through_the_users_session(web, clerk, partners):
    grouped = clerk.get("/contacts/partners/?group=city&group=is_company")
    html = text(grouped)
    assert grouped.status_code == 200
    rows = html.split("<tbody>")[1].split("</tbody>")[0]
    assert rows.count("<tr") == 4  # Bari/yes, Bari/no, Roma/yes, not set/no: never the other company's Bari
    assert ">Bari</a></td><td>Yes</td>\n      <td class=\"number\">1</td>" in rows
    assert "Not set" in rows
    link = 'href="/contacts/partners/?sort=name&amp;where=city:eq:Bari&amp;where=is_company:eq:1"'
    assert link in rows
    opened = text(clerk.get("/contacts/partners/?where=city:eq:Bari&where=is_company:eq:1"))
    assert "Partner 0" in opened and "Partner 1" not in opened
    monthly = text(clerk.get("/contacts/partners/?group=created_at:month"))
    assert "<td class=\"number\">5</td>" not in monthly and "<td class=\"number\">4</td>" in monthly


def test_more_groups_than_the_cap_say_so(web, clerk):
    session = web.db.system()
    for number in range(MAX_GROUPS + 5):
        create_partner(session, web.db.main_company.id, name=f"P{number}", city=f"City {number:04d}")
    session.commit()
    page = text(clerk.get("/contacts/partners/pivot?group=city"))
    assert f"Showing the first {MAX_GROUPS} groups" in page
    assert "City 0199" in page and "City 0200" not in page


@pytest.fixture
def pipeline(web):
    """Opportunities of two salespeople in two stages, and one of another company."""
    session = web.db.system()
    company, other = web.db.main_company, web.db.company("Rival company")
    stages = {}
    for owner in (company, other):
        for n, name in enumerate(("New", "Won")):
            stage = Stage(company_id=owner.id, name=name, sequence=n, probability=Decimal(10), is_won=name == "Won")
            session.add(stage)
            session.flush()
            stages[(owner.id, name)] = stage.id
    session.commit()
    ana = web.db.user("ana", groups=["crm.group_manager"])
    bea = web.db.user("bea", groups=["crm.group_salesperson"])
    outsider = web.db.user("outsider", groups=["crm.group_manager"], companies=[other])
    leads = [(ana, company, "New", "1000.10"), (ana, company, "Won", "2500.00"), (bea, company, "New", "300.05"),
             (outsider, other, "New", "99999.99")]
    for owner, where, stage, revenue in leads:
        session = web.db.as_user(owner)
        lead = crm.create_lead(session, where.id, name=f"Deal of {owner.login}", user_id=owner.id,
                               expected_revenue=Decimal(revenue))
        crm.qualify(session, lead)
        crm.set_stage(session, lead, stage_id=stages[(where.id, stage)])
        session.commit()
    return {"ana": ana, "bea": bea, "stages": stages}


def test_the_pivot_sums_money_as_decimal_per_group_and_exports(web, pipeline):
    client = web.client()
    client.login("ana")
    page = client.get("/crm/opportunities/pivot?group=stage_id&group=user_id&measure=expected_revenue")
    html = text(page)
    assert page.status_code == 200
    assert "€1,300.15" in html and "€2,500.00" in html and "€3,800.15" in html  # New total, Won, grand total
    assert "99,999.99" not in html  # another company's opportunity is never counted
    exported = client.get("/crm/opportunities/pivot.csv?group=stage_id&group=user_id&measure=expected_revenue")
    lines = list(csv.reader(io.StringIO(exported.get_data(as_text=True).lstrip("\ufeff"))))
    assert lines[0] == ["Stage / Salesperson", "Ana", "Bea", "Total"]
    assert lines[1] == ["New", "€1,000.10", "€300.05", "€1,300.15"]
    assert lines[-1] == ["Total", "€3,500.10", "€300.05", "€3,800.15"]
    workbook = client.get("/crm/opportunities/pivot.xlsx?group=stage_id&measure=expected_revenue")
    sheet = load_workbook(io.BytesIO(workbook.data)).active
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [
        ["Stage", "Total"], ["New", "€1,300.15"], ["Won", "€2,500.00"], ["Total", "€3,800.15"]]
    assert client.get("/crm/opportunities/pivot.pdf?group=stage_id").status_code == 404


def test_record_rules_apply_to_the_groups(web, pipeline):
    bea = web.client()
    bea.login("bea")
    html = text(bea.get("/crm/opportunities/pivot?group=stage_id&measure=expected_revenue"))
    assert "€300.05" in html and "1,000.10" not in html and "2,500.00" not in html


def test_the_graph_is_svg_drawn_on_the_server_without_inline_script_or_style(web, pipeline):
    client = web.client()
    client.login("ana")
    for chart in ("bar", "line", "pie"):
        page = client.get(f"/crm/opportunities/graph?group=stage_id&group=user_id&measure=expected_revenue"
                          f"&chart={chart}")
        html = text(page)
        assert page.status_code == 200 and "<svg viewBox" in html
        assert " style=" not in html.split("<svg viewBox")[1].split("</svg>")[0]
        assert "<script>" not in html
        assert "€1,000.10" in html  # a tooltip (<title>) gives the Decimal, formatted
    assert html.count("<path class=\"s") == 2 and '<circle class="s0"' in html  # Ana's New and Won; Bea's New


def test_saved_filters_personal_default_and_shared_only_by_who_may_write(web, pipeline):
    ana = web.client()
    ana.login("ana")
    ana.get("/crm/opportunities/")
    saved = ana.post("/crm/opportunities/filters", {"name": "Big deals", "query": "where=expected_revenue:gt:2000",
                                                     "default": "1"})
    assert saved.status_code == 302
    opened = text(ana.get("/crm/opportunities/"))  # the default applies to the bare list
    assert "Expected revenue &gt; 2000" in opened and "2,500" in opened and "1,000.1" not in opened
    assert "1,000.1" in text(ana.get("/crm/opportunities/?saved=none"))
    viewer = web.db.user("viewer", groups=["crm.group_readonly"])
    reader = web.client()
    reader.login("viewer")
    reader.get("/crm/opportunities/")
    assert 'name="shared"' not in text(reader.get("/crm/opportunities/"))
    refused = reader.post("/crm/opportunities/filters", {"name": "Mine too", "query": "q=x", "shared": "1"})
    assert refused.status_code == 302
    rows = web.db.system().scalars(select(SavedFilter.name).where(SavedFilter.user_id == viewer.id)).all()
    assert rows == []
    assert "Big deals" not in text(reader.get("/crm/opportunities/"))  # personal: not offered to others
    [(big_id,)] = web.db.system().execute(select(SavedFilter.id).where(SavedFilter.name == "Big deals")).all()
    assert "does not exist, or you may not use it" in text(reader.get(f"/crm/opportunities/?saved={big_id}"))
    assert reader.post(f"/crm/opportunities/filters/{big_id}/delete").status_code == 404


def test_a_shared_filter_naming_a_field_its_viewer_no_longer_reads_is_refused_whole(web, clerk, partners):
    web.db.user("bookkeeper", groups=["accounting.group_billing", "contacts.group_user"])
    owner = web.client()
    owner.login("bookkeeper")
    owner.get("/contacts/partners/")
    owner.post("/contacts/partners/filters", {"name": "Bari, no credit limit", "shared": "1",
                                              "query": "where=city:eq:Bari&where=credit_limit:unset:"})
    [(shared_id,)] = web.db.system().execute(select(SavedFilter.id)).all()
    assert "Bari, no credit limit" in text(clerk.get("/contacts/partners/"))  # offered to the company
    page = clerk.get(f"/contacts/partners/?saved={shared_id}")
    assert page.status_code == 400
    assert "The saved filter “Bari, no credit limit” was not applied" in text(page)
    assert "Partner 2" in text(page)  # the list as the clerk may see it, not a half-applied filter
    session = web.db.system()
    session.execute(delete(user_groups).where(user_groups.c.group_id.in_(
        select(Group.id).where(Group.key == "accounting.group_billing"))))
    session.commit()
    assert "was not applied" in text(owner.get(f"/contacts/partners/?saved={shared_id}"))  # the owner too
