"""One page of a generic list: keyset paging from page to page, and a count that stops at a limit.

``?page=N`` alone reads the page by offset (a typed or bookmarked page
number keeps working). The Next and Previous links also carry the id of the
row at the page's edge (``after=`` / ``before=``): the next page then starts
right past that row's sort key and id, so a deep page costs what the first
does instead of reading and dropping every row before it. The edge row is
read through the user's session, so a row they may not see (or one deleted
since) is no cursor: the page number is read by offset instead.

The total counts at most ``limit`` rows (:attr:`ModelView.count_limit`, less
for a text search, whose every row is a pattern match): past it the list
says "10,000+" and pages on without a last page number. A first page that
holds every row is not counted at all.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, inspect, or_, select, tuple_

#: the deepest page number a link may ask for (its offset stays far from any integer limit)
MAX_PAGE = 1_000_000


@dataclass
class Page:
    rows: list
    number: int
    total: int
    exact: bool  # False: there are more than ``total`` rows
    has_next: bool
    page_size: int

    @property
    def pages(self) -> int | None:
        """How many pages there are, when the total is exact."""
        return max(1, -(-self.total // self.page_size)) if self.exact else None

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    def next_args(self) -> dict:
        return {"page": self.number + 1, "after": self.rows[-1].id}

    def previous_args(self) -> dict:
        if self.number == 2:
            return {"page": None}
        return {"page": self.number - 1, "before": self.rows[0].id} if self.rows else {"page": self.number - 1}


def read_page(session, view, params, actor) -> Page:
    """The page of rows ``params`` asks for, with the list's (capped) total."""
    size = view.page_size
    statement = view.select_rows(params, actor)
    found = _by_cursor(session, view, params, statement, size) if params.after or params.before else None
    if found is None:
        found = _by_offset(session, statement, params.page, size)
    rows, has_next, number = found
    if number == 1 and not has_next:
        return Page(rows, 1, len(rows), True, False, size)
    limit = view.search_count_limit if params.q else view.count_limit
    total = session.scalar(view.count_rows(params, actor, limit))
    page = Page(rows, number, min(total, limit), total <= limit, has_next, size)
    if not rows and page.exact:  # a page number past the end: the last page
        page.rows, page.has_next, page.number = _by_offset(session, statement, page.pages, size)
    return page


def _by_offset(session, statement, number: int, size: int):
    rows = session.scalars(statement.limit(size + 1).offset((number - 1) * size)).all()
    return rows[:size], len(rows) > size, number


def _by_cursor(session, view, params, statement, size: int):
    """The page after (``after``) or before (``before``) the row of that id; None when it is no cursor."""
    model, cursor = view.model, params.after or params.before
    column, key = getattr(model, params.sort), model.id
    edge = session.execute(select(column).where(key == cursor)).first()
    if edge is None:
        return None
    forward = params.after is not None
    upwards = forward != params.descending
    nullable = inspect(model).columns[params.sort].nullable
    nulls_high = session.get_bind().dialect.name != "sqlite"  # where each engine sorts (and indexes) NULLs
    past = _past(column, key, edge[0], cursor, upwards, nullable and nulls_high, nullable and not nulls_high)
    if forward:
        rows = session.scalars(statement.where(past).limit(size + 1)).all()
        return rows[:size], len(rows) > size, params.page
    order = (column.asc(), key.asc()) if upwards else (column.desc(), key.desc())
    rows = session.scalars(statement.where(past).order_by(None).order_by(*order).limit(size + 1)).all()
    if len(rows) <= size:  # the start came sooner than the page number said (rows went): the first page
        return _by_offset(session, statement, 1, size)
    return list(reversed(rows[:size])), True, max(2, params.page)


def _past(column, key, value, row_id, greater: bool, nulls_high: bool, nulls_low: bool):
    """Rows strictly past (``value``, ``row_id``) in the order of (column, id), upwards if ``greater``.

    NULLs sort above every value where ``nulls_high`` (PostgreSQL), below
    where ``nulls_low`` (SQLite); neither holds for a column without NULLs.
    """
    nulls_ahead = nulls_high if greater else nulls_low  # the NULL rows lie in the reading direction
    if value is None:
        ties = and_(column.is_(None), key > row_id if greater else key < row_id)
        return ties if nulls_ahead else or_(column.is_not(None), ties)
    position = tuple_(column, key)
    past = position > (value, row_id) if greater else position < (value, row_id)
    return or_(past, column.is_(None)) if nulls_ahead else past
