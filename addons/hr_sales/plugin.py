"""hr_sales: its hooks. Payroll reads the commissions itself through the core's ``commission_amounts`` hook
(sales answers it), so that each side works alone; the bridge ties a statement to the payroll that paid it."""
from core import hookimpl


@hookimpl
def record_panels(session, actor, record):
    from .statements import payroll_panels

    return payroll_panels(session, actor, record)


@hookimpl
def validate_flush(session, new, dirty, deleted):
    from .statements import refuse_cancelling_paid

    refuse_cancelling_paid(session, dirty)
