"""Demo products for `bottega demo`: goods and services with Spanish names, in a small tree of categories, and a
work T-shirt sold in sizes and colours (a configurable product; its variants are made as they are quoted)."""
from decimal import Decimal

from .models import GOODS, SERVICE
from .services import create_category, create_product
from .units import unit_by_code
from .configuring import create_attribute, create_value, offer_value

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
    load_configurable(session, company, categories["Ferretería"].id)

ATTRIBUTES = (  # name, values (name, code, price extra on the T-shirt)
    ("Talla", (("S", "S", "0"), ("M", "M", "0"), ("L", "L", "0"), ("XL", "XL", "1.50"))),
    ("Color", (("Blanco", "BL", "0"), ("Azul marino", "AZ", "0.80"), ("Rojo", "RJ", "0.80"))),
)


def load_configurable(session, company, category_id: int) -> None:
    shirt = create_product(session, company.id, code="CAMISETA", name="Camiseta de trabajo", category_id=category_id,
                           list_price=Decimal("9.90"), cost=Decimal("3.60"))
    for sequence, (name, values) in enumerate(ATTRIBUTES, start=1):
        attribute = create_attribute(session, company.id, name=name, sequence=sequence)
        for value_sequence, (value_name, code, extra) in enumerate(values, start=1):
            value = create_value(session, company.id, attribute_id=attribute.id, name=value_name, code=code,
                                 sequence=value_sequence)
            offer_value(session, company.id, product_id=shirt.id, value_id=value.id, price_extra=Decimal(extra))
