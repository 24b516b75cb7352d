"""Large list exports run as the user's task on the real job queue; small ones stay immediate."""
import csv
import io
import re

from addons.contacts.services import create_partners
from core.models import UserTask
from core.web.export_tasks import QUEUED_ROWS
from tests.test_jobs import wait_for

LARGE = QUEUED_ROWS + 500


def add_partners(web, prefix: str, count: int) -> None:
    session = web.db.system()
    create_partners(session, web.db.main_company.id,
                    [{"name": f"{prefix} {number:05d}", "city": "Madrid"} for number in range(count)])
    session.commit()


def finished(client, task_url: str) -> dict:
    return wait_for(lambda: (found := client.get(f"{task_url}/status").get_json())["finished"] and found,
                    timeout=900, what="the export to finish")


def test_a_large_export_is_written_by_the_worker_with_the_list_filters_for_its_user_only(web, clerk, worker):
    add_partners(web, "Alfa", LARGE)
    add_partners(web, "Beta", 3)
    small = clerk.get("/contacts/partners/export.csv?q=Beta")  # a small export is sent at once
    assert small.status_code == 200 and small.get_data(as_text=True).count("Beta ") == 3

    queued = clerk.get("/contacts/partners/export.csv?q=Alfa&sort=name&dir=desc")
    assert queued.status_code == 302 and re.fullmatch(r"/tasks/\d+", queued.headers["Location"])
    task_url = queued.headers["Location"]
    page = clerk.get(task_url).get_data(as_text=True)
    assert "Export of Partners" in page and "Waiting to start" in page and f"0 of {LARGE:,} rows" in page
    worker()
    assert finished(clerk, task_url)["state"] == "done"
    page = clerk.get(task_url).get_data(as_text=True)
    assert f'href="{task_url}/download"' in page and "Download partners.csv" in page
    assert f"{LARGE:,} rows. You can download the file until" in page

    download = clerk.get(f"{task_url}/download")
    assert download.status_code == 200 and 'filename=partners.csv' in download.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(download.get_data(as_text=True).lstrip("\ufeff"))))
    names = [row[0] for row in rows[1:]]
    assert len(names) == LARGE and names[0] == f"Alfa {LARGE - 1:05d}" and not any("Beta" in n for n in names)

    web.db.user("other", groups=["contacts.group_user"])
    other = web.client()
    other.login("other")
    assert other.get(task_url).status_code == 404 and other.get(f"{task_url}/download").status_code == 404


def test_an_export_cancelled_before_it_starts_writes_nothing_and_an_expired_file_is_gone(web, clerk, worker, tmp_path):
    add_partners(web, "Gamma", LARGE)
    task_url = clerk.get("/contacts/partners/export.xlsx").headers["Location"]
    clerk.get(task_url)
    assert clerk.post(f"{task_url}/cancel").status_code == 302
    worker()
    assert finished(clerk, task_url)["state"] == "cancelled"
    assert "Cancelled before it started: nothing was done." in clerk.get(task_url).get_data(as_text=True)
    assert clerk.get(f"{task_url}/download").status_code == 404
    assert not list((tmp_path / "task-files").glob("export-*"))

    done_url = clerk.get("/contacts/partners/export.xlsx").headers["Location"]
    assert finished(clerk, done_url)["state"] == "done"
    assert clerk.get(f"{done_url}/download").data[:2] == b"PK"
    session = web.db.system()
    task = session.get(UserTask, int(done_url.rsplit("/", 1)[1]))
    task.expires_at = task.finished_at  # as if a day had passed
    session.commit()
    assert clerk.get(f"{done_url}/download").status_code == 404
    assert "This file has expired: export the list again." in clerk.get(done_url).get_data(as_text=True)
