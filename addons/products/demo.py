"""Demo products for `bottega demo`: goods and services with Spanish names, in a small tree of categories."""
from decimal import Decimal

from .models import GOODS, SERVICE
from .services import create_category, create_product
from .units import unit_by_code

CATEGORIES = (  # name, parent
    ("Ferretería", None),
    ("Tornillería", "Ferretería"),
    ("Herramientas eléctricas", "Ferretería"),
    ("Pinturas", None),
    ("Servicios", None),
)

PRODUCTS = (  # code, name, kind, category, unit, list price, cost
    ("TORN-M6", "Tornillo hexagonal M6 (caja de 100)", GOODS, "Tornillería", "unit", "12.50", "7.80"),
    ("TALADRO-18V", "Taladro percutor 18 V", GOODS, "Herramientas eléctricas", "unit", "89.90", "52.00"),
    ("PINT-BL-5L", "Pintura plástica blanca 5 l", GOODS, "Pinturas", "unit", "24.75", "13.40"),
    ("PINT-GR-L", "Pintura gris a granel", GOODS, "Pinturas", "l", "4.20", "2.15"),
    ("ETIQ-001", "Etiqueta adhesiva (unidad)", GOODS, "Ferretería", "unit", "0.0035", "0.0011"),
    ("CONS-H", "Consultoría (hora)", SERVICE, "Servicios", "hour", "60.00", "35.00"),
    ("MANT-MES", "Mantenimiento mensual", SERVICE, "Servicios", "unit", "150.00", "90.00"),
)


def load(session, company) -> None:
    categories = {}
    for name, parent in CATEGORIES:
        categories[name] = create_category(session, company.id, name=name,
                                           parent_id=categories[parent].id if parent else None)
    for code, name, kind, category, unit, price, cost in PRODUCTS:
        create_product(session, company.id, code=code, name=name, kind=kind, category_id=categories[category].id,
                       uom_id=unit_by_code(session, unit).id, list_price=Decimal(price), cost=Decimal(cost))
