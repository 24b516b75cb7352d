"""Translations: complete, compiled, placeholder-safe catalogues, and pages shown in the user's language.

Each catalogue is the core's (strings under ``core/``, in ``core/web/translations``)
or an addon's (strings under ``addons/<name>/``, in ``addons/<name>/translations``).
Messages are extracted in memory with the repository's ``babel.cfg`` and the same
keywords as the ``pybabel extract`` command in docs/translations.md, so a string
added to the code or a template without a translation fails here.
"""
from __future__ import annotations

import io
import re
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po
from sqlalchemy import insert

from addons.contacts.models import Partner
from core.models import User
from core.web.i18n import CODES

ROOT = Path(__file__).resolve().parents[2]
MAPPING = ROOT / "babel.cfg"
# The same keywords as `pybabel extract -k lazy_gettext -k _l -k lazy_ngettext:1,2` (plus Babel's defaults).
KEYWORDS = {**DEFAULT_KEYWORDS, "lazy_gettext": None, "_l": None, "lazy_ngettext": (1, 2)}
LANGUAGES = [code for code in CODES if code != "en"]

# Strings marked for translation that extraction cannot see, with where they are and why.
# Fix the code rather than growing this list.
KNOWN_UNEXTRACTABLE = {
    "— none —": "core/web/forms.py: _l() inside an f-string (Python < 3.12 extractors do not look inside)",
}


def _catalogues() -> dict[str, tuple[Path, Path]]:
    """name -> (source folder, translations folder): the core, every addon under addons/, the tutorial's addon."""
    found = {"core": (ROOT / "core", ROOT / "core" / "web" / "translations")}
    for package in sorted((ROOT / "addons").iterdir()):
        if (package / "__init__.py").is_file():
            found[package.name] = (package, package / "translations")
    notes = ROOT / "tests" / "sample_addon" / "bottega_notes"
    found["notes"] = (notes, notes / "translations")
    return found


CATALOGUES = _catalogues()


def _mapping():
    try:
        from babel.messages.frontend import parse_mapping_cfg
    except ImportError:  # Babel < 2.14
        from babel.messages.frontend import parse_mapping as parse_mapping_cfg
    with MAPPING.open(encoding="utf-8") as handle:
        return parse_mapping_cfg(handle, filename=str(MAPPING))


_extracted: dict[str, dict] = {}


def extracted(name: str) -> dict:
    """msgid (a tuple for plurals) -> [locations], from the catalogue's current sources."""
    if name not in _extracted:
        method_map, options_map = _mapping()
        messages: dict = {}
        for filename, lineno, message, _comments, _context in extract_from_dir(
            str(CATALOGUES[name][0]), method_map, options_map, keywords=KEYWORDS
        ):
            if message and (message if isinstance(message, str) else message[0]):
                where = (CATALOGUES[name][0] / filename).relative_to(ROOT)
                messages.setdefault(message, []).append(f"{where}:{lineno}")
        _extracted[name] = messages
    return _extracted[name]


def po_path(name: str, lang: str) -> Path:
    return CATALOGUES[name][1] / lang / "LC_MESSAGES" / "messages.po"


def load_po(name: str, lang: str):
    path = po_path(name, lang)
    if not path.is_file():
        pytest.fail(f"{path.relative_to(ROOT)} is missing: see docs/translations.md (pybabel init)")
    with path.open("rb") as handle:
        return read_po(handle, locale=lang)


def translated(catalog) -> list:
    return [m for m in catalog if m.id and not m.fuzzy]


def strings_of(message) -> list[str]:
    return list(message.string) if isinstance(message.string, (tuple, list)) else [message.string]


PAIRS = [(name, lang) for name in CATALOGUES for lang in LANGUAGES]
PAIR_IDS = [f"{name}-{lang}" for name, lang in PAIRS]


# --- (a) every string in the sources is translated -----------------------------------------------------------------


def test_the_extraction_sees_the_strings_we_know_are_marked():
    assert "Log in" in extracted("core")  # a template
    assert "Wrong login or password." in extracted("core")  # gettext() in Python
    assert "Settings" in extracted("core")  # lazy_gettext as _l
    assert "Partners" in extracted("contacts")


def test_an_addon_with_strings_ships_a_translations_folder():
    for name, (_source, folder) in CATALOGUES.items():
        if extracted(name):
            assert folder.is_dir(), f"{name} marks strings for translation but has no {folder.relative_to(ROOT)}"


@pytest.mark.parametrize(("name", "lang"), PAIRS, ids=PAIR_IDS)
def test_every_extracted_string_has_a_translation(name, lang):
    if not extracted(name):
        pytest.skip(f"{name} has no strings to translate")
    catalog = load_po(name, lang)
    problems = []
    for msgid, where in extracted(name).items():
        message = catalog.get(msgid)
        if message is None:
            problems.append(f"missing   {msgid!r} ({where[0]})")
        elif message.fuzzy:
            problems.append(f"fuzzy     {msgid!r} ({where[0]})")
        elif not all(s.strip() for s in strings_of(message)):
            problems.append(f"empty     {msgid!r} ({where[0]})")
    assert not problems, (
        f"{po_path(name, lang).relative_to(ROOT)} is not up to date; run the extract/update/compile commands "
        "in docs/translations.md and translate:\n" + "\n".join(problems)
    )


def test_strings_marked_in_python_are_seen_by_the_extraction():
    """A literal passed to _(), _l() or gettext() where Babel cannot see it (an f-string) is never translated."""
    call = re.compile(r"""\b(?:_|_l|gettext|lazy_gettext)\(\s*(["'])((?:(?!\1).)+)\1\s*[,)]""")
    missed = []
    for name, (source, _folder) in CATALOGUES.items():
        seen = {m if isinstance(m, str) else m[0] for m in extracted(name)}
        for path in source.rglob("*.py"):
            if "tests" in path.relative_to(source).parts:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                for found in call.finditer(line):
                    text = found.group(2)
                    if text not in seen and text not in KNOWN_UNEXTRACTABLE:
                        missed.append(f"{path.relative_to(ROOT)}:{number}: {text!r}")
    assert not missed, "marked but not extractable (move the call out of the f-string):\n" + "\n".join(missed)


# --- (b) the committed .mo is what the .po compiles to --------------------------------------------------------------


def _mo_contents(catalog) -> tuple:
    messages = {(m.context, m.id if isinstance(m.id, str) else tuple(m.id)): m.string for m in catalog if m.id}
    return messages, catalog.plural_forms


@pytest.mark.parametrize(("name", "lang"), PAIRS, ids=PAIR_IDS)
def test_the_committed_mo_matches_the_po(name, lang):
    if not po_path(name, lang).is_file() and not extracted(name):
        pytest.skip(f"{name} has no strings to translate")
    catalog = load_po(name, lang)
    assert not catalog.fuzzy, f"{po_path(name, lang).relative_to(ROOT)}: remove '#, fuzzy' from the header"
    compiled = io.BytesIO()
    write_mo(compiled, catalog)  # what `pybabel compile` writes (fuzzy entries left out)
    compiled.seek(0)
    mo = po_path(name, lang).with_suffix(".mo")
    assert mo.is_file(), f"{mo.relative_to(ROOT)} is missing: run pybabel compile (docs/translations.md)"
    with mo.open("rb") as handle:
        committed = read_mo(handle)
    (have, have_plural), (want, want_plural) = _mo_contents(committed), _mo_contents(read_mo(compiled))
    stale = sorted(str(key[1]) for key in have.keys() | want.keys() if have.get(key) != want.get(key))
    if have_plural != want_plural:
        stale.append("Plural-Forms header")
    assert not stale, (
        f"{mo.relative_to(ROOT)} is stale (run pybabel compile -d {CATALOGUES[name][1].relative_to(ROOT)}); "
        f"differs for: {stale}"
    )


# --- (c) placeholders survive translation ---------------------------------------------------------------------------

NAMED = re.compile(r"%\((\w+)\)[#0 +-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")


def _format_tokens(text: str) -> tuple[Counter, int, int]:
    """Named placeholders, then counts of '%%' and of any other '%' (which would break %-formatting)."""
    names = Counter(NAMED.findall(text))
    rest = NAMED.sub("", text)
    doubled = rest.count("%%")
    return names, doubled, rest.replace("%%", "").count("%")


@pytest.mark.parametrize(("name", "lang"), PAIRS, ids=PAIR_IDS)
def test_placeholders_are_kept_in_translations(name, lang):
    if not po_path(name, lang).is_file() and not extracted(name):
        pytest.skip(f"{name} has no strings to translate")
    catalog = load_po(name, lang)
    problems = []
    for message in translated(catalog):
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        expected = set().union(*(_format_tokens(i)[0] for i in ids))
        stray = max(_format_tokens(i)[1:] for i in ids)
        for text in strings_of(message):
            if not text:
                continue
            names, doubled, bare = _format_tokens(text)
            if isinstance(message.id, str) and set(names) != expected:
                problems.append(f"{message.id!r} -> {text!r}: placeholders {sorted(names)} != {sorted(expected)}")
            elif not set(names) <= expected:
                problems.append(f"{message.id!r} -> {text!r}: unknown placeholders {sorted(set(names) - expected)}")
            if (doubled, bare) != stray:
                problems.append(f"{message.id!r} -> {text!r}: '%' signs differ (write a literal % as %%)")
    for message, errors in catalog.check():  # Babel's own python-format checker
        problems += [f"{message.id!r}: {error}" for error in errors]
    assert not problems, "\n".join(problems)


def test_a_string_in_the_core_and_an_addon_is_translated_the_same_way():
    """Flask-Babel merges the catalogues and the addon's wins, so a shared msgid must not change meaning."""
    for lang in LANGUAGES:
        core = {m.id: m.string for m in translated(load_po("core", lang))}
        for name in CATALOGUES:
            if name == "core" or not po_path(name, lang).is_file():
                continue
            clashes = [f"{m.id!r}: core {core[m.id]!r}, {name} {m.string!r}"
                       for m in translated(load_po(name, lang)) if m.id in core and core[m.id] != m.string]
            assert not clashes, f"{lang}: " + "; ".join(clashes)


# --- (d) people see the pages in their language ---------------------------------------------------------------------


def _user_speaking(web, login: str, lang: str):
    user = web.db.user(login, groups=["contacts.group_user"])
    system = web.db.system()
    system.get(User, user.id).lang = lang
    system.commit()
    client = web.client()
    client.login(login)
    return client


def _seed_partners(web, count: int) -> None:
    system = web.db.system()
    company_id = web.db.main_company.id
    system.execute(insert(Partner), [{"name": f"Socio {n:04d}", "company_id": company_id} for n in range(count)])
    system.commit()


def test_a_spanish_speaking_user_sees_the_shell_and_the_partner_list_in_spanish(web):
    _seed_partners(web, 1234)
    client = _user_speaking(web, "lucia", "es")

    home = client.get("/").get_data(as_text=True)
    assert '<html lang="es">' in home
    for text in ("Hola, Lucia", "Preferencias", "Cerrar sesión", "Aplicaciones", "Contactos",
                 "Contactos activos por país"):
        assert text in home, text
    assert "Log out" not in home and "Hello," not in home

    page = client.get("/contacts/partners/").get_data(as_text=True)
    for text in ("<title>Contactos · Bottega</title>", "Buscar…", "Exportar", "Nuevo", "Nombre",
                 "Correo electrónico", "Teléfono", "Ciudad", "País", "Trabaja en", "Empresas", "Personas",
                 "Archivados", "Página 1 de 25", "Siguiente"):
        assert text in page, text
    assert '<span class="count">1.234</span>' in page  # Spanish digit grouping
    for english in ("Export</summary>", "Page 1 of", "Works at", "Next ›", "Search…"):
        assert english not in page, english

    form = client.get("/contacts/partners/new").get_data(as_text=True)
    for text in ("Crear Contacto", "Es una empresa", "Guardar", "Cancelar"):
        assert text in form, text

    missing = client.get("/contacts/partners/999999999")
    assert missing.status_code == 404
    assert "No encontrado" in missing.get_data(as_text=True)


def test_numbers_and_words_follow_each_users_own_language(web):
    _seed_partners(web, 1234)
    english = _user_speaking(web, "emma", "en").get("/contacts/partners/").get_data(as_text=True)
    assert '<span class="count">1,234</span>' in english and "Page 1 of 25" in english
    italian = _user_speaking(web, "giulia", "it").get("/contacts/partners/").get_data(as_text=True)
    assert '<span class="count">1.234</span>' in italian
    assert "Pagina 1 di 25" in italian and "Contatti" in italian and "Esporta" in italian


def test_changing_ones_language_is_confirmed_in_the_new_language(web):
    web.db.user("lucia", groups=["contacts.group_user"], lang="es")
    client = web.client()
    client.login("lucia")
    client.get("/account")
    saved = client.post("/account", {"pref-lang": "it"}, follow_redirects=True).get_data(as_text=True)
    assert "Preferenze salvate." in saved and "Preferencias guardadas." not in saved


def test_an_anonymous_visitor_gets_the_login_page_in_the_browsers_language(web):
    client = web.client()
    italian = {"Accept-Language": "it-IT,it;q=0.9,en;q=0.5"}
    page = client.get("/login", headers=italian).get_data(as_text=True)
    assert '<html lang="it">' in page
    assert "<title>Accedi · Bottega</title>" in page and "Nome utente" in page
    assert "Log in" not in page

    web.db.user("marco", groups=["contacts.group_user"])
    wrong = client.post("/login", {"login": "marco", "password": "not-it"}, headers=italian)
    assert wrong.status_code == 401
    assert "Nome utente o password errati." in wrong.get_data(as_text=True)


def test_the_language_picked_on_the_login_page_wins_over_the_browsers(web):
    client = web.client()
    client.get("/login", headers={"Accept-Language": "it-IT"})
    client.post("/language", {"lang": "es"}, headers={"Accept-Language": "it-IT"})
    page = client.get("/login", headers={"Accept-Language": "it-IT"}).get_data(as_text=True)
    assert '<html lang="es">' in page and "Iniciar sesión" in page
