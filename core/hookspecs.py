"""Hook specifications: the whole public extension API of the Bottega core.

Rules (checked by tests/test_hookspecs_documented.py):

- every spec has type hints and a docstring that says when it is called and
  what it returns, with a ``:param name:`` line for each argument;
- every spec appears in docs/hooks.md as ``name(arg, ...)`` with its current
  arguments;
- an implementation may accept any subset of the arguments and must not give
  them default values (pluggy would silently not pass them).

Only installed addons are registered with the plugin manager, so an addon that
is not installed is never called. Addons are registered in dependency order;
collecting hooks must not rely on the order of their results.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import pluggy

hookspec = pluggy.HookspecMarker("bottega")
hookimpl = pluggy.HookimplMarker("bottega")

if TYPE_CHECKING:
    import datetime as dt
    from decimal import Decimal

    import click
    from flask import Blueprint
    from sqlalchemy.orm import Session

    from core.api.actions import ApiAction
    from core.availability import Availability
    from core.chatter.composer import Document
    from core.chatter.models import Message
    from core.commissions import CommissionAmount
    from core.db import Base
    from core.fields import Extension
    from core.menus import MenuItem
    from core.models import Company
    from core.planning import Demand, Source, Supply
    from core.security import Actor
    from core.web.smart_buttons import SmartButton
    from core.security.declarations import Group, ModelAccess, RecordRule
    from core.jobs import Job
    from core.mail_in.targets import AliasTarget
    from core.web.dashboard import Section, Tile
    from core.web.panels import LineNote, Panel, RecordButton
    from core.web.views import ModelView
    from core.webhooks import WebhookEvent


# --- Registration: called once when the registry of installed addons is built ---


@hookspec
def register_models() -> Iterable[type[Base]]:
    """Return the mapped classes this addon owns.

    Called once while the registry is built. Every returned class must have a
    table named ``<addon>_...``; the registry uses the list to know which
    tables an addon owns (for access checks, purge and the migration check).

    :return: the addon's model classes
    """


@hookspec
def register_extensions() -> Iterable[Extension]:
    """Return the fields this addon adds to models of other addons it depends on.

    Called once while the registry is built. Each :class:`core.fields.Extension`
    names the extended model and a side model of this addon (primary key = a
    foreign key to the extended record, ``ondelete="CASCADE"``); the side
    model's fields then appear in the extended model's form, list, record
    page, import and export while this addon is installed.

    :return: the addon's extensions
    """


@hookspec
def register_groups() -> Iterable[Group]:
    """Return the user groups (roles) this addon declares.

    Called once while the registry is built. Group keys are namespaced
    ``<addon>.<name>``; a group may imply other groups.

    :return: :class:`core.security.Group` declarations
    """


@hookspec
def register_model_access() -> Iterable[ModelAccess]:
    """Return which group may read, create, write or delete which model.

    Called once while the registry is built. Access is denied unless some
    declaration grants it; every model an addon registers needs at least one.

    :return: :class:`core.security.ModelAccess` declarations
    """


@hookspec
def register_record_rules() -> Iterable[RecordRule]:
    """Return row filters restricting which records of a model a user may touch.

    Called once while the registry is built. A rule without groups applies to
    everyone (rules are then combined with AND); rules for groups apply to
    members of those groups (combined with OR among themselves). The company
    rule for models with ``company_id`` is built in and need not be declared.

    :return: :class:`core.security.RecordRule` declarations
    """


@hookspec
def register_menu_items() -> Iterable[MenuItem]:
    """Return this addon's menu entries.

    Called once while the registry is built. Items form a tree through
    ``parent``; siblings are ordered by ``sequence``, never by addon order.

    :return: :class:`core.menus.MenuItem` declarations
    """


@hookspec
def register_commands(cli: click.Group) -> None:
    """Add commands to the ``bottega`` command line.

    Called when the CLI starts, for the addons installed in the configured
    database.

    :param cli: the root ``bottega`` command group; it holds an ``import`` group for import commands
    :return: nothing; add commands with ``cli.add_command``
    """


@hookspec
def register_jobs() -> Iterable[Job]:
    """Return the background and scheduled jobs this addon runs on the job queue.

    Called when the queue is set up (by ``bottega worker`` and by every process
    that enqueues jobs), for the installed addons only. Job names are
    namespaced ``<addon>.<name>``; a job with a ``schedule`` runs periodically.
    Give each function as a ``"module:attribute"`` reference, so that a worker
    starts without importing the addon's models (it does when the job runs).

    :return: :class:`core.jobs.Job` declarations
    """


@hookspec
def register_webhook_events() -> Iterable[WebhookEvent]:
    """Return the business events this addon publishes to webhook subscribers.

    Called when the webhook catalogue of the installed addons is built (the
    subscription form's choices, and each :func:`core.webhooks.publish`).
    Names are namespaced ``<addon>.<event>``; each event names the model of
    the record it is about. Publish one with
    ``core.webhooks.publish(session, "<addon>.<event>", ids)`` inside the
    business transaction, from the service or from this addon's
    implementation of the matching business hook (``invoice_posted``, ...).
    An uninstalled addon's events are neither offered nor published.

    :return: :class:`core.webhooks.WebhookEvent` declarations
    """


# --- Lifecycle: called while an addon is installed or upgraded ---


@hookspec
def after_install(session: Session, previous_version: str | None) -> None:
    """Create the setup data this addon needs (charts, journals, stages, defaults, a row per company).

    Called for this addon only (never for the other installed addons), after
    its migrations have brought its branch to head and its groups exist, on
    each install, each install again after an uninstall without purge, and
    each upgrade; with a system session on the lifecycle's connection, inside
    its transaction: an exception rolls the whole command back, and the addon
    is not installed. Do not commit, and do not enqueue jobs or mail (they
    are sent when a session commits, and this one never does).

    Migrations change the schema only; this hook runs today's models and
    services on today's schema, so a column a later migration adds never
    breaks it. It is one hook rather than one per case because every case
    needs the same thing: it must be idempotent (create only what is
    missing), since an install again finds the data of the first install and
    an upgrade finds everything but what the new release brings.

    :param session: a system session bound to the lifecycle's connection
    :param previous_version: the version recorded before (the installed one on upgrade, the kept one on
        an install again); ``None`` on a first install
    :return: nothing
    """


# --- Web: called when the web application is built for the installed addons ---


@hookspec
def register_views() -> Iterable[ModelView]:
    """Return the generic views (list, form, record, kanban, export) of this addon's models.

    Called each time the web application is built (at start-up and after the
    installed addons change). The core mounts each view under
    ``/<addon>/<view.slug>/`` on the addon's one blueprint (see
    :func:`register_blueprints`), with endpoints ``<addon>.<view.name>_list``,
    ``_view``, ``_new``, ``_edit``, ...

    :return: :class:`core.web.views.ModelView` instances
    """


@hookspec
def register_api_actions() -> Iterable[ApiAction]:
    """Return the business actions of this addon's models that the JSON API offers.

    Called on each API request that runs or documents an action. Each
    :class:`core.api.actions.ApiAction` becomes ``POST
    /api/v1/<addon>/<slug>/<id>/actions/<name>`` on every resource of its
    model, and an operation of the OpenAPI document; it exists only while
    the addon is installed. ``run(session, actor, record, **params)`` calls
    the addon's service in the key user's session (its refusals become
    problem responses and nothing is written); ``params`` is a pydantic model
    of the body, or None for an action that takes none.

    :return: :class:`core.api.actions.ApiAction` instances
    """


@hookspec
def register_blueprints() -> Iterable[Blueprint]:
    """Return the addon's blueprint, for pages the generic views do not cover.

    Called each time the web application is built. An addon has one
    blueprint, named exactly after the addon: the core mounts it at
    ``/<addon>`` and adds the addon's generic views
    (:func:`register_views`) to it, so all the addon's endpoints read
    ``<addon>.<name>``. Returning a second blueprint, or one named otherwise,
    is an :class:`core.errors.AddonError`. Its templates belong under
    ``templates/<addon>/``. Routes need a logged-in user unless the view is
    marked with :func:`core.web.context.public`; a view changing data runs
    its service through :func:`core.web.actions.run_service`.

    :return: the addon's blueprint, as a one-item iterable (or nothing)
    """


@hookspec
def record_buttons(session: Session, actor: Actor, record: object) -> Iterable[RecordButton]:
    """Return buttons for the page of ``record``, a record of any model (another addon's included).

    Called when a user opens a record page of the generic views, with a
    session acting as that user: offer only what the user may do, and nothing
    for records of models the addon does not care about. Each button posts to
    its endpoint, a route of the addon, which does the work (through
    :func:`core.web.actions.run_service`) and redirects back. Stock offers
    "Recompute cost" on a product's page to stock managers.

    :param session: a session acting as ``actor``
    :param actor: the user looking at the record
    :param record: the record shown
    :return: :class:`core.web.panels.RecordButton` instances, shown by ``sequence``
    """


@hookspec
def record_smart_buttons(model: type) -> Iterable[SmartButton]:
    """Return smart buttons for the record pages of ``model`` (another addon's model included).

    Called when a user opens a record page of the generic views. Each
    :class:`core.web.smart_buttons.SmartButton` names a generic list of the
    addon (its endpoint) and that list's many-to-one field pointing at
    ``model``: the page shows how many rows the list has for the record and
    links to it filtered (``?by.<field>=<id>``). The core counts with the
    list's own query through the user's session (one query per button), so
    record rules apply, and leaves out a button whose list the user may not
    read. CRM offers a partner's opportunities and activities, accounting
    its invoices. Return nothing for the models the addon does not relate to.

    :param model: the model of the record being shown
    :return: :class:`core.web.smart_buttons.SmartButton` instances, shown by ``sequence``
    """


@hookspec
def dashboard_tiles(session: Session, actor: Actor) -> Iterable[Tile]:
    """Return tiles (a figure, optionally a chart) for the home dashboard.

    Called when a user opens the home page, with a session acting as that
    user, so counts and charts only cover records the user may read. Return
    nothing for a user who may not read the underlying model.

    :param session: a session acting as ``actor``
    :param actor: the user looking at the dashboard
    :return: :class:`core.web.dashboard.Tile` instances
    """


@hookspec
def sales_dashboard_sections(session: Session, actor: Actor, company_id: int, date_from: dt.date, date_to: dt.date,
                             team_id: int | None) -> Iterable[Section]:
    """Return sections for the sales dashboard page, below sales' own figures.

    Called by sales when a user opens its dashboard, with a session acting as
    that user, for the period and team they chose (already checked). Count
    only what the user may read, in ``company_id`` only, and return nothing
    when they may read none of it. ``sales_crm`` adds the customer acquisition
    cost per campaign and the customer lifetime value.

    :param session: a session acting as ``actor``
    :param actor: the user looking at the dashboard
    :param company_id: the company the figures are for (the user's current one)
    :param date_from: the first day of the period
    :param date_to: the last day of the period (included)
    :param team_id: the sales team chosen, or None for every team
    :return: :class:`core.web.dashboard.Section` instances, shown by ``sequence``
    """


@hookspec
def load_demo_data(session: Session, company: Company) -> None:
    """Create demonstration records for this addon (``bottega demo``).

    Called once per addon, in dependency order, on a fresh demo database,
    with a system session; an addon can rely on its dependencies' demo data
    being there already. Do not commit.

    :param session: a system session
    :param company: the demo company
    :return: nothing
    """


# --- Data integrity: called at every flush, for system and user sessions alike ---


@hookspec
def validate_flush(session: Session, new: list, dirty: list, deleted: list) -> None:
    """Refuse a flush that would break one of this addon's invariants (e.g. change a posted entry).

    Called before each flush of every session, system sessions included, with
    the objects about to be inserted, updated and deleted (of every addon:
    filter by type). Raise :class:`core.errors.ValidationError` with a message
    for the user to refuse; the flush and its transaction are then rolled back.
    Use ``sqlalchemy.inspect(obj).attrs[name].history`` to see what changed.

    :param session: the session being flushed
    :param new: objects to be inserted
    :param dirty: objects with changed attributes, to be updated
    :param deleted: objects to be deleted
    :return: nothing
    """


@hookspec
def validate_rows(session: Session, model: type, operation: str, rows: list[dict]) -> None:
    """Refuse a set-based write (:mod:`core.bulk`) that would break one of this addon's invariants.

    The counterpart of ``validate_flush`` for batch services that write rows
    without ORM objects. Called before the rows are written, for every model
    (filter by ``model``), with the column values of each row: for
    ``operation`` ``"create"`` the new row's values, for ``"write"`` the
    record's ``id`` and its new values. Raise
    :class:`core.errors.ValidationError` to refuse; nothing of the batch is
    written.

    :param session: the session the rows are written in
    :param model: the model of the rows
    :param operation: ``"create"`` or ``"write"``
    :param rows: the column values of each row
    :return: nothing
    """


# --- Shared services: one addon answers for the others ---


@hookspec(firstresult=True)
def exchange_rate(session: Session, company_id: int, currency_code: str, date: dt.date) -> Decimal | None:
    """Return what one unit of ``currency_code`` is worth in the company's currency on ``date``.

    Called by addons that must convert an amount between currencies (purchase,
    for a supplier price in another currency than the order's). Stops at the
    first non-None result. Accounting answers from its currency rates (the
    latest on or before ``date``) and raises
    :class:`core.errors.ValidationError` naming ``currency_code`` when it has
    none; without an addon keeping rates, nothing answers and the caller must
    say that it cannot convert.

    :param session: the session of the caller (acting as its user)
    :param company_id: the company whose currency is the target
    :param currency_code: the ISO 4217 code of the currency to value
    :param date: the date of the rate
    :return: company-currency units for one unit of ``currency_code``, or None when the addon keeps no rates
    """


@hookspec(firstresult=True)
def goods_received_account(session: Session, company_id: int) -> int | None:
    """Return the account a vendor bill's goods are booked to when their receipt was valued in the ledger already.

    Called by ``purchase_accounting`` when it makes a bill and the company's
    billing settings name no account for goods. Stops at the first non-None
    result. ``stock_accounting`` answers with the company's "goods received
    not billed" account, which the receipt credited: the bill debits it, so
    the goods are not counted twice (once in stock, once as an expense).

    :param session: the session making the bill
    :param company_id: the company billed
    :return: an ``accounting.Account`` id, or None
    """


@hookspec(firstresult=True)
def product_availability(session: Session, company_id: int, product_ids: list[int],
                         date: dt.date) -> Mapping[int, Availability] | None:
    """Return what the company has of each product: on hand now, forecast at ``date``, unit cost.

    Called by addons that show or check availability without depending on
    stock (the sales quotation). Stops at the first non-None result. Stock
    answers from its quants and pending moves in one query, through the
    caller's session (a user sees only their companies' stock); without stock
    installed nothing answers and the hook returns ``None``.

    :param session: the session of the caller (acting as its user)
    :param company_id: the company whose stock is asked
    :param product_ids: the products asked
    :param date: the date of the forecast (on hand, plus incoming, less outgoing, scheduled up to it)
    :return: {product id: :class:`core.availability.Availability`} for every product asked, or None
    """


@hookspec(firstresult=True)
def sales_line_cost(session: Session, order: object, line: object) -> tuple[Decimal, str] | None:
    """Return what one unit of a quotation line's product costs the company, and where that figure comes from.

    Called by sales when it prices a quotation line with a product, to compute
    the line's margin. Stops at the first non-None result. Bridges answer
    with the cost they know better than the product's ``cost`` field (stock's
    valuation cost, the preferred supplier's price); without one, sales uses
    the product's cost with the source "product cost".

    :param session: the session pricing the quotation (acting as its user)
    :param order: the ``sales.SaleOrder`` the line is priced for (the line may not be attached to it yet)
    :param line: the ``sales.SaleOrderLine`` being priced (its product, unit and quantity are set)
    :return: (cost per unit of the product's own unit, in the company's currency; a short translated source
        such as "FIFO stock value"), or None
    """


@hookspec
def sales_line_notes(session: Session, order: object) -> Iterable[LineNote]:
    """Return remarks to show under a quotation's lines on its page (a product not available in time, ...).

    Called by sales when a user opens a quotation, with a session acting as
    that user. ``sales_stock`` answers with each stockable product's on hand
    and forecast at the quotation's validity date, as a warning when the
    quantity quoted will not be there. Return nothing for lines you know
    nothing about; the notes of every addon are shown, in the order returned.

    :param session: a session acting as the user looking at the quotation
    :param order: the ``sales.SaleOrder`` being shown
    :return: :class:`core.web.panels.LineNote` instances (line id, translated text, whether it is a warning)
    """


# --- Business events: called inside the caller's transaction; do not commit ---


@hookspec
def partner_summary(session: Session, actor: Actor, partner: object) -> Iterable[Panel]:
    """Return panels about a partner for its record page (open deals, unpaid invoices, ...).

    Called when a user opens a partner, with a session acting as that user:
    show only what the user may read, and nothing when they may read none of it.

    :param session: a session acting as ``actor``
    :param actor: the user looking at the partner
    :param partner: the ``contacts.Partner`` being shown
    :return: :class:`core.web.panels.Panel` instances
    """


@hookspec
def record_panels(session: Session, actor: Actor, record: object) -> Iterable[Panel]:
    """Return panels about another addon's record for its record page (a purchase order's bills, ...).

    Called when a user opens any record page built on the core's record
    template, with a session acting as that user: return nothing for records
    of other models, and show only what the user may read. The panels appear
    under the record's fields, in ``sequence`` order.

    :param session: a session acting as ``actor``
    :param actor: the user looking at the record
    :param record: the record being shown (filter by its type)
    :return: :class:`core.web.panels.Panel` instances
    """


@hookspec
def mail_attachments(session: Session, actor: Actor, record: object) -> Iterable[Document]:
    """Offer documents of ``record`` to attach to an email written from its page (an invoice's PDF).

    Called when a user opens the email composer of any record, with a session
    acting as that user: return nothing for records of other models. A
    document is made (its ``make()`` called) only when the user ticks it and
    sends, so offering one costs nothing.

    :param session: a session acting as ``actor``
    :param actor: the user writing the email
    :param record: the record the email is written from
    :return: :class:`core.chatter.composer.Document` instances (file name, content type, ``make``)
    """


@hookspec
def mail_alias_targets() -> Iterable[AliasTarget]:
    """Offer what mail to an alias can create (CRM: a lead from mail to the sales address).

    Called when mail arrives at an alias (:mod:`core.mail_in`) and when an
    administrator chooses an alias's target in *Settings → Mail aliases*. The
    target's ``create(session, company_id, mail)`` makes the record in a system
    session, inside the transaction that receives the message, and returns a
    :class:`core.mail_in.targets.Created`; the core then posts the message, its
    attachments and its row in *Received mail*. A ValidationError refuses the
    message and nothing is written.

    :return: :class:`core.mail_in.targets.AliasTarget` instances (key, label, create)
    """


@hookspec
def chatter_logged(session: Session, message: Message) -> None:
    """React to a message put on a record's timeline (a note, a message, an email sent or received, a call).

    Called by :mod:`core.chatter` after the message is flushed, in the same
    transaction, for every message written one at a time (posted from the
    record page, sent from the composer, logged by an addon through
    :func:`core.chatter.services.log_message`); batches written set-wise are
    not announced. Filter on ``message.res_model``. The session may act as a
    user who may not write the addon's records: write on the addon's own
    account with :func:`core.sessions.system_rows`.

    :param session: the session that wrote the message
    :param message: the message (``res_model``, ``res_id``, ``kind``, ``at``)
    :return: nothing
    """


@hookspec
def partner_merge_blockers(session: Session, source: object, target: object) -> Iterable[str]:
    """Say why ``source`` cannot be merged into ``target`` (both ``contacts.Partner``), if it cannot.

    Called by the contacts merge service before it changes anything, when the
    merge page is shown and again when the merge is done. Return a reason for
    each reference to ``source`` that may not move to ``target`` (e.g. posted
    accounting entries, which never change partner); any reason refuses the
    merge and is shown to the user. Count every row, not only those the
    session's user may read: a merge re-points them all.

    :param session: the session doing the merge (acting as the user, or the system)
    :param source: the partner that would be merged away
    :param target: the partner that would remain
    :return: reasons as sentences for the user; nothing when the addon does not object
    """


@hookspec
def partners_merged(session: Session, source: object, target: object) -> None:
    """React to ``source`` being merged into ``target`` (both ``contacts.Partner``).

    Called by the contacts merge service after it has re-pointed every foreign
    key to ``source`` held by an installed addon to ``target``, and before
    ``source`` is archived, in the same transaction. Foreign keys need
    nothing here; implement it for references that are not foreign keys
    (e.g. partner ids in JSON), or to react to the merge. The session acts as
    the user who merges: write what the addon records on its own account
    with :func:`core.sessions.system_rows`.

    :param session: the session doing the merge
    :param source: the partner merged away (archived afterwards)
    :param target: the partner that remains
    :return: nothing
    """


@hookspec
def invoice_posted(session: Session, invoice: object) -> None:
    """React to an invoice, bill or credit note being posted (its journal entry exists and is numbered).

    Called by the accounting posting service in its transaction, with the
    session of the user who posted it.

    :param session: the session that posted the invoice
    :param invoice: the ``accounting.Invoice`` just posted
    :return: nothing
    """


@hookspec
def invoice_paid(session: Session, invoice: object) -> None:
    """React to an invoice becoming fully paid (its residual reached zero by reconciliation).

    Called by the accounting reconciliation service in its transaction; it is
    called again if the invoice is unreconciled and later paid again. An
    invoice whose total is zero is paid by posting it: the posting service
    calls this right after ``invoice_posted``. An invoice settled by its own
    credit notes is ``credited``, not paid: this is not called for it.

    :param session: the session that reconciled the invoice
    :param invoice: the ``accounting.Invoice`` now paid
    :return: nothing
    """


@hookspec
def purchase_order_confirmed(session: Session, order: object) -> None:
    """React to a purchase order being confirmed (state ``purchase``, numbered, approved when it had to be).

    Called by the purchase confirmation and approval services in their
    transaction, with the session of the user who confirmed or approved it,
    once per order. The bridge ``purchase_stock`` creates the order's receipt
    here.

    :param session: the session that confirmed the order
    :param order: the ``purchase.PurchaseOrder`` just confirmed, with its lines
    :return: nothing
    """


@hookspec
def leads_created(session: Session, lead_ids: list[int]) -> None:
    """React to new leads or opportunities (a form, an import, mail to an alias, a capture form).

    Called by crm's lead creation services in their transaction, once per
    batch, after the leads are flushed, with the session that created them.

    :param session: the session that created the leads
    :param lead_ids: the ids of the ``crm.Lead`` records created
    :return: nothing
    """


@hookspec
def sales_order_confirmed(session: Session, order: object) -> None:
    """React to a quotation being confirmed into a sales order (by a salesperson, or accepted by the customer).

    Called by sales' confirmation service in its transaction, once per order,
    after ``sales_orders_changed`` told the addons of the change.

    :param session: the session that confirmed the order (the system's for the customer's public page)
    :param order: the ``sales.SaleOrder`` just confirmed (state ``confirmed``, numbered)
    :return: nothing
    """


@hookspec
def stock_below_minimum(session: Session, line_ids: list[int]) -> None:
    """React to products whose forecast fell below their reorder rule's minimum since the last evaluation.

    Called by stock's replenishment evaluation (the nightly job, or a manager
    asking for it) in its transaction, with the new replenishment lines of the
    rules that were not below their minimum at the previous evaluation (a rule
    still below is not announced again).

    :param session: the session that evaluated the rules
    :param line_ids: the ids of the ``stock.ReplenishmentLine`` records of those rules
    :return: nothing
    """


@hookspec
def leave_approved(session: Session, leave: object) -> None:
    """React to a leave request being approved.

    Called by HR's approval service in its transaction, with the session of
    the approver, after the decision is recorded.

    :param session: the session of the user who approved
    :param leave: the ``hr.LeaveRequest`` now approved
    :return: nothing
    """


@hookspec
def replenishment_proposed(session: Session, lines: list) -> Iterable[object]:
    """Act on replenishment lines a user chose to order (make draft purchase orders, ...).

    Called by stock's replenishment page when a stock manager asks to order
    the chosen lines, in the page's transaction, with the manager's session.
    The ``purchase_stock`` bridge groups the lines by preferred supplier into
    draft purchase orders. The page offers the button only when an installed
    addon implements this hook.

    :param session: the session of the manager ordering
    :param lines: the ``stock.ReplenishmentLine`` records chosen (product, warehouse, quantity, date needed)
    :return: the records created (shown to the user by their display name)
    """


@hookspec
def purchase_order_cancelled(session: Session, order: object) -> None:
    """React to a purchase order being cancelled (nothing of it was received).

    Called by the purchase cancellation service in its transaction, with the
    session of the user who cancelled it. The bridge ``purchase_stock``
    cancels what the order's receipts still expect here.

    :param session: the session that cancelled the order
    :param order: the ``purchase.PurchaseOrder`` just cancelled
    :return: nothing
    """


@hookspec
def sales_orders_changed(session: Session, orders: list, deleting: list) -> None:
    """React to quotations or sales orders being created, changed, or moving between states.

    Called by sales' quotation services in their transaction, with the
    session of the user acting (the expiry job's as the system), after the
    orders are written: created or changed (header, lines, totals), sent,
    confirmed, cancelled, expired, declined or accepted by the customer (their
    public page acts as the system), or revised (the old revision, now
    ``revised``, and the new draft are both passed). A draft quotation about
    to be deleted is passed in ``deleting`` just before its deletion, still
    in the session. A ``ValidationError`` raised here refuses the change. The
    bridge ``sales_crm`` updates the expected revenue of the quotations'
    opportunities here, marks an opportunity won when one of its quotations
    is confirmed, and cancels its other open quotations; ``sales_stock``
    makes a confirmed order's delivery, ``sales_purchase`` buys what it
    sells to order.

    :param session: the session that wrote the orders
    :param orders: the ``sales.SaleOrder`` records written (flushed)
    :param deleting: the ``sales.SaleOrder`` drafts about to be deleted
    :return: nothing
    """


@hookspec
def sales_order_cancelling(session: Session, order: object) -> Iterable[str]:
    """Cancel what hangs on a confirmed sales order that is being cancelled, and say what cannot be.

    Called by sales' order cancellation service in its transaction, with the
    session of the user cancelling, before the order is marked cancelled.
    Cancel what can still be cancelled (``sales_stock``: the deliveries not
    yet done); return one translated sentence per thing that cannot be, naming
    it and what to do instead ("Delivery WH/OUT/00012 is done: return the
    goods to take them back."). Sales shows every sentence to the user; the
    order is cancelled all the same, and what was delivered or invoiced stays.

    :param session: the session cancelling the order
    :param order: the ``sales.SaleOrder`` (state ``confirmed``) being cancelled
    :return: translated sentences, possibly none
    """


@hookspec(firstresult=True)
def sales_delivery_source(session: Session, line: object) -> str | None:
    """Say that an installed addon writes a sales order line's delivered quantity, so nobody enters it by hand.

    Called by sales before a user records delivered quantities by hand on a
    confirmed order's lines, and when its page offers that entry. Stops at the
    first non-None result. A bridge that keeps ``qty_delivered`` from its own
    records (``sales_stock``: deliveries, for goods) answers with a short
    translated name of them ("deliveries"); without an answer the quantity is
    the salesperson's to enter (services, or no delivery bridge installed).

    :param session: the session of the user recording deliveries
    :param line: the ``sales.SaleOrderLine`` (a product line of a confirmed order)
    :return: a translated name of what records the line's deliveries, or None
    """


@hookspec
def stock_kit_components(session: Session, company_id: int, product_ids: list[int], date: dt.date
                         ) -> Mapping[int, list[tuple[int, Decimal]]] | None:
    """Say which products are kits (never in stock: moved as their components) and what one unit of each holds.

    Called by stock's ``create_moves`` once per batch of new moves, with the
    products they move: a move of a kit is replaced by a move of each of its
    components, for the kit's quantity times the component's quantity, from
    and to the same locations (so a kit's delivery delivers its components).
    ``manufacturing`` answers for the products whose bill valid on ``date`` is
    a kit.

    :param session: the session creating the moves
    :param company_id: the company of the moves
    :param product_ids: the products the moves would move
    :param date: the day the moves are created
    :return: kit product id -> [(component product id, quantity per unit of the kit, in the component's own
        unit)], for the kits among ``product_ids``; None or empty when there are none
    """


@hookspec
def stock_moves_done(session: Session, move_ids: list[int]) -> None:
    """React to stock moves being done (the stock moved, the quants changed, the moves valued).

    Called by stock's ``done`` service once per batch, inside its savepoint and
    the caller's transaction: an exception refuses the whole batch. The bridge
    ``purchase_stock`` recounts the received quantities of purchase order lines
    here, ``sales_stock`` the delivered quantities of sales order lines.

    :param session: the session that did the moves
    :param move_ids: the ids of the moves done (a partly processed move's done part)
    :return: nothing
    """


@hookspec
def commission_amounts(session: Session, company_id: int, date_from: dt.date,
                       date_to: dt.date) -> Iterable[CommissionAmount]:
    """Return the confirmed commissions a company owes its users for a period (payroll reads them).

    Called by whoever pays salaries (HR payroll) when it prepares a period's
    payslips, with its own session: an addon answering reads its records as
    the system. ``sales`` answers with each confirmed commission statement
    whose period ends within ``date_from``..``date_to`` (a cancelled one is
    not owed), so a statement is paid by exactly one payroll period.

    :param session: the session preparing the payroll
    :param company_id: the company paying
    :param date_from: the payroll period's first day
    :param date_to: the payroll period's last day
    :return: ``core.commissions.CommissionAmount`` values (user id, the commission's period, amount,
        currency, reference of the statement)
    """


@hookspec
def payslips_posted(session: Session, payslips: list) -> None:
    """React to payslips being posted (a month's batch, one payslip, or the reversal of a corrected one).

    Called by HR payroll inside its savepoint and the caller's transaction, once per batch or payslip posted:
    an exception refuses the posting and nothing is written. The bridge ``hr_accounting`` books the journal
    entry here (wages, social security, withholding, net pay); a reversal's amounts are negative.

    :param session: the session posting (a payroll manager's)
    :param payslips: the ``hr.Payslip`` records posted, with their lines
    :return: nothing
    """


# --- Requirements planning (manufacturing) ---


@hookspec
def manufacturing_demands(session: Session, company_id: int) -> Iterable[Demand]:
    """Return the open demands another addon knows of, for manufacturing's requirements run to plan for.

    Called once per requirements run, in the planner's transaction, with the
    planner's session. The ``manufacturing_sales`` bridge answers the
    undelivered quantities of the company's confirmed sales orders.

    :param session: the session of the planner running the requirements
    :param company_id: the company planned
    :return: ``core.planning.Demand`` rows (product, date, quantity in the product's own unit, origin)
    """


@hookspec
def manufacturing_supply(session: Session, company_id: int, product_ids: list[int]) -> Iterable[Supply]:
    """Return what is already ordered of ``product_ids`` but not yet counted by stock as incoming.

    Called by the requirements run once per level of the bills, with the
    planner's session. The ``manufacturing_purchase`` bridge answers the
    company's draft and sent purchase orders (a confirmed order's receipt is
    stock's incoming already), so a confirmed buy proposal is not proposed
    again by the next run.

    :param session: the session of the planner
    :param company_id: the company planned
    :param product_ids: the products of the level being planned
    :return: ``core.planning.Supply`` rows (product, expected date, quantity in the product's own unit)
    """


@hookspec
def manufacturing_sources(session: Session, company_id: int, product_ids: list[int]) -> Mapping[int, Source]:
    """Say where the products the requirements run would buy are bought, and how long buying takes.

    Called by the requirements run once per level of the bills, for the
    level's products that have no bill to make them. The
    ``manufacturing_purchase`` bridge answers each product's preferred
    supplier and that supplier's lead time.

    :param session: the session of the planner
    :param company_id: the company planned
    :param product_ids: the products to buy
    :return: product id -> ``core.planning.Source`` (supplier id, lead time in days), for those it knows
    """


@hookspec
def manufacturing_buy(session: Session, proposals: list) -> Iterable[object]:
    """Order what a planner confirmed buying: make draft purchase orders (requests for quotation).

    Called when a manufacturing manager confirms buy proposals of the
    requirements run, in their transaction, with their session. The
    ``manufacturing_purchase`` bridge groups them by supplier into draft
    purchase orders. Without an implementation, buy proposals cannot be
    confirmed (the page says so).

    :param session: the session of the manager confirming
    :param proposals: the ``manufacturing.Proposal`` records (kind ``buy``: product, quantity, supplier, dates)
    :return: the records created (shown to the user by their display name)
    """
