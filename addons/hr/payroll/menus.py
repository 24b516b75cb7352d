from flask_babel import lazy_gettext as _l

from core import MenuItem

from .models import PayrollRate, PayrollStructure, Payslip, PayslipBatch, PayslipInput, SalaryRule

MENU = (
    MenuItem(id="hr.my_payslips", label=_l("My payslips"), parent="hr.root", sequence=20,
             endpoint="hr.my_payslips", model=Payslip),
    MenuItem(id="hr.payroll_batches", label=_l("Payroll batches"), parent="hr.root", sequence=30,
             endpoint="hr.payslip_batch_list", model=PayslipBatch),
    MenuItem(id="hr.payslips", label=_l("Payslips"), parent="hr.root", sequence=31, endpoint="hr.payslip_list",
             model=PayslipBatch),
    MenuItem(id="hr.cost_by_department_page", label=_l("Payroll cost by department"), parent="hr.root", sequence=32,
             endpoint="hr.cost_by_department_page", model=PayslipBatch),
    MenuItem(id="hr.payslip_inputs", label=_l("Payslip inputs"), parent="hr.root", sequence=33,
             endpoint="hr.payslip_input_list", model=PayslipInput),
    MenuItem(id="hr.payroll_structures", label=_l("Salary structures"), parent="hr.root", sequence=34,
             endpoint="hr.payroll_structure_list", model=PayrollStructure),
    MenuItem(id="hr.example_structures", label=_l("Example salary structures"), parent="hr.root", sequence=37,
             endpoint="hr.example_structures", model=PayrollStructure, operation="create"),
    MenuItem(id="hr.salary_rules", label=_l("Salary rules"), parent="hr.root", sequence=35,
             endpoint="hr.salary_rule_list", model=SalaryRule),
    MenuItem(id="hr.payroll_rates", label=_l("Payroll rates"), parent="hr.root", sequence=36,
             endpoint="hr.payroll_rate_list", model=PayrollRate),
)
