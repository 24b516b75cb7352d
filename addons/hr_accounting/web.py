"""The bridge's one blueprint, mounted at /hr_accounting: the payroll (payroll.py) and expense (expense_web.py)
pages add their routes to it."""
from flask import Blueprint

blueprint = Blueprint("hr_accounting", __name__, template_folder="templates")
