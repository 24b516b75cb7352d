"""A posted payslip and its lines never change, whichever way a write comes (the ORM or a batch write)."""
from __future__ import annotations

from flask_babel import gettext
from sqlalchemy import inspect, select

from core.errors import ValidationError

from .models import POSTED, Payslip, PayslipBatch, PayslipLine


def _refuse(name: str) -> None:
    raise ValidationError(gettext("Payslip %(name)s is posted: it is never changed; correct it with a reversing "
                                  "payslip.", name=name))


def _was_posted(record) -> bool:
    history = inspect(record).attrs.state.history
    return (history.deleted or [record.state])[0] == POSTED


def validate_flush(session, new: list, dirty: list, deleted: list) -> None:
    for record in (*dirty, *deleted):
        if isinstance(record, Payslip) and _was_posted(record) and (
                record in deleted or session.is_modified(record, include_collections=False)):
            _refuse(record.name)
        elif isinstance(record, PayslipLine) and record.payslip_id is not None:
            payslip = session.get(Payslip, record.payslip_id)
            if payslip is not None and _was_posted(payslip):
                _refuse(payslip.name)
        elif isinstance(record, PayslipBatch) and record in deleted and _was_posted(record):
            raise ValidationError(gettext("Batch %(batch)s is posted: it is never deleted.", batch=record.name))
    for record in new:
        if isinstance(record, PayslipLine) and record.payslip_id is not None:
            payslip = session.get(Payslip, record.payslip_id)
            if payslip is not None and _was_posted(payslip) and payslip not in new:
                _refuse(payslip.name)


def validate_rows(session, model: type, operation: str, rows: list[dict]) -> None:
    if operation != "write" or model not in (Payslip, PayslipLine):
        return
    if model is Payslip:
        ids = [row["id"] for row in rows]
        posted = session.scalars(select(Payslip.name).where(Payslip.id.in_(ids), Payslip.state == POSTED)).first()
    else:
        lines = select(PayslipLine.payslip_id).where(PayslipLine.id.in_([row["id"] for row in rows]))
        posted = session.scalars(select(Payslip.name).where(Payslip.id.in_(lines), Payslip.state == POSTED)).first()
    if posted is not None:
        _refuse(posted)
