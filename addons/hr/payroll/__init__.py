"""Payroll: salary structures of ordered rules, rate tables per country and year, monthly payslip batches.

- :mod:`.models`: structures, rules, rates, batches, payslips, their lines and inputs;
- :mod:`.formulas`: the rules' formulas, evaluated over Decimal by a whitelist evaluator (never ``eval``);
- :mod:`.compute`: a month's payslips computed in Python over preloaded data;
- :mod:`.batches`: the batch and payslip services (compute, post, correct by a reversing payslip);
- :mod:`.examples`: the Spanish and Italian example structures, to be checked by the company's adviser.
"""
