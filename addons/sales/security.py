"""Who may do what in sales, always within the user's companies (the core's company rule).

- salesperson: prepares, sends and confirms their own quotations, reads
  those of their teams, and reads price lists and teams;
- sales manager: everything sales holds: every quotation, price lists,
  teams and the customers' price lists, the company's sales settings, and
  the approvals quotations ask for (a salesperson reads the settings and the
  approvals of the quotations they see, and never writes one: requests are
  written by the approvals service), commission plans and statements (a
  salesperson reads their own statements only; nobody deletes one: it is
  cancelled, and its lines stay as they were confirmed).
"""
from sqlalchemy import or_, select, true

from addons.accounting import models as accounting
from core import Group, ModelAccess, N_, RecordRule

from . import models as m

SALESPERSON = "sales.group_salesperson"
MANAGER = "sales.group_manager"

GROUPS = (
    Group(SALESPERSON, N_("Sales: salesperson"), implies=("contacts.group_user", "products.group_user")),
    Group(MANAGER, N_("Sales: manager"), implies=(SALESPERSON,), for_admin=True),
)

#: what pricing and totalling a quotation reads of accounting (taxes, currencies, the rounding setting)
_ACCOUNTING_READS = (accounting.Tax, accounting.Currency, accounting.CurrencyRate, accounting.Settings)


def _grant(model, group, letters):
    return ModelAccess(model, group, read="r" in letters, create="c" in letters, write="w" in letters,
                       delete="d" in letters)


#: confirmed once and kept: a statement is cancelled, never deleted, and its copies never change
_STATEMENTS = (m.CommissionStatement, m.CommissionStatementLine, m.CommissionStatementBand)

ACCESS = (
    *(_grant(model, MANAGER, "rcwd") for model in m.ALL if model not in (m.SaleApproval, *_STATEMENTS)),
    _grant(m.SaleApproval, MANAGER, "rcw"),  # a decision is kept, never deleted
    _grant(m.CommissionStatement, MANAGER, "rcw"),
    *(_grant(model, MANAGER, "rc") for model in _STATEMENTS[1:]),
    *(_grant(model, SALESPERSON, "r") for model in _STATEMENTS),
    *(_grant(model, SALESPERSON, "r") for model in (m.SalesTeam, m.PriceList, m.PriceRule, m.SalesPartner,
                                                    m.SalesProduct, m.SalesSettings)),
    _grant(m.InvoiceLineLink, SALESPERSON, "rc"),  # invoicing an order links the invoice's lines to it
    _grant(m.SaleApproval, SALESPERSON, "rd"),  # "d": a draft quotation is deleted with its requests
    _grant(m.SaleOrder, SALESPERSON, "rcwd"),
    _grant(m.SaleOrderLine, SALESPERSON, "rcwd"),
    *(_grant(model, SALESPERSON, "r") for model in _ACCOUNTING_READS),
)


def my_teams(actor):
    return select(m.team_members.c.team_id).where(m.team_members.c.user_id == actor.user_id)


def _orders_i_see(actor):
    return or_(m.SaleOrder.user_id == actor.user_id, m.SaleOrder.team_id.in_(my_teams(actor)))


def _orders_i_change(actor):
    return m.SaleOrder.user_id == actor.user_id


def _lines_of(condition):
    return lambda actor: m.SaleOrderLine.order.has(condition(actor))


def _approvals_of(condition):
    return lambda actor: m.SaleApproval.order.has(condition(actor))


def _own_statement(actor):
    return m.CommissionStatement.user_id == actor.user_id


def _statement_part(model):
    return lambda actor: model.statement.has(_own_statement(actor))


RULES = (
    RecordRule(m.CommissionStatement, "own commission statements", _own_statement, groups=(SALESPERSON,)),
    *(RecordRule(model, "parts of own commission statements", _statement_part(model), groups=(SALESPERSON,))
      for model in _STATEMENTS[1:]),
    RecordRule(m.SaleOrder, "own and team's quotations", _orders_i_see, groups=(SALESPERSON,),
               operations=("read",)),
    RecordRule(m.SaleOrder, "own quotations", _orders_i_change, groups=(SALESPERSON,),
               operations=("create", "write", "delete")),
    RecordRule(m.SaleOrderLine, "lines of own and team's quotations", _lines_of(_orders_i_see), groups=(SALESPERSON,),
               operations=("read",)),
    RecordRule(m.SaleOrderLine, "lines of own quotations", _lines_of(_orders_i_change), groups=(SALESPERSON,),
               operations=("create", "write", "delete")),
    RecordRule(m.SaleApproval, "approvals of own and team's quotations", _approvals_of(_orders_i_see),
               groups=(SALESPERSON,), operations=("read",)),
    RecordRule(m.SaleApproval, "approvals of own quotations", _approvals_of(_orders_i_change),
               groups=(SALESPERSON,), operations=("delete",)),
    *(RecordRule(model, "all", lambda actor: true(), groups=(MANAGER,))
      for model in (m.SaleOrder, m.SaleOrderLine, m.SaleApproval, *_STATEMENTS)),
)
