"""The expense pages as the employee, their manager and a colleague use them."""
import io

from addons.hr.expenses.models import APPROVED, SUBMITTED, ExpenseCategory, ExpenseClaim
from addons.hr.services import create_company_record, create_employee
from core.testing import image_bytes


def test_file_attach_submit_approve_and_nobody_else_reads_the_claim(web):
    session = web.db.system()
    company_id = web.db.main_company.id
    boss, eva, otto = (web.db.user(login, groups=[group]) for login, group in (
        ("boss", "hr.group_manager"), ("eva", "hr.group_employee"), ("otto", "hr.group_employee")))
    manager = create_employee(session, company_id, name="Boss", user_id=boss.id)
    create_employee(session, company_id, name="Eva", user_id=eva.id, manager_id=manager.id)
    create_employee(session, company_id, name="Otto", user_id=otto.id, manager_id=manager.id)
    taxi = create_company_record(session, ExpenseCategory, company_id, {"name": "Taxi"})
    session.commit()

    client = web.client()
    client.login(eva.login)
    assert "You have no expense claims yet" in client.get("/hr/my-expenses").get_data(as_text=True)
    form = client.get("/hr/expenses/new").get_data(as_text=True)
    assert 'name="employee_id"' not in form and "at least one receipt" in form
    refused = client.post("/hr/expenses/new", data={"date": "2026-03-02", "description": "Client visit",
                                                    "lines-0-category_id": taxi.id, "lines-0-amount": "-3"})
    assert refused.status_code == 422 and "The amount must be more than zero." in refused.get_data(as_text=True)
    saved = client.post("/hr/expenses/new", data={"date": "2026-03-02", "description": "Client visit",
                                                  "lines-0-category_id": taxi.id, "lines-0-amount": "18.40"})
    assert saved.status_code == 302, saved.get_data(as_text=True)
    claim_id = int(saved.headers["Location"].rstrip("/").split("/")[-1])
    page = client.get(f"/hr/expenses/{claim_id}").get_data(as_text=True)
    assert ">Submit</button>" in page and "it needs at least one receipt" in page

    client.post(f"/hr/expenses/{claim_id}/submit")
    assert "Attach the receipts to the claim before submitting it" in client.get(
        f"/hr/expenses/{claim_id}").get_data(as_text=True)
    client.post(f"/chatter/hr_expense_claim/{claim_id}/attachment",
                {"file": (io.BytesIO(image_bytes()), "taxi.png"), "next": f"/hr/expenses/{claim_id}"},
                content_type="multipart/form-data")
    assert client.post(f"/hr/expenses/{claim_id}/submit").status_code == 302
    assert web.db.system().get(ExpenseClaim, claim_id).state == SUBMITTED
    assert "Client visit" in client.get("/hr/my-expenses").get_data(as_text=True)

    colleague = web.client()
    colleague.login(otto.login)
    assert colleague.get(f"/hr/expenses/{claim_id}").status_code == 404
    assert "Client visit" not in colleague.get("/hr/expenses/export.csv").get_data(as_text=True)
    assert colleague.post(f"/hr/expenses/{claim_id}/approve").status_code == 404

    boss_client = web.client()
    boss_client.login(boss.login)
    listed = boss_client.get("/hr/expenses/?filter=to_approve").get_data(as_text=True)
    assert "Client visit" in listed
    asking_why = boss_client.post(f"/hr/expenses/{claim_id}/refuse")
    assert asking_why.status_code == 200 and 'name="reason"' in asking_why.get_data(as_text=True)
    assert boss_client.post(f"/hr/expenses/{claim_id}/approve").status_code == 302
    assert web.db.system().get(ExpenseClaim, claim_id).state == APPROVED
