"""Documents attached to an employee (the chatter's attachments on their record): HR officers and the employee
read them; their manager, a colleague and another company's officer do not, not even by the download URL."""
import io

import pytest
from sqlalchemy import select

from core.chatter.models import Attachment

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def document(web, people, login):
    officer = login(people["users"]["hr"])
    page = f"/hr/employees/{people['eva']}"
    sent = officer.post(f"/chatter/hr_employee/{people['eva']}/attachment",
                        {"file": (io.BytesIO(PDF), "payslip-contract.pdf"), "next": page},
                        content_type="multipart/form-data")
    assert sent.status_code == 302
    assert "payslip-contract.pdf" in officer.get(page).get_data(as_text=True)
    return web.db.system().scalars(select(Attachment.id).where(Attachment.res_model == "hr_employee")).one()


def test_the_officer_and_the_employee_download_the_document(people, login, document):
    for who in ("hr", "eva"):
        client = login(people["users"][who])
        answer = client.get(f"/chatter/attachment/{document}")
        assert answer.status_code == 200 and answer.data == PDF, who
    assert "payslip-contract.pdf" in login(people["users"]["eva"]).get(
        f"/hr/employees/{people['eva']}").get_data(as_text=True)


@pytest.mark.parametrize("who", ["boss", "other", "alien"])
def test_the_manager_a_colleague_and_another_company_do_not(people, login, document, who):
    client = login(people["users"][who])
    assert client.get(f"/chatter/attachment/{document}").status_code == 404
    page = client.get(f"/hr/employees/{people['eva']}")
    assert "payslip-contract.pdf" not in page.get_data(as_text=True)


def test_the_manager_cannot_attach_to_a_team_member(people, login, web):
    boss = login(people["users"]["boss"])
    boss.post(f"/chatter/hr_employee/{people['eva']}/attachment",
              {"file": (io.BytesIO(PDF), "note.pdf"), "next": "/"}, content_type="multipart/form-data")
    assert web.db.system().scalars(select(Attachment)).all() == []
