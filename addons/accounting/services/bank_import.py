"""Bank statement import: a CSV file read through a column mapping, or a CAMT.053 XML statement.

The whole file is parsed and checked before anything is stored: one bad
line (a non-numeric amount, a date in another format, a missing column)
refuses the file with every problem named by line and column, and nothing
is written. A line already imported into the journal is skipped and counted,
so importing the same file twice imports nothing new. Its identity
(``unique_key``) is the bank's own reference when the file has one (CAMT
``AcctSvcrRef``, or the CSV column mapped to ``bank_reference``), else a
hash of date, amount, reference, label and account number plus how many
identical lines came before it in the same file (two equal coffees the same
day are two lines; the same file read again gives the same keys).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from flask_babel import gettext
from lxml import etree
from sqlalchemy import select
from sqlalchemy.orm import Session

from core import bounds
from core.errors import ValidationError
from core.imports import ImportFileError, csv_records
from core.imports.limits import MAX_LINES, check_file_size

from ..models import BankStatement, BankStatementLine, Journal
from ..models.ledger import BANK, CASH
from .currency import company_currency

CAMT053 = re.compile(r"urn:iso:std:iso:20022:tech:xsd:camt\.053\.001\.\d\d")
CENT = Decimal("0.01")
#: at most this many problems are listed in one message
MAX_ERRORS = 20


@dataclass
class ColumnMapping:
    """Which CSV column (by its header) holds what; ``amount`` or ``debit``/``credit`` (money out / in)."""

    date: str
    amount: str | None = None
    debit: str | None = None
    credit: str | None = None
    label: str | None = None
    reference: str | None = None
    partner_name: str | None = None
    account_number: str | None = None
    bank_reference: str | None = None
    date_format: str = "%Y-%m-%d"
    decimal_separator: str = "."
    thousands_separator: str = ""
    delimiter: str = ","
    encoding: str = "utf-8"

    def columns(self) -> dict[str, str]:
        """Field -> column header, for the fields that are mapped."""
        fields = ("date", "amount", "debit", "credit", "label", "reference", "partner_name", "account_number",
                  "bank_reference")
        return {name: getattr(self, name) for name in fields if getattr(self, name)}


@dataclass
class ParsedLine:
    date: dt.date
    amount: Decimal
    label: str | None = None
    reference: str | None = None
    partner_name: str | None = None
    account_number: str | None = None
    bank_reference: str | None = None


@dataclass
class ParsedStatement:
    name: str | None
    lines: list[ParsedLine]
    balance_start: Decimal | None = None
    balance_end: Decimal | None = None
    currency_code: str | None = None


@dataclass
class ImportResult:
    statements: list[BankStatement] = field(default_factory=list)
    imported: int = 0
    skipped: int = 0


class _Problems:
    """Collects the problems of a file; raises them all at the end."""

    def __init__(self, filename: str | None):
        self.filename = filename
        self.messages: list[str] = []

    def add(self, message: str) -> None:
        self.messages.append(message)

    def raise_any(self) -> None:
        if not self.messages:
            return
        shown = self.messages[:MAX_ERRORS]
        more = len(self.messages) - len(shown)
        head = gettext("%(file)s was not imported, nothing was stored:",
                       file=self.filename or gettext("The file"))
        tail = [gettext("... and %(count)s more.", count=more)] if more else []
        raise ValidationError("\n".join([head, *shown, *tail]), "file")


def parse_number(text: str, decimal_separator: str = ".", thousands_separator: str = "") -> Decimal:
    """``"1.234,56"`` with ``,`` as decimal separator and ``.`` for thousands -> ``Decimal("1234.56")``."""
    value = text.strip().replace(" ", "").replace("\u00a0", "")
    if thousands_separator:
        value = value.replace(thousands_separator, "")
    if decimal_separator != ".":
        if "." in value:
            raise InvalidOperation(text)
        value = value.replace(decimal_separator, ".")
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", value):
        raise InvalidOperation(text)
    return Decimal(value)


# --- CSV --------------------------------------------------------------------------------------


def parse_csv(content: bytes | str, mapping: ColumnMapping, filename: str | None = None) -> ParsedStatement:
    """The lines of a CSV statement, read within the limits of :mod:`core.imports.limits`."""
    _check_size(content, filename)
    try:
        return _parse_csv(content, mapping, filename)
    except ImportFileError as error:
        raise ValidationError(str(error), "file") from None


def _check_size(content: bytes | str, filename: str | None) -> None:
    try:
        check_file_size(len(content), filename or gettext("The file"))
    except ImportFileError as error:
        raise ValidationError(str(error), "file") from None


def _parse_csv(content: bytes | str, mapping: ColumnMapping, filename: str | None) -> ParsedStatement:
    problems = _Problems(filename)
    text = _decode(content, mapping.encoding, problems)
    if mapping.amount is None and not (mapping.debit and mapping.credit):
        raise ValidationError(gettext("Map a column to the amount, or two columns to debit and credit."), "amount")
    rows = csv_records(text, mapping.delimiter, filename or gettext("The file"))
    header = next((row for _number, row in rows if any(cell.strip() for cell in row)), None)
    if header is None:
        raise ValidationError(gettext("%(file)s is empty: there is no header and no line to import.",
                                      file=filename or gettext("The file")), "file")
    header = [cell.strip() for cell in header]
    missing = [f"'{column}' ({name})" for name, column in mapping.columns().items() if column not in header]
    if missing:
        raise ValidationError(gettext(
            "The mapped columns %(missing)s are not in the file; its columns are: %(columns)s.",
            missing=", ".join(missing), columns=", ".join(f"'{column}'" for column in header)), "mapping")
    index = {name: header.index(column) for name, column in mapping.columns().items()}
    lines = []
    for number, row in rows:
        if not any(cell.strip() for cell in row):
            continue
        line = _csv_line(row, number, index, mapping, problems)
        if line is not None:
            lines.append(line)
    problems.raise_any()
    if not lines:
        raise ValidationError(gettext("%(file)s has no line to import.", file=filename or gettext("The file")),
                              "file")
    return ParsedStatement(None, lines)


def _decode(content: bytes | str, encoding: str, problems: _Problems) -> str:
    if isinstance(content, str):
        return content
    try:
        return content.decode("utf-8-sig" if encoding.lower().replace("-", "") == "utf8" else encoding)
    except (UnicodeDecodeError, LookupError) as error:
        raise ValidationError(gettext("%(file)s cannot be read as %(encoding)s (%(error)s); choose its encoding.",
                                      file=problems.filename or gettext("The file"), encoding=encoding,
                                      error=error), "encoding") from None


def _csv_line(row: list[str], number: int, index: dict[str, int], mapping: ColumnMapping,
              problems: _Problems) -> ParsedLine | None:
    def cell(name: str) -> str:
        position = index.get(name)
        return row[position].strip() if position is not None and position < len(row) else ""

    def where(name: str) -> str:
        return gettext("line %(line)s, column '%(column)s'", line=number, column=getattr(mapping, name))

    def number_of(name: str) -> Decimal | None:
        value = cell(name)
        if not value:
            return None
        try:
            return parse_number(value, mapping.decimal_separator, mapping.thousands_separator)
        except InvalidOperation:
            problems.add(gettext("%(where)s: '%(value)s' is not a number.", where=where(name), value=value))
            return None

    failed = len(problems.messages)
    date = None
    if not cell("date"):
        problems.add(gettext("%(where)s: the date is missing.", where=where("date")))
    else:
        try:
            date = dt.datetime.strptime(cell("date"), mapping.date_format).date()
        except ValueError:
            problems.add(gettext("%(where)s: '%(value)s' is not a date in the format %(format)s.",
                                 where=where("date"), value=cell("date"), format=mapping.date_format))
        else:
            if out_of_range := bounds.date_problem(date):
                problems.add(f"{where('date')}: {out_of_range}")
    if mapping.amount:
        amount = number_of("amount")
        if not cell("amount"):
            problems.add(gettext("%(where)s: the amount is missing.", where=where("amount")))
    else:
        debit, credit = number_of("debit"), number_of("credit")
        for name, value in (("debit", debit), ("credit", credit)):
            if value is not None and value < 0:
                problems.add(gettext("%(where)s: '%(value)s' is negative; a debit or credit column holds amounts "
                                     "without sign.", where=where(name), value=cell(name)))
        amount = None if debit is None and credit is None else (credit or 0) - (debit or 0)
        if not cell("debit") and not cell("credit"):
            problems.add(gettext("line %(line)s: neither '%(debit)s' nor '%(credit)s' has an amount.",
                                 line=number, debit=mapping.debit, credit=mapping.credit))
    column = "amount" if mapping.amount else "credit" if amount and amount > 0 else "debit"
    if amount is not None and amount == 0:
        problems.add(gettext("%(where)s: the amount is zero.", where=where(column)))
    elif amount is not None and (too_large := bounds.problem(BankStatementLine.amount.type, amount)):
        problems.add(f"{where(column)}: {too_large}")
    elif amount is not None and amount != amount.quantize(CENT):
        problems.add(gettext("%(where)s: '%(value)s' has more than two decimals.", where=where(column),
                             value=cell(column)))
    if len(problems.messages) > failed:
        return None
    return ParsedLine(date=date, amount=amount, label=cell("label") or None, reference=cell("reference") or None,
                      partner_name=cell("partner_name") or None, account_number=cell("account_number") or None,
                      bank_reference=cell("bank_reference") or None)


# --- CAMT.053 -------------------------------------------------------------------------------------


def parse_camt053(content: bytes, filename: str | None = None) -> list[ParsedStatement]:
    """Each ``Stmt`` of a CAMT.053 file (versions 001.02 to 001.13), its booked entries one line each."""
    problems = _Problems(filename)
    _check_size(content, filename)
    if b"<!DOCTYPE" in content:
        raise _declares_entities(filename)
    try:
        # entities stay unexpanded, nothing is fetched, and libxml2 keeps its depth and text-size limits
        root = etree.fromstring(content, etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False))
    except etree.XMLSyntaxError as error:
        raise ValidationError(gettext("%(file)s is not a valid XML file: %(error)s.",
                                      file=filename or gettext("The file"), error=error), "file") from None
    if root.getroottree().docinfo.internalDTD is not None:
        raise _declares_entities(filename)
    namespace = etree.QName(root).namespace or ""
    if not CAMT053.fullmatch(namespace):
        raise ValidationError(gettext("%(file)s is not a CAMT.053 bank statement (its namespace is '%(ns)s').",
                                      file=filename or gettext("The file"), ns=namespace), "file")
    ns = {"c": namespace}
    if sum(1 for _entry in root.iterfind("c:BkToCstmrStmt/c:Stmt/c:Ntry", ns)) > MAX_LINES:
        raise ValidationError(gettext("%(file)s has more than %(count)s entries; split it into smaller files.",
                                      file=filename or gettext("The file"), count=MAX_LINES), "file")
    statements = []
    for statement in root.iterfind("c:BkToCstmrStmt/c:Stmt", ns):
        parsed = ParsedStatement(statement.findtext("c:Id", namespaces=ns), [],
                                 currency_code=statement.findtext("c:Acct/c:Ccy", namespaces=ns))
        for balance in statement.iterfind("c:Bal", ns):
            code = balance.findtext("c:Tp/c:CdOrPrtry/c:Cd", namespaces=ns)
            value = _camt_amount(balance, ns, gettext("balance %(code)s", code=code), problems)
            if code in ("OPBD", "PRCD") and parsed.balance_start is None:
                parsed.balance_start = value
            elif code == "CLBD":
                parsed.balance_end = value
        for number, entry in enumerate(statement.iterfind("c:Ntry", ns), start=1):
            line = _camt_entry(entry, number, ns, problems)
            if line is not None:
                parsed.lines.append(line)
        statements.append(parsed)
    problems.raise_any()
    if not any(statement.lines for statement in statements):
        raise ValidationError(gettext("%(file)s has no booked entry to import.",
                                      file=filename or gettext("The file")), "file")
    return statements


def _declares_entities(filename: str | None) -> ValidationError:
    return ValidationError(gettext("%(file)s declares a document type (<!DOCTYPE>), which a bank statement never "
                                   "has; it is not read.", file=filename or gettext("The file")), "file")


def _camt_amount(element, ns, where: str, problems: _Problems) -> Decimal | None:
    text = element.findtext("c:Amt", namespaces=ns) or ""
    try:
        amount = parse_number(text)
    except InvalidOperation:
        problems.add(gettext("%(where)s: Amt '%(value)s' is not a number.", where=where, value=text))
        return None
    too_large = bounds.problem(BankStatementLine.amount.type, amount)
    if too_large:
        problems.add(gettext("%(where)s: Amt %(problem)s", where=where, problem=too_large))
        return None
    indicator = element.findtext("c:CdtDbtInd", namespaces=ns)
    if indicator not in ("CRDT", "DBIT"):
        problems.add(gettext("%(where)s: CdtDbtInd '%(value)s' is neither CRDT nor DBIT.", where=where,
                             value=indicator or ""))
        return None
    return amount if indicator == "CRDT" else -amount


def _camt_entry(entry, number: int, ns, problems: _Problems) -> ParsedLine | None:
    bank_reference = entry.findtext("c:AcctSvcrRef", namespaces=ns)
    where = gettext("entry %(number)s", number=number) + (f" ({bank_reference})" if bank_reference else "")
    status = entry.findtext("c:Sts/c:Cd", namespaces=ns) or entry.findtext("c:Sts", namespaces=ns)
    if status and status.strip() not in ("BOOK", ""):
        return None  # pending or informational entries are not on the account yet
    failed = len(problems.messages)
    amount = _camt_amount(entry, ns, where, problems)
    text = entry.findtext("c:Amt", namespaces=ns)
    if amount is not None and amount == 0:
        problems.add(gettext("%(where)s: the amount is zero.", where=where))
    elif amount is not None and (amount < 0) != (entry.findtext("c:CdtDbtInd", namespaces=ns) == "DBIT"):
        problems.add(gettext("%(where)s: Amt '%(value)s' is negative; CdtDbtInd gives the sign.", where=where,
                             value=text))
    elif amount is not None and amount != amount.quantize(CENT):
        problems.add(gettext("%(where)s: '%(value)s' has more than two decimals.", where=where, value=text))
    date_text = (entry.findtext("c:BookgDt/c:Dt", namespaces=ns) or entry.findtext("c:BookgDt/c:DtTm", namespaces=ns)
                 or entry.findtext("c:ValDt/c:Dt", namespaces=ns) or "")
    try:
        date = dt.date.fromisoformat(date_text[:10])
    except ValueError:
        problems.add(gettext("%(where)s: BookgDt '%(value)s' is not a date.", where=where, value=date_text))
    else:
        if out_of_range := bounds.date_problem(date):
            problems.add(f"{where}: BookgDt {out_of_range}")
    if len(problems.messages) > failed:
        return None
    details = entry.find("c:NtryDtls/c:TxDtls", ns)
    party = "Dbtr" if amount > 0 else "Cdtr"
    texts = [t.strip() for t in entry.xpath("c:NtryDtls/c:TxDtls/c:RmtInf/c:Ustrd/text()", namespaces=ns)]
    label = " ".join(t for t in texts if t) or entry.findtext("c:AddtlNtryInf", namespaces=ns)
    reference = partner = account = None
    if details is not None:
        reference = (details.findtext("c:RmtInf/c:Strd/c:CdtrRefInf/c:Ref", namespaces=ns)
                     or _provided(details.findtext("c:Refs/c:EndToEndId", namespaces=ns)))
        partner = next(iter(details.xpath(f"c:RltdPties/c:{party}//c:Nm/text()", namespaces=ns)), None)
        account = (details.findtext(f"c:RltdPties/c:{party}Acct/c:Id/c:IBAN", namespaces=ns)
                   or details.findtext(f"c:RltdPties/c:{party}Acct/c:Id/c:Othr/c:Id", namespaces=ns))
        bank_reference = bank_reference or details.findtext("c:Refs/c:AcctSvcrRef", namespaces=ns)
    return ParsedLine(date=date, amount=amount, label=label, reference=reference, partner_name=partner,
                      account_number=account, bank_reference=bank_reference)


def _provided(value: str | None) -> str | None:
    return None if value is None or value.strip().upper() == "NOTPROVIDED" else value.strip()


# --- storing ---------------------------------------------------------------------------------------


def unique_keys(lines: list[ParsedLine]) -> list[str]:
    """A stable identity per line (see the module's docstring)."""
    seen: Counter = Counter()
    keys = []
    for line in lines:
        if line.bank_reference:
            material = f"bank|{line.bank_reference}"
        else:
            fields = (line.date.isoformat(), f"{line.amount:.2f}", line.reference or "", line.label or "",
                      line.account_number or "")
            seen[fields] += 1
            material = "|".join((*fields, str(seen[fields])))
        keys.append(hashlib.sha256(material.encode()).hexdigest())
    return keys


def store_statement(session: Session, journal: Journal, parsed: ParsedStatement, *, name: str | None = None,
                    filename: str | None = None) -> tuple[BankStatement | None, int, int]:
    """Store the lines not yet in the journal as one statement; returns (statement or None, imported, skipped)."""
    if journal.kind not in (BANK, CASH):
        raise ValidationError(gettext("Bank statements are imported into a bank or cash journal; %(journal)s is "
                                      "not one.", journal=journal.display_name), "journal_id")
    home = journal.currency_code or company_currency(session, journal.company_id)
    if parsed.currency_code and parsed.currency_code != home:
        raise ValidationError(gettext("The statement is in %(file)s but journal %(journal)s is in %(currency)s.",
                                      file=parsed.currency_code, journal=journal.display_name, currency=home),
                              "journal_id")
    keys = unique_keys(parsed.lines)
    known = set(session.scalars(select(BankStatementLine.unique_key).where(
        BankStatementLine.company_id == journal.company_id, BankStatementLine.journal_id == journal.id,
        BankStatementLine.unique_key.in_(keys))))
    new = []
    for key, line in zip(keys, parsed.lines, strict=True):
        if key not in known:
            known.add(key)
            new.append((key, line))
    skipped = len(parsed.lines) - len(new)
    if not new:
        return None, 0, skipped
    last = max(line.date for _key, line in new)
    statement = BankStatement(company_id=journal.company_id, journal_id=journal.id, date=last,
                              name=(name or parsed.name or filename or f"{journal.code} {last.isoformat()}")[:120],
                              balance_start=parsed.balance_start, balance_end=parsed.balance_end, filename=filename)
    for sequence, (key, line) in enumerate(new, start=1):
        statement.lines.append(BankStatementLine(
            company_id=journal.company_id, journal_id=journal.id, sequence=sequence, date=line.date,
            amount=line.amount, label=_cut(line.label, 255), reference=_cut(line.reference, 64),
            partner_name=_cut(line.partner_name, 120), account_number=_cut(line.account_number, 40),
            unique_key=key))
    session.add(statement)
    session.flush()
    return statement, len(new), skipped


def _cut(value: str | None, size: int) -> str | None:
    return value[:size] if value else None


def import_csv(session: Session, journal: Journal, content: bytes | str, *, mapping: ColumnMapping,
               filename: str | None = None, name: str | None = None) -> ImportResult:
    """Import a CSV bank statement into ``journal`` (a bank or cash journal)."""
    parsed = parse_csv(content, mapping, filename)
    statement, imported, skipped = store_statement(session, journal, parsed, name=name, filename=filename)
    return ImportResult([statement] if statement else [], imported, skipped)


def import_camt053(session: Session, journal: Journal, content: bytes, *, filename: str | None = None) -> ImportResult:
    """Import every statement of a CAMT.053 file into ``journal``."""
    result = ImportResult()
    for parsed in parse_camt053(content, filename):
        statement, imported, skipped = store_statement(session, journal, parsed, filename=filename)
        result.statements += [statement] if statement else []
        result.imported += imported
        result.skipped += skipped
    return result


def import_file(session: Session, journal: Journal, content: bytes, *, filename: str | None = None,
                mapping: ColumnMapping | None = None) -> ImportResult:
    """CAMT.053 when the file is XML, else CSV read with ``mapping`` (required then)."""
    if content.lstrip()[:1] == b"<":
        return import_camt053(session, journal, content, filename=filename)
    if mapping is None:
        raise ValidationError(gettext("Say which columns of the CSV file hold the date, amount and label."),
                              "mapping")
    return import_csv(session, journal, content, mapping=mapping, filename=filename)
