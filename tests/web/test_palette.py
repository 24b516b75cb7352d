"""The global search and command palette's answers (/palette.json): menus and records the user may see, only."""
from addons.contacts.services import create_partner
from addons.crm.services import create_lead
from core.web.palette import PER_VIEW


def search(client, text: str) -> dict:
    response = client.get("/palette.json", query_string={"q": text})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def labels(answer: dict) -> dict[str, list[str]]:
    return {group["label"]: [result["label"] for result in group["results"]] for group in answer["groups"]}


def test_records_of_the_users_companies_only(web):
    other = web.db.company("Altra S.p.A.")
    session = web.db.system()
    create_partner(session, web.db.main_company.id, name="Zafiro Madrid")
    create_partner(session, other.id, name="Zafiro Milano")
    session.commit()
    web.db.user("local", groups=["contacts.group_user"])
    client = web.client()
    client.login("local")
    found = labels(search(client, "zafiro"))
    assert found == {"Partners": ["Zafiro Madrid"]}
    group = search(client, "zafiro")["groups"][0]
    assert group["url"] == "/contacts/partners/?q=zafiro"
    assert group["results"][0]["url"].startswith("/contacts/partners/")


def test_record_rules_apply_and_unreadable_models_are_not_searched(web):
    session = web.db.system()
    seller = web.db.user("seller", groups=["crm.group_salesperson"])
    web.db.user("clerk", groups=["contacts.group_user"])
    create_lead(session, web.db.main_company.id, name="Opalo mine", user_id=seller.id)
    create_lead(session, web.db.main_company.id, name="Opalo theirs", user_id=web.db.admin().id)
    create_partner(session, web.db.main_company.id, name="Opalo partner")
    session.commit()
    client = web.client()
    client.login("seller")
    assert labels(search(client, "opalo")) == {"Leads": ["Opalo mine"], "Partners": ["Opalo partner"]}
    clerk = web.client()
    clerk.login("clerk")
    assert labels(search(clerk, "opalo")) == {"Partners": ["Opalo partner"]}


def test_menus_and_create_actions_the_user_may_use(web):
    web.db.user("clerk", groups=["contacts.group_user"])
    client = web.client()
    client.login("clerk")
    commands = {command["label"]: command["url"] for command in search(client, "partner")["commands"]}
    assert commands["New Partner"] == "/contacts/partners/new"
    assert any(url == "/contacts/partners/" for url in commands.values())
    assert not [label for label in commands if "Settings" in label or "Users" in label]
    assert search(client, "users")["commands"] == []  # the settings' menu is the administrators'


def test_a_few_results_per_list_and_bad_input(web):
    session = web.db.system()
    for number in range(PER_VIEW + 3):
        create_partner(session, web.db.main_company.id, name=f"Granito {number}")
    session.commit()
    web.db.user("clerk", groups=["contacts.group_user"])
    client = web.client()
    client.login("clerk")
    assert len(labels(search(client, "granito"))["Partners"]) == PER_VIEW
    assert search(client, "") == {"query": "", "commands": [], "groups": []}
    assert search(client, "%_\\'\"<script>")["groups"] == []
    long = search(client, "granito " + "x" * 5000)
    assert len(long["query"]) == 100 and long["groups"] == []


def test_anonymous_visitors_get_no_answer(web):
    response = web.client().get("/palette.json?q=a")
    assert response.status_code == 302
