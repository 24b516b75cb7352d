"""A minimal Flask + SQLAlchemy partner list: the SQL Bottega's list sends, and nothing else.

The baseline of ``bench/list_view.py``, served by gunicorn as ``bottega serve`` is: no login, no
access checks, no menus, no translations; the same page query (by keyset after a row, by offset for
a page number), the same capped count and the same search, rendered as a plain table.
``BENCH_DATABASE_URL`` names the database; the rows are company 1's.
"""
from __future__ import annotations

import os

from flask import Flask, render_template_string, request
from sqlalchemy import MetaData, Table, create_engine, func, or_, select, tuple_

PAGE_SIZE, COUNT_LIMIT, SEARCH_COUNT_LIMIT = 50, 10_000, 1_000
SEARCHED = ("name", "email", "city", "vat", "phone", "mobile")
SHOWN = ("name", "parent_id", "email", "phone", "city", "country_code")
TABLE = """<!doctype html><title>Partners</title><h1>Partners {{ total }}</h1>
<table>{% for row in rows %}<tr>{% for column in columns %}<td>{{ row[column] or "" }}</td>{% endfor %}</tr>
{% endfor %}</table>"""

engine = create_engine(os.environ["BENCH_DATABASE_URL"])
partners = Table("contacts_partner", MetaData(), autoload_with=engine)
app = Flask(__name__)


@app.get("/partners")
def partner_list():
    text, after = request.args.get("q", ""), request.args.get("after", type=int)
    number = request.args.get("page", 1, type=int)
    where = [partners.c.company_id.in_([1])]
    if text:
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        where.append(or_(*(partners.c[name].ilike(pattern, escape="\\") for name in SEARCHED)))
    statement = select(partners).where(*where).order_by(partners.c.name, partners.c.id).limit(PAGE_SIZE + 1)
    with engine.connect() as connection:
        if after:
            edge = connection.scalar(select(partners.c.name).where(partners.c.id == after, *where[:1]))
            statement = statement.where(tuple_(partners.c.name, partners.c.id) > (edge, after))
        else:
            statement = statement.offset((number - 1) * PAGE_SIZE)
        rows = connection.execute(statement).mappings().all()
        total = len(rows)
        if after or number > 1 or len(rows) > PAGE_SIZE:
            limit = SEARCH_COUNT_LIMIT if text else COUNT_LIMIT
            found = select(partners.c.id).where(*where).limit(limit + 1).subquery()
            total = connection.scalar(select(func.count()).select_from(found))
    return render_template_string(TABLE, rows=rows[:PAGE_SIZE], total=total, columns=SHOWN)
