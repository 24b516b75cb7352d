"""A company buying from a Spanish and an Italian supplier, with a purchase user and two managers."""
from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest

from addons.contacts.services import create_partner
from addons.products.services import create_product

USER, MANAGER = "purchase.group_user", "purchase.group_manager"


@pytest.fixture
def shop(db):
    system = db.system()
    company = db.main_company
    bolts = create_product(system, company.id, code="BOLT", name="Bolt M6", list_price=Decimal("0.50"))
    paint = create_product(system, company.id, code="PAINT", name="White paint 5 l", list_price=Decimal("24.75"))
    ferreteria = create_partner(system, company.id, name="Ferretería Sol S.L.", is_company=True, lang="es",
                                email="pedidos@ferreteria-sol.es")
    colori = create_partner(system, company.id, name="Colori Srl", is_company=True, lang="it",
                            email="ordini@colori.it")
    system.commit()
    return SimpleNamespace(
        db=db, company=company, bolts=bolts, paint=paint, ferreteria=ferreteria, colori=colori,
        buyer=db.as_user(db.user("buyer", groups=[USER])),
        boss=db.as_user(db.user("boss", groups=[MANAGER])),
        other_boss=db.as_user(db.user("chief", groups=[MANAGER])),
    )
