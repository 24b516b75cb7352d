"""A minimal Flask + SQLAlchemy JSON list of partners: the keyset page query the API sends, and nothing else.

The baseline of ``bench/api_list.py``, served by gunicorn as ``bottega serve`` is: no key check, no
access rules, no rate limit, no field layer; the same page (company 1's partners by id, 50 at a time,
past the last id of the previous page, one row more to know whether a next page exists), every column
as JSON, and the next page's cursor. ``BENCH_DATABASE_URL`` names the database.
"""
from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal

from flask import Flask, jsonify, request
from sqlalchemy import MetaData, Table, create_engine, select

PAGE_SIZE = 50

engine = create_engine(os.environ["BENCH_DATABASE_URL"])
partners = Table("contacts_partner", MetaData(), autoload_with=engine)
app = Flask(__name__)


def plain(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


@app.get("/partners")
def partner_list():
    after = request.args.get("cursor", type=int)
    statement = (select(partners).where(partners.c.company_id.in_([1])).order_by(partners.c.id)
                 .limit(PAGE_SIZE + 1))
    if after is not None:
        statement = statement.where(partners.c.id > after)
    with engine.connect() as connection:
        rows = connection.execute(statement).mappings().all()
    page = [{key: plain(value) for key, value in row.items()} for row in rows[:PAGE_SIZE]]
    return jsonify(data=page, next_cursor=page[-1]["id"] if len(rows) > PAGE_SIZE else None)
