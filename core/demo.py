"""``bottega demo``: a fresh SQLite database with every addon and its demonstration data."""
from __future__ import annotations

import io
from pathlib import Path

import tomlkit
from sqlalchemy import select

from core import encryption, jobs
from core.catalog import Catalog
from core.companies import update_company
from core.config import Config, load_config
from core.db import make_engine
from core.lifecycle import Lifecycle
from core.lifecycle.initialize import initialize
from core.models import Company, Group, User
from core.security import actor_session, credentials
from core.sessions import make_session_factory

DEMO_PASSWORD = "bottega-demo"
DEMO_USERS = (("maria", "María García", ("contacts.group_user",)),
              ("pablo", "Pablo Navarro", ("purchase.group_user",)))
#: a Spanish company (accounting sets it up with the Spanish chart); the tax id and IBAN pass their checks
DEMO_PROFILE = {"street": "Calle de Alcalá 48", "street2": "3º izquierda", "zip": "28014", "city": "Madrid",
                "province": "Madrid", "country_code": "ES", "vat": "B86963816",
                "iban": "ES91 2100 0418 4502 0005 1332", "email": "facturas@bottega-demo.example",
                "phone": "+34 910 123 456", "website": "https://bottega-demo.example", "lang": "es"}


def prepare_demo(folder: Path, catalog: Catalog) -> Config:
    """A fresh demo in ``folder``: its database, its job queue and its own configuration, ``demo.toml``.

    The demo never reads or writes the installation's ``config/bottega.toml``
    or its environment: installing an addon from the demo's pages changes
    ``demo.toml``, and the jobs its data queues wait in a queue of its own.
    """
    folder.mkdir(parents=True, exist_ok=True)
    database, queue = folder / "demo.db", folder / "demo-jobs.db"
    remove_sqlite_file(queue)
    document = tomlkit.document()
    document.add(tomlkit.comment("Written by `bottega demo` for its own database; made again on every run."))
    document["database"] = {"url": f"sqlite:///{database}"}
    document["addons"] = {"enabled": sorted(catalog)}
    document["jobs"] = {"backend": "sqlite", "sqlite_path": str(queue), "files_path": str(folder / "task-files")}
    document["security"] = {"encryption_keys": [encryption.generate_key()]}  # a new database, a new key
    path = folder / "demo.toml"
    path.write_text(tomlkit.dumps(document), encoding="utf-8")
    config = load_config(path, environ={})
    jobs.configure(config)
    encryption.configure(config)
    create_demo_database(database, catalog)
    return config


def remove_sqlite_file(path: Path) -> None:
    for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        leftover.unlink(missing_ok=True)


def create_demo_database(path: Path, catalog: Catalog) -> str:
    """Replace ``path`` with a demo database; return its URL. Logins: admin and the demo users."""
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_sqlite_file(path)
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    try:
        initialize(engine, catalog, DEMO_PASSWORD, company_name="Bottega Demo S.L.")
        with make_session_factory(engine)() as session:  # before the addons: accounting reads the country
            update_company(session, session.scalars(select(Company)).one(), **DEMO_PROFILE, logo=demo_logo())
            session.commit()
        lifecycle = Lifecycle(engine, catalog)
        lifecycle.run(lifecycle.plan_install(list(catalog)))
        registry = lifecycle.registry()
        # a system session of the installed addons: their guards and business hooks run on demo data too
        with actor_session(make_session_factory(engine), registry, None) as session:
            company = session.scalars(select(Company)).one()
            load_demo_data(session, registry, company)
            for login, name, groups in DEMO_USERS:
                wanted = list(session.scalars(select(Group).where(Group.key.in_(groups))))
                if len(wanted) == len(groups):
                    user = User(login=login, name=name, company_id=company.id, companies=[company], groups=wanted)
                    session.add(user)
                    session.flush()
                    credentials.set_password(session, user.id, DEMO_PASSWORD)
            session.commit()
    finally:
        engine.dispose()
    return url


def demo_logo() -> bytes:
    """A small PNG drawn here: the demo company's logo on its invoices."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (360, 120), "#ffffff")
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((8, 8, 112, 112), radius=18, fill="#b5523b")
    draw.text((60, 60), "B", fill="#ffffff", font=ImageFont.load_default(72), anchor="mm")
    draw.text((130, 60), "Bottega", fill="#3b3b3b", font=ImageFont.load_default(44), anchor="lm")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def load_demo_data(session, registry, company: Company) -> None:
    """Every installed addon's demonstration data for ``company`` (not committed).

    Addons load by how many addons they stand on, fewest first (then by
    name): a dependency always comes before what depends on it, and of two
    unrelated addons the more basic one loads first, so that the purchase
    demo's confirmed orders, received through the stock bridge, find the
    stock demo's warehouses rather than making one of their own.
    """
    catalog = registry.catalog
    order = {name: (len(catalog.resolve([name])), name) for name in registry.installed}
    for impl in sorted(registry.hook.load_demo_data.get_hookimpls(),
                       key=lambda i: order.get(i.plugin_name, (0, ""))):
        impl.function(session=session, company=company)
        session.flush()
