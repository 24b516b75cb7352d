"""Demo products for `bottega demo`: goods and services with Spanish names."""
from decimal import Decimal

from .models import GOODS, SERVICE
from .services import create_product

PRODUCTS = (
    ("TORN-M6", "Tornillo hexagonal M6 (caja de 100)", GOODS, "12.50"),
    ("TALADRO-18V", "Taladro percutor 18 V", GOODS, "89.90"),
    ("PINT-BL-5L", "Pintura plástica blanca 5 l", GOODS, "24.75"),
    ("ETIQ-001", "Etiqueta adhesiva (unidad)", GOODS, "0.0035"),
    ("CONS-H", "Consultoría (hora)", SERVICE, "60.00"),
    ("MANT-MES", "Mantenimiento mensual", SERVICE, "150.00"),
)


def load(session, company) -> None:
    for code, name, kind, price in PRODUCTS:
        create_product(session, company.id, code=code, name=name, kind=kind, list_price=Decimal(price))
