"""A lot's traceability: which receipts brought it, where it went, where it is."""
from __future__ import annotations

from flask import render_template

from core.web.context import db, record_or_404

from ..models import Lot
from ..services.lots import trace
from . import blueprint


@blueprint.route("/lots/<int:lot_id>/trace")
def lot_trace(lot_id: int):
    lot = record_or_404(Lot, lot_id)
    return render_template("stock/trace.html", lot=lot, trace=trace(db(), lot))
