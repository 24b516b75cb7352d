"""Imports confirmed on the web run as the user's task on the real job queue: progress, cancel, result, privacy.

A real worker (huey's consumer in threads) runs the jobs from a SQLite queue
file, and from Redis too (the ``queue`` and ``worker`` fixtures of conftest.py).
The worker is started after the import is confirmed, so what the confirming
request did is seen before any job runs.
"""
import io
import re

from sqlalchemy import func, select

from addons.contacts.models import Partner
from core.models import UserTask
from core.models.task import CANCELLED, DONE
from tests.test_jobs import wait_for

LARGE = 20_000


def partners(web, prefix="") -> int:
    return web.db.system().scalar(select(func.count(Partner.id)).where(Partner.name.like(f"{prefix}%")))


def csv_of(count: int, prefix: str = "Cliente") -> bytes:
    lines = ["Nombre;Ciudad"] + [f"{prefix} {number:05d};Madrid" for number in range(1, count + 1)]
    return ("\n".join(lines) + "\n").encode()


def upload(client, data: bytes, name="clientes.csv") -> str:
    client.get("/contacts/partners/import")
    response = client.post("/contacts/partners/import", {"file": (io.BytesIO(data), name)},
                           content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def confirm(client, data: bytes, columns=("name", "city")) -> str:
    """Upload, look at the preview, confirm: returns the task page the confirmation leads to."""
    preview_url = upload(client, data)
    assert client.get(preview_url).status_code == 200
    form = {"action": "import", **{f"column-{n}": field for n, field in enumerate(columns, start=1)}}
    response = client.post(preview_url, form)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert re.fullmatch(r"/tasks/\d+", response.headers["Location"])
    return response.headers["Location"]


def status(client, task_url: str) -> dict:
    response = client.get(f"{task_url}/status")
    assert response.status_code == 200
    return response.get_json()


def finished(client, task_url: str) -> dict:
    return wait_for(lambda: (found := status(client, task_url))["finished"] and found, timeout=600,
                    what="the task to finish")


def task_row(web, task_url: str) -> UserTask:
    return web.db.system().get(UserTask, int(task_url.rsplit("/", 1)[1]))


def test_a_large_import_is_queued_reports_progress_and_a_cancel_keeps_what_was_imported(web, clerk, worker, tmp_path):
    data = csv_of(LARGE)
    task_url = confirm(clerk, data)
    queued = status(clerk, task_url)  # the request only queued the import
    assert queued["state"] == "queued" and queued["done"] == 0 and queued["total"] == LARGE
    assert partners(web, "Cliente ") == 0
    page = clerk.get(task_url).get_data(as_text=True)
    assert "Waiting to start" in page and f'max="{LARGE}"' in page and "0 of 20,000 rows" in page
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in page and "progress.js" in page
    stored = list((tmp_path / "task-files").iterdir())
    assert len(stored) == 1 and stored[0].read_bytes() == data  # the upload waits in the tasks' folder

    worker()
    started = wait_for(lambda: (found := status(clerk, task_url))["done"] and found, timeout=300,
                       what="the first batch's progress")
    assert 0 < started["done"] < LARGE and started["state"] == "running"
    cancelled = clerk.post(f"{task_url}/cancel")
    assert cancelled.status_code == 302 and cancelled.headers["Location"] == task_url
    assert "the work stops at the end of the current batch" in clerk.get(task_url).get_data(as_text=True)

    end = finished(clerk, task_url)
    assert end["state"] == CANCELLED and end["done"] < LARGE
    result = task_row(web, task_url).result
    imported = partners(web, "Cliente ")
    assert imported == result["created"] == result["checked"] == end["done"]  # whole batches, nothing half written
    assert result["imported"] == [[2, imported + 1]]  # the file's lines 2 (after the header) to ...
    page = clerk.get(task_url).get_data(as_text=True)
    assert f"Cancelled after line {imported + 1}." in page and f"Lines imported: 2–{imported + 1}" in page
    assert list((tmp_path / "task-files").iterdir()) == []  # the upload is gone once the import ended

    again = confirm(clerk, data)  # the same file again: what was imported is skipped, the rest is imported
    end = finished(clerk, again)
    assert end["state"] == DONE and partners(web, "Cliente ") == LARGE
    result = task_row(web, again).result
    assert result["created"] == LARGE - imported and result["existing"] == imported


def test_a_small_import_ends_on_its_result_page(web, clerk, worker):
    task_url = confirm(clerk, csv_of(3, "Tienda"))
    worker()
    assert finished(clerk, task_url)["state"] == DONE
    page = clerk.get(task_url).get_data(as_text=True)
    assert "Records created" in page and "Lines imported: 2–4" in page and "No line was imported" not in page
    assert 'href="/contacts/partners/"' in page and partners(web, "Tienda ") == 3
    assert f'action="{task_url}/cancel"' not in page and "<progress" not in page


def test_another_user_gets_a_404_on_my_task_and_cannot_cancel_it(web, clerk, worker):
    task_url = confirm(clerk, csv_of(2, "Privada"))
    web.db.user("other", groups=["contacts.group_user"])
    other = web.client()
    other.login("other")
    assert other.get(task_url).status_code == 404
    assert other.get(f"{task_url}/status").status_code == 404
    other.get("/")
    assert other.post(f"{task_url}/cancel").status_code == 404
    assert not task_row(web, task_url).cancel_requested
    worker()
    assert finished(clerk, task_url)["state"] == DONE and partners(web, "Privada ") == 2
    assert other.get(task_url).status_code == 404


def test_a_file_with_errors_is_not_queued_and_a_malformed_file_is_a_clear_message(web, clerk):
    preview_url = upload(clerk, "Nombre;Correo\nUno;uno@example.es\nDos;dos(at)example.es\n".encode())
    clerk.get(preview_url)
    forced = clerk.post(preview_url, {"action": "import", "column-1": "name", "column-2": "email"})
    assert forced.status_code == 422 and "dos(at)example.es is not an email address." in forced.get_data(as_text=True)
    assert web.db.system().scalar(select(func.count(UserTask.id))) == 0
    clerk.get("/contacts/partners/import")
    refused = clerk.post("/contacts/partners/import", {"file": (io.BytesIO(b"PK\x03\x04broken"), "clientes.xlsx")},
                         content_type="multipart/form-data")
    assert refused.status_code == 422
    assert "clientes.xlsx" in refused.get_data(as_text=True) and "Traceback" not in refused.get_data(as_text=True)


def test_lines_that_fail_when_the_job_runs_are_listed_by_line_and_column_and_the_rest_is_imported(web, worker):
    from addons.contacts.services import create_partners
    from addons.crm.models import Lead
    from core.testing import ADMIN_PASSWORD

    session = web.db.system()
    [acme] = create_partners(session, web.db.main_company.id, [{"name": "Acme", "is_company": True}])
    session.commit()
    admin = web.client()
    admin.login("admin", ADMIN_PASSWORD)
    admin.get("/crm/leads/import")
    data = "Asunto;Correo;Cliente\nUno;uno@example.es;Acme\nDos;dos@example.es;\nTres;tres@example.es;Acme\n"
    preview = admin.post("/crm/leads/import", {"file": (io.BytesIO(data.encode()), "leads.csv")},
                         content_type="multipart/form-data").headers["Location"]
    assert "New records to create: 3." in admin.get(preview).get_data(as_text=True)
    answer = admin.post(preview, {"action": "import", "column-1": "name", "column-2": "email", "column-3": "partner_id"})
    task_url = answer.headers["Location"]
    session.get(Partner, acme).name = "Acme Iberia"  # renamed before the worker reads the file
    session.commit()

    worker()
    assert finished(admin, task_url)["state"] == DONE
    page = admin.get(task_url).get_data(as_text=True)
    assert re.search(r"<dt>Records created</dt><dd>1</dd>", page)
    assert re.search(r"<dt>Lines with errors, not imported</dt><dd>2</dd>", page)
    assert "Lines imported: 3" in page and "Problems by line" in page
    for line in (2, 4):
        assert re.search(rf'<td class="number">{line}</td>\s*<td>Cliente</td>\s*<td><span class="badge">Error</span> '
                         r"No partner has this name, or you may not use it\.", page), line
    assert [lead.name for lead in web.db.system().scalars(select(Lead))] == ["Dos"]
