"""Importing partners from the web: upload, column mapping, preview with the report, commit."""
import io
import re

import pytest
from sqlalchemy import func, select

from addons.contacts.models import Partner
from core.models import User
from tests import bombs
from tests.test_jobs import wait_for

GOOD = ("Nombre;Correo;Ciudad;NIF;País;Fax\n"
        "Ferretería Ibérica S.L.;info@iberica.es;Madrid;B12345674;ES;555\n"
        "Panadería del Sol;;Sevilla;;ES;556\n").encode("utf-8")


def count(web) -> int:
    return web.db.system().scalar(select(func.count(Partner.id)))


def upload(client, data: bytes, name="clientes.csv"):
    client.get("/contacts/partners/import")
    return client.post("/contacts/partners/import", {"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def test_upload_preview_then_import(web, clerk, worker):
    response = upload(clerk, GOOD)
    assert response.status_code == 302
    preview_url = response.headers["Location"]
    page = clerk.get(preview_url).get_data(as_text=True)
    assert "Import clientes.csv" in page
    assert "2 lines read." in page and "New records to create: 2." in page
    assert re.search(r'<select id="column-1" name="column-1">.*?<option value="name" selected>', page, re.S)
    assert re.search(r'<select id="column-6" name="column-6">\s*<option value="">— do not import —</option>\s*'
                     r'(<option value="\w+" >[^<]*</option>\s*)+</select>', page)  # Fax: not matched
    assert "Ferretería Ibérica S.L." in page and "Import 2 lines" in page
    assert count(web) == 0  # the preview stores nothing

    form = {"action": "import", **{f"column-{n}": f for n, f in
                                   enumerate(["name", "email", "city", "vat", "country_code", ""], start=1)}}
    done = clerk.post(preview_url, form)  # queued as the user's task, run by the worker
    assert done.status_code == 302 and done.headers["Location"].startswith("/tasks/")
    worker()
    wait_for(lambda: clerk.get(done.headers["Location"] + "/status").get_json()["finished"], what="the import")
    result = clerk.get(done.headers["Location"]).get_data(as_text=True)
    assert re.search(r"<dt>Records created</dt><dd>2</dd>", result) and "Lines imported: 2–3" in result
    assert count(web) == 2
    gone = clerk.get(preview_url)  # the upload is gone, and the page says so
    assert gone.status_code == 302 and gone.headers["Location"].endswith("/contacts/partners/import")
    assert "This import has expired" in clerk.get(gone.headers["Location"]).get_data(as_text=True)

    again = clerk.get(upload(clerk, GOOD).headers["Location"]).get_data(as_text=True)
    assert "New records to create: 0." in again and "2 lines are already there and will be skipped." in again
    assert "Import 0" not in again and count(web) == 2


def test_a_file_with_errors_shows_the_report_offers_no_import_and_stores_nothing(web, clerk):
    data = ("Nombre;Correo\nUno;uno@example.es\nDos;dos(at)example.es\nUno;uno@example.es\n").encode()
    preview_url = upload(clerk, data).headers["Location"]
    page = clerk.get(preview_url).get_data(as_text=True)
    assert "2 problems must be fixed before importing; nothing has been stored." in page
    assert "dos(at)example.es is not an email address." in page and "This line repeats line 2." in page
    assert 'value="import"' not in page
    forced = clerk.post(preview_url, {"action": "import", "column-1": "name", "column-2": "email"})
    assert forced.status_code == 422 and count(web) == 0


def test_changing_the_mapping_and_a_missing_required_column(web, clerk):
    preview_url = upload(clerk, "Correo;Ciudad\nana@example.es;Madrid\n".encode()).headers["Location"]
    page = clerk.get(preview_url).get_data(as_text=True)
    assert "Required column Name is missing" in page and 'value="import"' not in page
    remapped = clerk.post(preview_url, {"action": "check", "column-1": "name", "column-2": "city"})
    assert remapped.status_code == 200
    assert "New records to create: 1." in remapped.get_data(as_text=True)
    assert count(web) == 0


def test_wrong_encodings_are_explained(web, clerk):
    preview_url = upload(clerk, GOOD.decode().encode("cp1252")).headers["Location"]
    page = clerk.get(preview_url).get_data(as_text=True)
    assert "clientes.csv is not UTF-8 text; it was read as Windows-1252." in page
    assert "Ferretería Ibérica S.L." in page
    forced = clerk.post(preview_url, {"action": "check", "encoding": "utf-8"})
    assert forced.status_code == 422
    assert "clientes.csv is not utf-8 text: line 1 has a byte it cannot decode" in forced.get_data(as_text=True)
    refused = upload(clerk, b"\x00\x01\x02binary", name="photo.csv")
    assert refused.status_code == 422
    assert "does not look like a text CSV file" in refused.get_data(as_text=True)
    assert upload(clerk, b"", name="").status_code == 422
    assert count(web) == 0


def test_another_user_cannot_open_my_upload_and_readers_cannot_import(web, clerk):
    preview_url = upload(clerk, GOOD).headers["Location"]
    web.db.user("other", groups=["contacts.group_user"])
    other = web.client()
    other.login("other")
    response = other.get(preview_url)
    assert response.status_code == 302 and response.headers["Location"].endswith("/contacts/partners/import")
    web.db.user("reader", groups=["core.group_user"])
    reader = web.client()
    reader.login("reader")
    assert reader.get("/contacts/partners/import").status_code == 403
    assert reader.get(preview_url).status_code == 403


def test_the_import_pages_speak_spanish(web):
    user = web.db.user("lucia", groups=["contacts.group_user"])
    system = web.db.system()
    system.get(User, user.id).lang = "es"
    system.commit()
    client = web.client()
    client.login("lucia")
    assert "Importar: Contactos" in client.get("/contacts/partners/import").get_data(as_text=True)
    data = "Nombre;Correo\nDos;dos(at)example.es\n".encode()
    page = client.get(upload(client, data).headers["Location"]).get_data(as_text=True)
    assert "dos(at)example.es no es una dirección de correo electrónico." in page
    assert "1 línea leída." in page and "Columnas" in page


@pytest.mark.parametrize("make, name, message", [
    (bombs.zip_bomb, "bomb.xlsx",
     "bomb.xlsx is not read: its part xl/worksheets/sheet1.xml is compressed more than 200 times"),
    (lambda: bombs.sized_sheet("A1:XFD1048576", last_row=1_048_576), "far.xlsx",
     "far.xlsx has more than 100000 lines"),
])
def test_a_file_built_to_exhaust_the_server_is_refused_at_upload(web, clerk, make, name, message):
    response = upload(clerk, make(), name)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count(web) == 0
