"""Bank statements: upload a CAMT.053 file, or a CSV file with a column mapping; then match each line
with what it pays from the suggestions, or book it to an account (fees, interest)."""
from __future__ import annotations

from itertools import islice

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext, ngettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core.imports import ImportFileError, UploadStore, csv_records
from core.web.actions import run_service
from core.web.context import can, current_actor, db, record_or_404, require
from core.web.inputs import id_arg, id_args

from ..models import Account, BankStatement, BankStatementLine, Invoice, Journal, MoveLine
from ..models.bank import OPEN
from ..services import bank_import, bank_matching
from . import blueprint
from .common import money_journals

uploads = UploadStore()
PREVIEW_ROWS = 5
#: the ColumnMapping fields that name a column, as the mapping page offers them
FIELD_LABELS = {
    "date": _l("Date"), "amount": _l("Amount (signed)"), "debit": _l("Money out"), "credit": _l("Money in"),
    "label": _l("Label"), "reference": _l("Reference"), "partner_name": _l("Partner name"),
    "account_number": _l("Account number"), "bank_reference": _l("Bank's own reference"),
}
DATE_FORMATS = (("%Y-%m-%d", "2026-12-31"), ("%d/%m/%Y", "31/12/2026"), ("%d-%m-%Y", "31-12-2026"),
                ("%d.%m.%Y", "31.12.2026"), ("%m/%d/%Y", "12/31/2026"))
DELIMITERS = ((",", ","), (";", ";"), ("\t", "Tab"), ("|", "|"))
SEPARATORS = (("", _l("none")), (".", "."), (",", ","), (" ", _l("space")), ("'", "'"))
REASONS = {bank_matching.AMOUNT: _l("same amount"), bank_matching.REFERENCE: _l("its number is in the label"),
           bank_matching.PARTNER: _l("same partner")}
ENCODINGS = (("utf-8", "UTF-8"), ("cp1252", "Windows-1252"), ("latin-1", "Latin-1"))


def _journal(value) -> Journal:
    try:
        return record_or_404(Journal, int(value))
    except (TypeError, ValueError):
        abort(404)


def _after_import(result):
    flash(ngettext("%(num)s line imported.", "%(num)s lines imported.", result.imported),
          "success" if result.imported else "error")
    if result.skipped:
        flash(ngettext("%(num)s line was already imported and is skipped.",
                       "%(num)s lines were already imported and are skipped.", result.skipped), "warning")
    if result.statements:
        return redirect(url_for("accounting.statement_lines", statement_id=result.statements[0].id))
    return redirect(url_for("accounting.statement_list"))


@blueprint.route("/bank/import", methods=["GET", "POST"])
def bank_upload():
    require(BankStatement, "create")
    journals = money_journals(db())
    if request.method == "GET":
        return render_template("accounting/bank_upload.html", journals=journals, error=None)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return render_template("accounting/bank_upload.html", journals=journals,
                               error=gettext("Choose a CSV or CAMT.053 file to import.")), 422
    journal = _journal(request.form.get("journal_id"))
    data = upload.read()
    if not data.strip():
        return render_template("accounting/bank_upload.html", journals=journals, error=gettext(
            "%(file)s is empty: there is no header and no line to import.", file=upload.filename)), 422
    if data.lstrip()[:1] == b"<":
        outcome = run_service(lambda session: bank_import.import_file(session, journal, data,
                                                                      filename=upload.filename), flash_errors=False)
        if not outcome.ok:
            return render_template("accounting/bank_upload.html", journals=journals, error=str(outcome.error)), 422
        return _after_import(outcome.result)
    token = uploads.save(current_actor().user_id, upload.filename, data)
    return redirect(url_for("accounting.bank_mapping", token=token, journal_id=journal.id))


def _header_and_preview(data: bytes, delimiter: str, encoding: str, filename: str) -> tuple[list, list]:
    """The first lines of the file, read only as far as they go (a bad file is refused by the import itself)."""
    try:
        text = data.decode(encoding).lstrip("\ufeff")
    except (UnicodeDecodeError, LookupError):
        text = data.decode("latin-1")
    try:
        rows = [row for _number, row in islice(csv_records(text, delimiter, filename), PREVIEW_ROWS + 1)]
    except ImportFileError:
        rows = []
    return (rows[0] if rows else []), rows[1:]


def _guess_delimiter(data: bytes) -> str:
    first = data.split(b"\n", 1)[0]
    return max((b",", b";", b"\t", b"|"), key=first.count).decode()


def _mapping_from(form) -> bank_import.ColumnMapping:
    values = {name: (form.get(name) or None) for name in FIELD_LABELS}
    return bank_import.ColumnMapping(
        **values, date_format=form.get("date_format") or "%Y-%m-%d",
        decimal_separator=form.get("decimal_separator") or ".",
        thousands_separator=form.get("thousands_separator", ""), delimiter=form.get("delimiter") or ",",
        encoding=form.get("encoding") or "utf-8")


@blueprint.route("/bank/import/<token>", methods=["GET", "POST"])
def bank_mapping(token: str):
    require(BankStatement, "create")
    owner = current_actor().user_id
    try:
        filename, data = uploads.load(owner, token)
    except ImportFileError as error:
        flash(str(error), "error")
        return redirect(url_for("accounting.bank_upload"))
    journal = _journal(request.values.get("journal_id"))
    form = request.form if request.method == "POST" else {}
    delimiter = form.get("delimiter") or request.args.get("delimiter") or _guess_delimiter(data)
    header, preview = _header_and_preview(data, delimiter, form.get("encoding") or "utf-8", filename)
    error = None
    if request.method == "POST":
        mapping = _mapping_from(form)
        outcome = run_service(lambda session: bank_import.import_csv(session, journal, data, mapping=mapping,
                                                                     filename=filename), flash_errors=False)
        if outcome.ok:
            uploads.discard(owner, token)
            return _after_import(outcome.result)
        error = outcome.error
    chosen = dict(form) or {"delimiter": delimiter, **_guess_columns(header)}
    return render_template("accounting/bank_mapping.html", token=token, journal=journal, filename=filename,
                           header=header, preview=preview, chosen=chosen, error=str(error) if error else None,
                           fields=FIELD_LABELS, date_formats=DATE_FORMATS, delimiters=DELIMITERS,
                           separators=SEPARATORS, encodings=ENCODINGS), (422 if error else 200)


_GUESSES = {"date": ("date", "fecha", "data", "booking date"), "amount": ("amount", "importe", "importo"),
            "label": ("label", "concepto", "description", "descripción", "descrizione", "causale"),
            "reference": ("reference", "referencia", "riferimento"),
            "partner_name": ("name", "partner", "nombre", "ordenante", "beneficiario")}


def _guess_columns(header: list[str]) -> dict:
    """Pre-select the columns whose header says what they are (the user checks before importing)."""
    lowered = {name.strip().casefold(): name for name in header}
    return {field: next((lowered[word] for word in words if word in lowered), "")
            for field, words in _GUESSES.items()}


# --- matching ----------------------------------------------------------------------------------


@blueprint.route("/bank/statements/<int:statement_id>")
def statement_lines(statement_id: int):
    require(BankStatement, "read")
    session = db()
    statement = record_or_404(BankStatement, statement_id)
    can_match = can(BankStatementLine, "write")
    suggestions = {line.id: bank_matching.suggest(session, line, limit=3)
                   for line in statement.lines if line.state == OPEN and can_match}
    accounts = session.scalars(select(Account).where(Account.active.is_(True), Account.reconcile.is_(False))
                               .order_by(Account.code)).all() if can_match else []
    return render_template("accounting/bank_statement.html", statement=statement, suggestions=suggestions,
                           accounts=accounts, can_match=can_match, reasons=REASONS)


@blueprint.route("/bank/lines/<int:line_id>/match", methods=["POST"])
def bank_match(line_id: int):
    require(BankStatementLine, "write")
    session = db()
    line = record_or_404(BankStatementLine, line_id)
    invoice_id = id_arg("invoice_id", Invoice.id)
    line_ids = id_args("move_line_id", MoveLine.id)
    account_id = id_arg("account_id", Account.id)
    if invoice_id:
        target = record_or_404(Invoice, invoice_id)
    elif line_ids:
        target = session.scalars(select(MoveLine).where(MoveLine.id.in_(line_ids))).all()
    else:
        target = None
    run_service(lambda s: bank_matching.confirm_match(s, line, target, counterpart_account_id=account_id),
                success=gettext("The bank line is matched."))
    return redirect(url_for("accounting.statement_lines", statement_id=line.statement_id))
