"""The services keep the one calling convention of docs/services.md.

``service(session, [company_id,] record..., *, keyword=value...)``: after the
session (and the company's id, when the service works within a company), the
positional arguments are the records the service works on, as instances;
ids, amounts, dates and flags are keyword-only.
"""
from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil
import re
from decimal import Decimal

import pytest

import addons.accounting.services
import addons.purchase.services
import addons.stock.services

SERVICE_MODULES = sorted(
    [f"addons.accounting.services.{info.name}" for info in pkgutil.iter_modules(addons.accounting.services.__path__)]
    + [f"addons.purchase.services.{info.name}" for info in pkgutil.iter_modules(addons.purchase.services.__path__)]
    + [f"addons.stock.services.{info.name}" for info in pkgutil.iter_modules(addons.stock.services.__path__)]
    + ["addons.contacts.services", "addons.crm.services", "addons.products.services", "core.companies"]
)
#: annotations of what is never positional: an id, an amount, a date, a flag
KEYWORD_ONLY_TYPES = re.compile(r"\b(int|Decimal|dt\.date|dt\.datetime|date|datetime|bool)\b")


def services(module_name: str):
    module = importlib.import_module(module_name)
    for name, function in vars(module).items():
        if (inspect.isfunction(function) and function.__module__ == module_name and not name.startswith("_")
                and next(iter(inspect.signature(function).parameters), None) == "session"):
            yield name, function


def problems(function) -> list[str]:
    positional = [p for p in inspect.signature(function).parameters.values()
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)][1:]
    found = []
    for index, parameter in enumerate(positional):
        annotation = parameter.annotation if isinstance(parameter.annotation, str) else ""
        if parameter.name == "company_id":
            if index != 0:
                found.append("company_id comes right after the session")
        elif parameter.name.endswith(("_id", "_ids")):
            found.append(f"{parameter.name}: a record is given as an instance, an id only as a keyword")
        elif KEYWORD_ONLY_TYPES.search(annotation):
            found.append(f"{parameter.name}: {annotation} is keyword-only")
    return found


SERVICES = [(f"{module_name}.{name}", function) for module_name in SERVICE_MODULES
            for name, function in services(module_name)]


@pytest.mark.parametrize("name,function", SERVICES, ids=[name for name, _ in SERVICES])
def test_services_take_the_session_then_records_then_keywords(name, function):
    assert problems(function) == []


def test_the_check_sees_ids_amounts_dates_and_a_misplaced_company():
    def mixed(session, journal, company_id: int, partner_id: int, amount: Decimal, date: dt.date, post: bool,
              *, reference: str | None = None):
        """The signature register_payment and its kin had before the convention."""

    assert problems(mixed) == [
        "company_id comes right after the session",
        "partner_id: a record is given as an instance, an id only as a keyword",
        "amount: Decimal is keyword-only",
        "date: dt.date is keyword-only",
        "post: bool is keyword-only",
    ]
    assert len(SERVICES) > 60 and "addons.accounting.services.payments.register_payment" in dict(SERVICES)
