"""Demo expenses: the usual categories, and two draft claims (the administrator's own, and one HR filed for Marco)
waiting for their receipts."""
import datetime as dt
from decimal import Decimal

from ..services import create_company_record
from . import services
from .models import ExpenseCategory

CATEGORIES = ("Viajes", "Comidas", "Alojamiento", "Material de oficina")


def load(session, company, admin, employees: dict) -> None:
    categories = {name: create_company_record(session, ExpenseCategory, company.id, {"name": name})
                  for name in CATEGORIES}
    today = dt.date.today()
    services.create_claim(session, admin, company.id, date=today, description="Visita a cliente en Valencia",
                          lines=[{"category_id": categories["Viajes"].id, "amount": Decimal("86.40"),
                                  "description": "Tren Madrid–Valencia"},
                                 {"category_id": categories["Comidas"].id, "amount": Decimal("23.50")}])
    services.create_claim(session, admin, company.id, employee_id=employees["Marco Bianchi"].id, date=today,
                          description="Feria de Milán", lines=[
                              {"category_id": categories["Alojamiento"].id, "amount": Decimal("240.00"),
                               "description": "Hotel, dos noches"}])
