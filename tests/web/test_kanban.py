"""Kanban: columns per stage, and a drop changes the stage through the same service and checks as the form."""
from core.testing import ADMIN_PASSWORD
from tests.lifecycle_helpers import execute, fixture_catalog, query



def test_kanban_shows_columns_and_a_drop_moves_the_card(served):
    client_for, url = served(fixture_catalog("alpha"), ["alpha"])
    execute(url, "INSERT INTO alpha_item (name, company_id, stage, user_id) VALUES ('Paint the shop', 1, 'new', 1)")
    admin = client_for()
    admin.login("admin", ADMIN_PASSWORD)
    board = admin.get("/alpha/items/kanban")
    html = board.get_data(as_text=True)
    assert board.status_code == 200
    assert html.index('data-stage="new"') < html.index("Paint the shop") < html.index('data-stage="doing"')
    moved = admin.post_json("/alpha/items/1/stage", {"stage": "doing"})
    assert moved.status_code == 200 and moved.get_json()["ok"] is True
    assert moved.get_json()["totals"]["doing"] == {"count": 1, "sum": ""}  # the view sums no field
    assert query(url, "SELECT stage FROM alpha_item") == [("doing",)]
    history = admin.get("/alpha/items/1").get_data(as_text=True)
    assert "<del>New</del>" in history and "<ins>Doing</ins>" in history  # the choices by their labels


def test_a_drop_onto_a_stage_the_user_may_not_set_is_refused_and_changes_nothing(served):
    client_for, url = served(fixture_catalog("alpha"), ["alpha"])
    admin = client_for()
    admin.login("admin", ADMIN_PASSWORD)
    admin.get("/settings/users/new")
    created = admin.post("/settings/users/new", {"login": "worker", "name": "Worker", "lang": "en",
                                                "active": "y", "company_id": "1", "companies": ["1"],
                                                "groups": [str(g) for (g,) in query(
                                                    url, "SELECT id FROM core_group WHERE key = 'alpha.group_user'")],
                                                "new_password": "worker-password"})
    assert created.status_code == 302, created.get_data(as_text=True)
    [(worker_id,)] = query(url, "SELECT id FROM core_user WHERE login = 'worker'")
    execute(url, f"INSERT INTO alpha_item (name, company_id, stage, user_id) VALUES ('Mine', 1, 'doing', {worker_id})")
    execute(url, "INSERT INTO alpha_item (name, company_id, stage, user_id) VALUES ('Not mine', 1, 'new', 1)")
    worker = client_for()
    worker.login("worker", "worker-password")
    board = worker.get("/alpha/items/kanban").get_data(as_text=True)
    assert "Mine" in board and "Not mine" not in board
    refused = worker.post_json("/alpha/items/1/stage", {"stage": "done"})
    assert refused.status_code == 422
    assert refused.get_json()["error"] == "Only an alpha manager may mark an item done."
    unknown = worker.post_json("/alpha/items/1/stage", {"stage": "archived"})
    assert unknown.status_code == 422
    others = worker.post_json("/alpha/items/2/stage", {"stage": "doing"})
    assert others.status_code == 404
    no_token = worker.client.post("/alpha/items/1/stage", json={"stage": "new"})
    assert no_token.status_code == 400
    assert query(url, "SELECT name, stage FROM alpha_item ORDER BY id") == [("Mine", "doing"), ("Not mine", "new")]
