"""Demo partners for `bottega demo`: Spanish and Italian companies and their people."""
import unicodedata

from .services import create_partner

COMPANIES = (
    ("Ferretería Ibérica S.L.", "Madrid", "ES", "B12345674", ("Lucía Martín", "Javier Ruiz")),
    ("Talleres Levante S.A.", "Valencia", "ES", "A58818501", ("Carmen López",)),
    ("Rossi Arredamenti S.r.l.", "Milano", "IT", "IT01114601006", ("Giulia Rossi", "Marco Bianchi")),
    ("Officine Fiorentine S.p.A.", "Firenze", "IT", "IT00743110157", ("Francesca Conti",)),
    ("Panadería del Sol", "Sevilla", "ES", None, ()),
)


def _ascii(word: str) -> str:
    return unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode().lower()


def load(session, company) -> None:
    for name, city, country, vat, people in COMPANIES:
        domain = f"{_ascii(name.split()[0])}.example"
        firm = create_partner(session, company.id, name=name, is_company=True, city=city, country_code=country,
                              vat=vat, email=f"info@{domain}", lang=country.lower())
        for person in people:
            create_partner(session, company.id, name=person, parent_id=firm.id, city=city, country_code=country,
                           email=f"{_ascii(person.split()[0])}@{domain}", lang=country.lower())
