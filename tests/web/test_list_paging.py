"""Paging a generic list: Next and Previous by keyset, page numbers by offset, counts capped at a limit."""
import html
import re

import pytest
from sqlalchemy import select

from addons.contacts.models import Partner
from addons.contacts.services import create_partner
from addons.contacts.views import PartnerView

ROW = re.compile(r'<tr data-href="/contacts/partners/(\d+)"')
LINK = re.compile(r'<a href="([^"]+)" rel="(next|prev)"')


def rows(page: str) -> list[int]:
    return [int(found) for found in ROW.findall(page)]


def link(page: str, rel: str) -> str | None:
    found = {kind: html.unescape(href) for href, kind in LINK.findall(page)}
    return found.get(rel)


def walk(client, url: str) -> tuple[list[list[int]], list[str]]:
    """Every page from ``url`` on by the Next links, then back by the Previous links from the last one."""
    pages, urls = [], []
    while url:
        urls.append(url)
        page = client.get(url).get_data(as_text=True)
        pages.append(rows(page))
        url = link(page, "next")
    back, page = [], client.get(urls[-1]).get_data(as_text=True)
    while (url := link(page, "prev")) is not None:
        page = client.get(url).get_data(as_text=True)
        back.insert(0, rows(page))
    assert back == pages[:-1], "Previous leads back through the very same pages"
    return pages, urls


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(PartnerView, "page_size", 4)


def seed(web, company_id: int, names, cities=None) -> list[int]:
    session = web.db.system()
    made = [create_partner(session, company_id, name=name, city=city, is_company=number % 2 == 0)
            for number, (name, city) in enumerate(zip(names, cities or [None] * len(names)))]
    session.commit()
    return [partner.id for partner in made]


def ordered(web, *order, where=()) -> list[int]:
    return list(web.db.system().scalars(select(Partner.id).where(*where).order_by(*order)))


def flat(pages):
    return [row for page in pages for row in page]


def test_next_and_previous_walk_every_row_once_across_ties_in_the_sort_key(web, clerk, small_pages):
    seed(web, web.db.main_company.id, [f"Same {number // 5}" for number in range(23)])
    pages, urls = walk(clerk, "/contacts/partners/")
    assert flat(pages) == ordered(web, Partner.name, Partner.id)
    assert [len(page) for page in pages] == [4, 4, 4, 4, 4, 3]
    assert all("after=" in url for url in urls[1:])
    by_number = [rows(clerk.get(f"/contacts/partners/?page={number}").get_data(as_text=True))
                 for number in range(1, 7)]
    assert by_number == pages, "a typed page number shows the page the links lead to"
    last = clerk.get(urls[-1]).get_data(as_text=True)
    assert "Page 6 of 6" in last and link(last, "next") is None


@pytest.mark.parametrize("direction", ["", "desc"])
def test_keyset_follows_a_column_with_empty_values_both_ways(web, clerk, small_pages, direction):
    cities = ["Bari", None, "Bari", "Ancona", None, "Roma", "Bari", None, "Ancona", "Roma", None]
    seed(web, web.db.main_company.id, [f"P {number}" for number in range(len(cities))], cities)
    pages, _urls = walk(clerk, f"/contacts/partners/?sort=city&dir={direction}")
    by_number = flat(rows(clerk.get(f"/contacts/partners/?sort=city&dir={direction}&page={number}")
                          .get_data(as_text=True)) for number in range(1, 4))
    assert flat(pages) == by_number and len(set(by_number)) == len(cities)


def test_filters_and_a_search_hold_on_every_page(web, clerk, small_pages):
    seed(web, web.db.main_company.id, [f"Alpha {number:02d}" for number in range(15)]
         + [f"Beta {number:02d}" for number in range(6)])
    pages, _urls = walk(clerk, "/contacts/partners/?q=alpha&filter=companies&sort=name&dir=desc")
    expected = ordered(web, Partner.name.desc(), Partner.id.desc(),
                       where=(Partner.name.like("Alpha%"), Partner.is_company.is_(True)))
    assert flat(pages) == expected and len(expected) == 8


def test_a_user_of_one_company_never_sees_another_companys_rows_on_any_page(web, small_pages):
    other = web.db.company("Otra S.L.")
    names = [f"Shared {number:02d}" for number in range(10)]
    mine = seed(web, web.db.main_company.id, names)
    theirs = seed(web, other.id, names)
    web.db.user("clerk", groups=["contacts.group_user"])
    client = web.client()
    client.login("clerk")
    pages, _urls = walk(client, "/contacts/partners/")
    assert sorted(flat(pages)) == sorted(mine)
    first = client.get("/contacts/partners/").get_data(as_text=True)
    assert '<span class="count">10</span>' in first
    foreign = client.get(f"/contacts/partners/?page=2&after={theirs[5]}").get_data(as_text=True)
    assert rows(foreign) == rows(client.get("/contacts/partners/?page=2").get_data(as_text=True)), \
        "another company's row is no cursor: the page number is read instead"


def test_past_the_count_limit_the_total_says_more_and_the_links_still_lead_on(web, clerk, small_pages, monkeypatch):
    monkeypatch.setattr(PartnerView, "count_limit", 6)
    seed(web, web.db.main_company.id, [f"Partner {number:02d}" for number in range(11)])
    first = clerk.get("/contacts/partners/").get_data(as_text=True)
    assert '<span class="count">6+</span>' in first and "Page 1</span>" in first
    pages, urls = walk(clerk, "/contacts/partners/")
    assert flat(pages) == ordered(web, Partner.name, Partner.id)
    assert "Page 3</span>" in clerk.get(urls[-1]).get_data(as_text=True)
    far = clerk.get("/contacts/partners/?page=40")
    assert far.status_code == 200 and rows(far.get_data(as_text=True)) == []
    assert "There are no records this far." in far.get_data(as_text=True)


def test_a_search_counts_up_to_its_own_limit(web, clerk, monkeypatch):
    monkeypatch.setattr(PartnerView, "page_size", 2)
    monkeypatch.setattr(PartnerView, "search_count_limit", 3)
    seed(web, web.db.main_company.id, [f"Partner {number:02d}" for number in range(5)])
    assert '<span class="count">3+</span>' in clerk.get("/contacts/partners/?q=partner").get_data(as_text=True)
    assert '<span class="count">5</span>' in clerk.get("/contacts/partners/").get_data(as_text=True)


def test_a_page_number_past_the_end_shows_the_last_page(web, clerk, small_pages):
    seed(web, web.db.main_company.id, [f"Partner {number:02d}" for number in range(6)])
    page = clerk.get("/contacts/partners/?page=9").get_data(as_text=True)
    assert "Page 2 of 2" in page and len(rows(page)) == 2


@pytest.mark.parametrize("query", ["after=abc", "after=-3", "after=99999999999999999999", "before=0",
                                   "after=999999&page=2", "before=999999&page=2"])
def test_a_cursor_that_is_no_row_falls_back_to_the_page_number(web, clerk, small_pages, query):
    seed(web, web.db.main_company.id, [f"Partner {number:02d}" for number in range(6)])
    response = clerk.get(f"/contacts/partners/?{query}")
    assert response.status_code == 200
    number = 2 if "page=2" in query else 1
    assert rows(response.get_data(as_text=True)) == ordered(web, Partner.name, Partner.id)[(number - 1) * 4:number * 4]


def test_previous_from_a_page_whose_rows_went_lands_on_the_first_page(web, clerk, small_pages):
    ids = seed(web, web.db.main_company.id, [f"Partner {number:02d}" for number in range(10)])
    third = clerk.get("/contacts/partners/?page=3").get_data(as_text=True)
    previous = link(third, "prev")
    assert "before=" in previous
    session = web.db.system()
    for partner_id in ids[:5]:
        session.delete(session.get(Partner, partner_id))
    session.commit()
    page = clerk.get(previous).get_data(as_text=True)
    assert rows(page) == ids[5:9] and "Page 1 of 2" in page
