"""Payroll records.

A structure is an ordered list of salary rules; each rule's formula reads the contract's wage, the rules
before it, the company's rate table (per country and year) and the employee's inputs of the month. A batch
holds a company's payslips for one month (one batch per company and month); a posted payslip is never
changed: a correction is a reversing payslip (its lines negated) and a new one.

Payslip amounts are stored in clear (the department report sums them in SQL); who reads them is decided by
model access and record rules: the payroll managers of the company, and each employee for their own payslips.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import Base, CompanyMixin, TimestampMixin, intpk, str120
from core.fields import field

from ..models import Contract, Employee

BASIC, SUPPLEMENT, COMMISSION, DEDUCTION = "basic", "supplement", "commission", "deduction"
EMPLOYEE_SS, EMPLOYER_SS, WITHHOLDING, NET = "employee_ss", "employer_ss", "withholding", "net"
CATEGORIES = ((BASIC, _l("Basic")), (SUPPLEMENT, _l("Supplement")), (COMMISSION, _l("Commission")),
              (DEDUCTION, _l("Deduction")), (EMPLOYEE_SS, _l("Employee social security")),
              (EMPLOYER_SS, _l("Employer social security")), (WITHHOLDING, _l("Income tax withholding")),
              (NET, _l("Net pay")))
#: what the employee earns before deductions
EARNINGS = (BASIC, SUPPLEMENT, COMMISSION)
DRAFT, COMPUTED, POSTED = "draft", "computed", "posted"
STATES = ((DRAFT, _l("Draft")), (COMPUTED, _l("Computed")), (POSTED, _l("Posted")))
NORMAL, REVERSAL, CORRECTION = "normal", "reversal", "correction"
KINDS = ((NORMAL, _l("Monthly")), (REVERSAL, _l("Reversal")), (CORRECTION, _l("Correction")))


class PayrollStructure(CompanyMixin, TimestampMixin, Base):
    """A salary structure: the rules computed, in order, for each payslip."""

    __tablename__ = "hr_payroll_structure"
    __table_args__ = (UniqueConstraint("company_id", "name"),)

    id: Mapped[intpk]
    name: Mapped[str120] = mapped_column(info=field(_l("Name"), listed=True))
    country_code: Mapped[str] = mapped_column(String(2), info=field(
        _l("Country"), format="country", listed=True, help=_l("Its rate table applies.")))
    note: Mapped[str | None] = mapped_column(Text, info=field(_l("Note")))
    is_example: Mapped[bool] = mapped_column(default=False, info=field(_l("Example"), readonly=True, listed=True))
    active: Mapped[bool] = mapped_column(default=True, info=field(_l("Active")))

    rules: Mapped[list[SalaryRule]] = relationship(order_by="SalaryRule.sequence, SalaryRule.id",
                                                   back_populates="structure", cascade="all, delete-orphan")


class SalaryRule(CompanyMixin, TimestampMixin, Base):
    """One line of a payslip: ``code`` names its amount for the rules after it."""

    __tablename__ = "hr_salary_rule"
    __table_args__ = (UniqueConstraint("structure_id", "code"),)

    id: Mapped[intpk]
    structure_id: Mapped[int] = mapped_column(ForeignKey("hr_payroll_structure.id"),
                                              index=True, info=field(_l("Structure"), listed=True))
    sequence: Mapped[int] = mapped_column(default=10, info=field(_l("Order"), listed=True, minimum=0,
                                                                 maximum=100_000))
    code: Mapped[str] = mapped_column(String(30), info=field(
        _l("Code"), format="code", listed=True,
        help=_l("Upper-case letters, digits and _: the later rules' formulas read the amount by it.")))
    name: Mapped[str120] = mapped_column(info=field(_l("Name"), listed=True))
    category: Mapped[str] = mapped_column(String(12), info=field(_l("Category"), choices=CATEGORIES, listed=True))
    formula: Mapped[str] = mapped_column(Text, info=field(
        _l("Formula"), help=_l("For example: wage * worked_ratio, or GROSS * rate(\"ES_SS_EMPLOYEE\"). Names: "
                               "wage, worked_ratio, the codes of the rules before, rate(code), input(code), "
                               "category(name), min, max, round.")))

    structure: Mapped[PayrollStructure] = relationship(back_populates="rules")


class PayrollRate(CompanyMixin, TimestampMixin, Base):
    """A rate or amount the formulas read by code, per country and year (a contribution rate, a ceiling)."""

    __tablename__ = "hr_payroll_rate"
    __table_args__ = (UniqueConstraint("company_id", "country_code", "year", "code"),)

    id: Mapped[intpk]
    country_code: Mapped[str] = mapped_column(String(2), info=field(_l("Country"), format="country", listed=True))
    year: Mapped[int] = mapped_column(info=field(_l("Year"), listed=True, minimum=2000, maximum=2100))
    code: Mapped[str] = mapped_column(String(30), info=field(_l("Code"), format="code", listed=True))
    name: Mapped[str120] = mapped_column(info=field(_l("Name"), listed=True))
    value: Mapped[Decimal] = mapped_column(Numeric(18, 6), info=field(_l("Value"), listed=True))


class PayslipBatch(CompanyMixin, TimestampMixin, Base):
    """A company's payslips for one month: one batch per company and month."""

    __tablename__ = "hr_payslip_batch"
    __table_args__ = (UniqueConstraint("company_id", "month"),)

    id: Mapped[intpk]
    name: Mapped[str120] = mapped_column(info=field(_l("Name"), listed=True, readonly=True))
    month: Mapped[dt.date] = mapped_column(info=field(_l("Month"), listed=True, help=_l(
        "Any day of the month paid.")))
    structure_id: Mapped[int] = mapped_column(ForeignKey("hr_payroll_structure.id"), index=True, info=field(
        _l("Salary structure"), listed=True))
    state: Mapped[str] = mapped_column(String(10), default=DRAFT, info=field(
        _l("Status"), choices=STATES, readonly=True, listed=True))
    posted_at: Mapped[dt.datetime | None] = mapped_column(info=field(_l("Posted on"), readonly=True))

    structure: Mapped[PayrollStructure] = relationship()


class Payslip(CompanyMixin, TimestampMixin, Base):
    """One employee's pay for one month under one contract."""

    __tablename__ = "hr_payslip"
    __table_args__ = (Index("ix_hr_payslip_employee_month", "employee_id", "month"),
                      UniqueConstraint("reverses_id"))

    id: Mapped[intpk]
    name: Mapped[str120] = mapped_column(info=field(_l("Reference"), listed=True, readonly=True))
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("hr_payslip_batch.id"), index=True, info=field(
        _l("Batch"), readonly=True))
    employee_id: Mapped[int] = mapped_column(ForeignKey("hr_employee.id"), index=True, info=field(
        _l("Employee"), listed=True))
    contract_id: Mapped[int] = mapped_column(ForeignKey("hr_contract.id"), index=True, info=field(
        _l("Contract"), readonly=True))
    structure_id: Mapped[int] = mapped_column(ForeignKey("hr_payroll_structure.id"), index=True, info=field(
        _l("Salary structure")))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("hr_department.id"), index=True, info=field(
        _l("Department"), readonly=True))
    month: Mapped[dt.date] = mapped_column(info=field(_l("Month"), listed=True))
    date_from: Mapped[dt.date] = mapped_column(info=field(_l("First day"), readonly=True))
    date_to: Mapped[dt.date] = mapped_column(info=field(_l("Last day"), readonly=True))
    kind: Mapped[str] = mapped_column(String(10), default=NORMAL, info=field(
        _l("Kind"), choices=KINDS, readonly=True, listed=True))
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("hr_payslip.id"), info=field(
        _l("Reverses"), readonly=True))
    gross: Mapped[Decimal] = mapped_column(Numeric(18, 2), default=Decimal(0), info=field(
        _l("Gross"), readonly=True, listed=True))
    net: Mapped[Decimal] = mapped_column(Numeric(18, 2), default=Decimal(0), info=field(
        _l("Net pay"), readonly=True, listed=True))
    employer_cost: Mapped[Decimal] = mapped_column(Numeric(18, 2), default=Decimal(0), info=field(
        _l("Employer cost"), readonly=True))
    state: Mapped[str] = mapped_column(String(10), default=DRAFT, info=field(
        _l("Status"), choices=STATES, readonly=True, listed=True))

    batch: Mapped[PayslipBatch | None] = relationship()
    employee: Mapped[Employee] = relationship()
    contract: Mapped[Contract] = relationship()
    structure: Mapped[PayrollStructure] = relationship()
    lines: Mapped[list[PayslipLine]] = relationship(order_by="PayslipLine.sequence, PayslipLine.id",
                                                    back_populates="payslip", cascade="all, delete-orphan")


class PayslipLine(CompanyMixin, Base):
    """The amount of one rule on one payslip (written with its payslip, never changed)."""

    __tablename__ = "hr_payslip_line"
    __audit__ = False  # written and deleted only with their payslip, whose own row is audited

    id: Mapped[intpk]
    payslip_id: Mapped[int] = mapped_column(ForeignKey("hr_payslip.id"), index=True,
                                            info=field(_l("Payslip"), listed=True))
    sequence: Mapped[int] = mapped_column(info=field(_l("Order")))
    code: Mapped[str] = mapped_column(String(30), info=field(_l("Code"), listed=True))
    name: Mapped[str120] = mapped_column(info=field(_l("Name"), listed=True))
    category: Mapped[str] = mapped_column(String(12), info=field(_l("Category"), choices=CATEGORIES, listed=True))
    amount: Mapped[Decimal] = mapped_column(Numeric(18, 2), info=field(_l("Amount"), listed=True))

    payslip: Mapped[Payslip] = relationship(back_populates="lines")


class PayslipInput(CompanyMixin, TimestampMixin, Base):
    """An amount owed to an employee for a month from elsewhere (a commission statement), read by the rules
    with ``input(code)``; ``reference`` is unique per company, so a statement is paid once."""

    __tablename__ = "hr_payslip_input"
    __table_args__ = (UniqueConstraint("company_id", "reference"),
                      Index("ix_hr_payslip_input_employee_month", "employee_id", "month"))

    id: Mapped[intpk]
    employee_id: Mapped[int] = mapped_column(ForeignKey("hr_employee.id"), index=True, info=field(
        _l("Employee"), listed=True))
    month: Mapped[dt.date] = mapped_column(info=field(_l("Month"), listed=True))
    code: Mapped[str] = mapped_column(String(30), info=field(_l("Code"), format="code", listed=True))
    amount: Mapped[Decimal] = mapped_column(Numeric(18, 2), info=field(_l("Amount"), listed=True))
    reference: Mapped[str120] = mapped_column(info=field(_l("Reference"), listed=True))

    employee: Mapped[Employee] = relationship()


ALL = (PayrollStructure, SalaryRule, PayrollRate, PayslipBatch, Payslip, PayslipLine, PayslipInput)
