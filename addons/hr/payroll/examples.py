"""Example salary structures for Spain and Italy, with their rate tables: a starting point that the company's
payroll adviser must check (the rates change every year and by collective agreement; the withholding here is a
flat rate, not the progressive computation either country applies)."""
from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core.errors import ValidationError

from .models import (BASIC, COMMISSION, EMPLOYEE_SS, EMPLOYER_SS, NET, SUPPLEMENT, WITHHOLDING, PayrollRate,
                     PayrollStructure, SalaryRule)

LABEL = _l("Example — have it checked by your adviser")
EARNED = "(BASIC + SUPPL + COMM)"
NET_PAY = 'category("basic") + category("supplement") + category("commission") - category("deduction") - ' \
          'category("employee_ss") - category("withholding")'

#: country: (structure name, rules (code, name, category, formula), rates (code, name, value))
EXAMPLES = {
    "ES": (_l("Spain — general regime (example)"), (
        ("BASIC", _l("Base salary"), BASIC, "wage * worked_ratio"),
        ("SUPPL", _l("Salary supplements"), SUPPLEMENT, 'input("SUPPLEMENT")'),
        ("COMM", _l("Commissions"), COMMISSION, 'input("COMMISSION")'),
        ("SS_CC", _l("Common contingencies (employee)"), EMPLOYEE_SS, f'{EARNED} * rate("ES_CC_EMPLOYEE")'),
        ("SS_UNEMP", _l("Unemployment (employee)"), EMPLOYEE_SS, f'{EARNED} * rate("ES_UNEMPLOYMENT_EMPLOYEE")'),
        ("SS_FP", _l("Vocational training (employee)"), EMPLOYEE_SS, f'{EARNED} * rate("ES_TRAINING_EMPLOYEE")'),
        ("SS_MEI", _l("Intergenerational equity (employee)"), EMPLOYEE_SS, f'{EARNED} * rate("ES_MEI_EMPLOYEE")'),
        ("IRPF", _l("Income tax withholding (IRPF)"), WITHHOLDING, f'{EARNED} * rate("ES_IRPF")'),
        ("NET", _l("Net pay"), NET, NET_PAY),
        ("ER_CC", _l("Common contingencies (company)"), EMPLOYER_SS, f'{EARNED} * rate("ES_CC_EMPLOYER")'),
        ("ER_UNEMP", _l("Unemployment (company)"), EMPLOYER_SS, f'{EARNED} * rate("ES_UNEMPLOYMENT_EMPLOYER")'),
        ("ER_FOGASA", _l("Wage guarantee fund (company)"), EMPLOYER_SS, f'{EARNED} * rate("ES_FOGASA")'),
        ("ER_FP", _l("Vocational training (company)"), EMPLOYER_SS, f'{EARNED} * rate("ES_TRAINING_EMPLOYER")'),
        ("ER_MEI", _l("Intergenerational equity (company)"), EMPLOYER_SS, f'{EARNED} * rate("ES_MEI_EMPLOYER")'),
    ), (
        ("ES_CC_EMPLOYEE", _l("Common contingencies, employee"), "0.047"),
        ("ES_UNEMPLOYMENT_EMPLOYEE", _l("Unemployment, employee"), "0.0155"),
        ("ES_TRAINING_EMPLOYEE", _l("Vocational training, employee"), "0.001"),
        ("ES_MEI_EMPLOYEE", _l("Intergenerational equity, employee"), "0.0015"),
        ("ES_IRPF", _l("Income tax withholding (flat example)"), "0.15"),
        ("ES_CC_EMPLOYER", _l("Common contingencies, company"), "0.236"),
        ("ES_UNEMPLOYMENT_EMPLOYER", _l("Unemployment, company"), "0.055"),
        ("ES_FOGASA", _l("Wage guarantee fund"), "0.002"),
        ("ES_TRAINING_EMPLOYER", _l("Vocational training, company"), "0.006"),
        ("ES_MEI_EMPLOYER", _l("Intergenerational equity, company"), "0.0075"),
    )),
    "IT": (_l("Italy — private employees (example)"), (
        ("BASIC", _l("Base salary"), BASIC, "wage * worked_ratio"),
        ("SUPPL", _l("Salary supplements"), SUPPLEMENT, 'input("SUPPLEMENT")'),
        ("COMM", _l("Commissions"), COMMISSION, 'input("COMMISSION")'),
        ("INPS", _l("INPS contributions (employee)"), EMPLOYEE_SS, f'{EARNED} * rate("IT_INPS_EMPLOYEE")'),
        ("IRPEF", _l("Income tax withholding (IRPEF)"), WITHHOLDING, f'({EARNED} - INPS) * rate("IT_IRPEF")'),
        ("NET", _l("Net pay"), NET, NET_PAY),
        ("INPS_ER", _l("INPS contributions (company)"), EMPLOYER_SS, f'{EARNED} * rate("IT_INPS_EMPLOYER")'),
        ("INAIL", _l("INAIL insurance (company)"), EMPLOYER_SS, f'{EARNED} * rate("IT_INAIL")'),
    ), (
        ("IT_INPS_EMPLOYEE", _l("INPS, employee"), "0.0919"),
        ("IT_IRPEF", _l("Income tax withholding (flat example)"), "0.23"),
        ("IT_INPS_EMPLOYER", _l("INPS, company"), "0.2958"),
        ("IT_INAIL", _l("INAIL, company"), "0.004"),
    )),
}


def load_example(session, company_id: int, *, country: str, year: int) -> PayrollStructure:
    """The example structure of ``country`` and its rates for ``year`` in the company (rates already there are
    kept: they may have been checked)."""
    country = (country or "").upper()
    if country not in EXAMPLES:
        raise ValidationError(gettext("There is no example structure for %(country)s; there are: %(known)s.",
                                      country=country or "?", known=", ".join(sorted(EXAMPLES))), "country")
    name, rules, rates = EXAMPLES[country]
    if session.scalar(select(PayrollStructure.id).where(PayrollStructure.company_id == company_id,
                                                        PayrollStructure.name == str(name))) is not None:
        raise ValidationError(gettext("The example structure %(name)s is already loaded.", name=name), "country")
    structure = PayrollStructure(company_id=company_id, name=str(name), country_code=country, is_example=True,
                                 note=str(LABEL))
    structure.rules = [SalaryRule(company_id=company_id, sequence=(index + 1) * 10, code=code, name=str(label),
                                  category=category, formula=formula)
                       for index, (code, label, category, formula) in enumerate(rules)]
    session.add(structure)
    existing = set(session.scalars(select(PayrollRate.code).where(
        PayrollRate.company_id == company_id, PayrollRate.country_code == country, PayrollRate.year == year)))
    session.add_all(PayrollRate(company_id=company_id, country_code=country, year=year, code=code, name=str(label),
                                value=Decimal(value)) for code, label, value in rates if code not in existing)
    session.flush()
    return structure
