"""Demo partners for `bottega demo`: Spanish and Italian companies, their people and addresses, tags,
and one likely duplicate to try the merge on."""
import unicodedata

from .models import DELIVERY, INVOICE
from .services import create_partner, ensure_tag

COMPANIES = (
    ("Ferretería Ibérica S.L.", "Madrid", "ES", "B12345674", ("Lucía Martín", "Javier Ruiz"), ("Customer", "VIP")),
    ("Talleres Levante S.A.", "Valencia", "ES", "A58818501", ("Carmen López",), ("Supplier",)),
    ("Rossi Arredamenti S.r.l.", "Milano", "IT", "IT01114601006", ("Giulia Rossi", "Marco Bianchi"), ("Customer",)),
    ("Officine Fiorentine S.p.A.", "Firenze", "IT", "IT00743110157", ("Francesca Conti",), ("Supplier",)),
    ("Panadería del Sol", "Sevilla", "ES", None, (), ("Customer",)),
)


def _ascii(word: str) -> str:
    return unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode().lower()


def load(session, company) -> None:
    firms = {}
    for name, city, country, vat, people, tags in COMPANIES:
        domain = f"{_ascii(name.split()[0])}.example"
        firm = create_partner(session, company.id, name=name, is_company=True, city=city, country_code=country,
                              vat=vat, email=f"info@{domain}", lang=country.lower(),
                              tags=[ensure_tag(session, company.id, name=tag) for tag in tags])
        firms[name] = firm
        for person in people:
            create_partner(session, company.id, name=person, parent_id=firm.id, city=city, country_code=country,
                           email=f"{_ascii(person.split()[0])}@{domain}", lang=country.lower())
    iberica = firms["Ferretería Ibérica S.L."]
    create_partner(session, company.id, name="Ferretería Ibérica — facturación", parent_id=iberica.id, type=INVOICE,
                   street="Calle Mayor 1", zip="28013", city="Madrid", country_code="ES",
                   email="facturas@ferreteria.example")
    create_partner(session, company.id, name="Ferretería Ibérica — almacén", parent_id=iberica.id, type=DELIVERY,
                   street="Polígono Los Ángeles, nave 7", zip="28906", city="Getafe", country_code="ES")
    # typed in again by someone else: the duplicates page offers to merge it
    create_partner(session, company.id, name="FERRETERIA IBERICA SL", is_company=True, city="Madrid",
                   country_code="ES", phone="+34 911 222 333")
