"""Malformed input on every route of every installed addon, as an administrator and as a plain user: never a 500.

The app serves a database with every addon's demonstration data, so record
pages find their records and go on to read the request. For each route of
the URL map, the sweep sends:

- ids no database column holds in each ``int`` URL argument;
- in the query string (GET) or the form (POST), every name the route's code
  could read (each identifier-like string in its module, and a generic
  view's fields) set to one malformed value at a time: huge numbers, NaN,
  infinities, dates at the ends of the calendar, an id past 64 bits;
- to each POST route, JSON bodies that are not objects, objects carrying NUL
  characters, and objects whose every name holds a list, an object, a huge
  number or a string with a NUL.

Any answer but a 500 is accepted here: what each route should answer is
the business of its own tests. A failure lists every request that got one.
"""
from __future__ import annotations

import ast
import inspect
import json
import re
import sys

import pytest
from sqlalchemy import inspect as inspect_model
from sqlalchemy import select
from werkzeug.routing import Rule

from addons.crm.models import Team
from core.demo import load_demo_data
from core.models import Company
from core.testing import ADMIN_PASSWORD, USER_PASSWORD, TestData, WebClient, web_config

HUGE_IDS = (2**31, 2**63, 10**30)
VALUES = ("99999999999999999999999999", "-99999999999999999999999999", "1e400", "NaN", "-Infinity",
          "0001-01-01", "9999-12-31", str(2**64))
JSON_BODIES = ([], [{"id": 1}], "text", 12, None, True, {"\u0000": 1}, {"name": "a\u0000b"})
#: bodies no JSON encoder writes: nested past any parser's depth, cut short, a NUL byte, a number past float
RAW_JSON = ("[" * 100_000 + "]" * 100_000, '{"name": 1', "\x00", "1e999999", '{"id": 1' + "0" * 5000 + "}")
JSON_VALUES = ([1], {"id": 1}, 10**30, -(2**63), "a\u0000b", "NaN", True, None)
PLAIN_GROUPS = ("contacts.group_user", "crm.group_salesperson", "accounting.group_billing", "products.group_user",
                "notes.group_user", "sales.group_salesperson")
#: the table of the record each id argument of a route that is not a generic view names
ARGUMENT_TABLES = {"invoice_id": "accounting_invoice", "payment_id": "accounting_payment",
                   "statement_id": "accounting_bank_statement", "line_id": "accounting_bank_statement_line",
                   "year_id": "accounting_fiscal_year", "lead_id": "crm_lead", "activity_id": "core_activity",
                   "campaign_id": "crm_campaign", "order_id": "purchase_order", "quote_id": "sales_order", "approval_id": "sales_approval", "transfer_id": "stock_transfer",
                   "count_id": "stock_count", "lot_id": "stock_lot", "move_id": "stock_move",
                   "product_id": "products_product", "core.job_retry": "core_job",
                   "core.mail_requeue": "core_mail", "core.company_logo": "core_company",
                   "commission_id": "sales_commission_statement", "contract_id": "hr_contract", "leave_id": "hr_leave",
                   "employee_id": "hr_employee", "claim_id": "hr_expense_claim", "batch_id": "hr_payslip_batch",
                   "payslip_id": "hr_payslip",
                   "task_id": "core_user_task", "res_id": "contacts_partner", "attachment_id": "core_attachment",
                   "key_id": "core_api_key", "user_id": "core_user",
                   **{f"api.{name}": "contacts_partner" for name in ("read_record", "update_record",
                                                                    "delete_record", "run_action")}}
#: arguments naming records the sweep must not act on (its own login session): an id no record has
UNUSED_IDS = {"session_id": 2**31 - 1}
#: routes that would end the sweep's own session or change the installed addons
SKIPPED = {"auth.logout", "core.addon_action"}
IDENTIFIER = re.compile(r"[a-z][a-z0-9_]{0,40}")
INT_ARGUMENT = re.compile(r"<int(?:\([^)]*\))?:(\w+)>")
CAPTURE_KEY = "sweep-capture-key"


@pytest.fixture(scope="module")
def demo(databases, installed_engine, registry, catalog, tmp_path_factory):
    """The web app over a copy of the installed database holding every addon's demonstration data."""
    from core.db import make_engine
    from core.security import actor_session
    from core.sessions import make_session_factory
    from core.web.app import WebState, build_app
    from core.web.limiter import limiter

    engine = make_engine(databases.copy(installed_engine.url.render_as_string(hide_password=False),
                                        installed_engine))
    factory = make_session_factory(engine)
    data = TestData(registry, factory)
    with actor_session(factory, registry, None) as session:  # a system session, as `bottega demo` loads it
        company = session.scalars(select(Company).order_by(Company.id)).first()
        load_demo_data(session, registry, company)
        session.scalars(select(Team).order_by(Team.id)).first().capture_key = CAPTURE_KEY
        session.commit()
    data.user("plain", groups=PLAIN_GROUPS)
    app = build_app(WebState(web_config(tmp_path_factory.mktemp("web")), catalog, engine, registry, factory))
    app.config["TESTING"] = True
    with app.app_context():
        limiter.reset()
    try:
        yield app, data
    finally:
        data.close_all()
        engine.dispose()


def first_ids(app, data) -> dict[str, int]:
    """The first record id of every installed table, by table name."""
    registry = app.extensions["bottega"].registry
    ids = {}
    with data.factory() as session:
        for model in registry.models:
            found = session.scalar(select(model.id).order_by(model.id).limit(1)) if hasattr(model, "id") else None
            ids[model.__tablename__] = found or 1
    return ids


def names_read_by(app, rule: Rule) -> list[str]:
    """Every name the route's code could read from the request: identifier-like strings of its module."""
    function = app.view_functions[rule.endpoint]
    view = getattr(function, "model_view", None)
    module = sys.modules[(view.__class__ if view is not None else inspect.unwrap(function)).__module__]
    names = {node.value for node in ast.walk(ast.parse(inspect.getsource(module)))
             if isinstance(node, ast.Constant) and isinstance(node.value, str) and IDENTIFIER.fullmatch(node.value)}
    if view is not None:
        names |= set(view.form_fields) | {column.key for column in inspect_model(view.model).columns}
        names |= {"q", "sort", "dir", "page", "filter", "stage"}
    return sorted(names - {"csrf_token"})


def url_for_rule(app, rule: Rule, ids: dict[str, int], huge: int | None = None) -> str:
    function = app.view_functions[rule.endpoint]
    view = getattr(function, "model_view", None)
    values = {"fmt": "csv", "table": "contacts_partner", "field": "parent_id", "key": CAPTURE_KEY, "token": "not-a-token",
              "name": "contacts", "action": "upgrade", "kind": "out_invoice", "res_model": "contacts_partner",
              "addon": "contacts", "slug": "partners"}
    for argument in INT_ARGUMENT.findall(rule.rule):
        if argument in UNUSED_IDS:
            values[argument] = huge if huge is not None else UNUSED_IDS[argument]
            continue
        if view is not None:
            table = view.model.__tablename__
        else:
            table = ARGUMENT_TABLES[rule.endpoint if argument == "record_id" else argument]
        values[argument] = huge if huge is not None else ids.get(table, 1)
    path = rule.rule
    for argument in rule.arguments:
        path = re.sub(rf"<(?:[\w(=)]+:)?{argument}>", str(values[argument]), path)
    return path


def sweep(app, browser: WebClient, ids: dict[str, int], login) -> list[str]:
    """Send every malformed request; returns a line for each one answered with a 500.

    A route of the login flow (the second factor) ends the session it is posted in: ``login()`` then opens
    a new one, so that every later route is still reached as the user.
    """
    failures = []
    rules = sorted((rule for rule in app.url_map.iter_rules()
                    if not rule.endpoint.endswith("static") and rule.endpoint not in SKIPPED),
                   key=lambda rule: (rule.endpoint.endswith("_delete"), rule.rule))  # deletions last

    def send(method: str, url: str, what: str, **kwargs) -> None:
        try:
            response = client.open(url, method=method, **kwargs)
            status = response.status_code
            response.get_data()  # a streamed body fails while it is read
        except Exception as error:  # the test client re-raises what a stream raised
            status = f"{type(error).__name__}: {error}"[:200]
        if status == 500 or not isinstance(status, int):
            failures.append(f"{method} {url} {what}: {status}")

    client = browser.client
    for rule in rules:
        if client.get("/").status_code != 200:
            login()
        token = browser.token
        names = names_read_by(app, rule)
        methods = [m for m in ("GET", "POST") if m in rule.methods]
        if INT_ARGUMENT.search(rule.rule):
            for huge in HUGE_IDS:
                for method in methods:
                    send(method, url_for_rule(app, rule, ids, huge), f"id {huge}",
                         data={"csrf_token": token} if method == "POST" else None)
        url = url_for_rule(app, rule, ids)
        for value in VALUES:
            fields = {name: value for name in names}
            if "GET" in methods:
                send("GET", url, f"query {value}", query_string=fields)
            if "POST" in methods:
                send("POST", url, f"form {value}", data={**fields, "csrf_token": token})
        if "POST" in methods:
            headers = {"X-CSRFToken": token}
            for body in JSON_BODIES:
                send("POST", url, f"json {json.dumps(body)[:40]}", json=body, headers=headers)
            for raw in RAW_JSON:
                send("POST", url, f"raw json {raw[:20]!r}", data=raw, content_type="application/json",
                     headers=headers)
            for value in JSON_VALUES:
                send("POST", url, f"json values {json.dumps(value)[:40]}", json={name: value for name in names},
                     headers=headers)
    return failures


@pytest.mark.parametrize("login", ["admin", "plain"])
def test_no_malformed_request_gets_a_500_on_any_route(demo, login):
    app, data = demo
    client = WebClient(app)

    def log_in():
        client.login(login, ADMIN_PASSWORD if login == "admin" else USER_PASSWORD)
        assert client.get("/").status_code == 200

    log_in()
    failures = sweep(app, client, first_ids(app, data), log_in)
    assert not failures, f"{len(failures)} requests answered 500:\n" + "\n".join(failures[:200])
