"""The org chart: departments as a tree with their manager and people, each linked to their page, showing only
whom the user may read."""
import re

import pytest

from addons.hr.org_chart import org_chart
from addons.hr.services import create_department


def _names(page: str) -> list[str]:
    return re.findall(r"<strong>([^<]+)</strong>", page)


def test_the_officer_sees_the_tree_with_managers_positions_and_links(people, login):
    page = login(people["users"]["hr"]).get("/hr/org-chart").get_data(as_text=True)
    assert sorted(_names(page)) == ["Boss Bianchi", "Eva Ruiz", "Other Otero"]
    direction, sales = page.index(">Direction</h2>"), page.index(">Sales</h2>")
    assert direction < sales and page.index('class="org-children"', direction) < sales  # Sales inside Direction
    assert re.search(r'org-manager" href="/hr/employees/%d">.*?BB.*?Manager' % people["boss"], page, re.S)
    assert f'href="/hr/employees/{people["eva"]}"' in page and "Seller" in page
    assert "Faraway" not in page


@pytest.mark.parametrize("who, seen", [("boss", ["Boss Bianchi", "Eva Ruiz"]), ("eva", ["Eva Ruiz"]),
                                       ("other", ["Other Otero"]), ("alien", ["Faraway"])])
def test_the_others_see_whom_they_may_read(people, login, who, seen):
    response = login(people["users"][who]).get("/hr/org-chart")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert sorted(_names(page)) == seen
    assert "2345" not in page and "12345678Z" not in page


def test_empty_departments_show_to_officers_only(web, people):
    db = web.db
    officer = db.as_user(db.user("hr2", groups=["hr.group_officer"]))
    session = db.system()
    create_department(session, people["company"], name="Empty", parent_id=people["direction"])
    session.commit()
    kept = org_chart(officer, keep_empty=True)
    assert [unit.department.name for unit in kept[0].children] == ["Empty", "Sales"]
    assert [unit.department.name for unit in org_chart(officer)[0].children] == ["Sales"]


def test_a_user_without_hr_is_refused(people, login, web):
    stranger = web.db.user("stranger")
    assert login(stranger).get("/hr/org-chart").status_code == 403
