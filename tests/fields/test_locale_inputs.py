"""What people type in pickers: countries by their name in three languages, dates and times in their locale."""
import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from core.fields import formats
from core.locale_dates import (
    DateProblem,
    date_pattern,
    format_date,
    format_datetime,
    parse_date,
    parse_datetime,
)

from .test_cleaning import Order


@pytest.mark.parametrize("typed", ["Spain", "España", "Spagna", "ESPAÑA", " espana ", "ES", "es"])
def test_spain_is_es_whatever_the_language(typed):
    assert formats.check("country", typed.strip()) == "ES"


@pytest.mark.parametrize(("typed", "code"), [("Germany", "DE"), ("Alemania", "DE"), ("Germania", "DE"),
                                             ("United Kingdom", "GB"), ("Regno Unito", "GB"), ("UK", "GB"),
                                             ("Estados Unidos", "US"), ("Stati Uniti", "US"), ("Kosovo", "XK")])
def test_other_countries_by_name(typed, code):
    assert formats.check("country", typed) == code


@pytest.mark.parametrize("typed", ["SP", "Spainn", "Narnia", "EU", "ZZ", "Unknown Region", "European Union", "E"])
def test_what_is_no_country_is_refused_never_cut_to_two_letters(typed):
    with pytest.raises(formats.FormatProblem, match="is not a country"):
        formats.check("country", typed)


def test_the_country_list_has_iso_codes_only_with_names_in_every_language():
    names = formats.country_names()
    assert names["ES"] == ("Spain", "España", "Spagna")
    assert names["IT"] == ("Italy", "Italia")  # the same name in Spanish and Italian is listed once
    assert not {"EU", "EZ", "UN", "ZZ", "QO", "XA", "XB"} & set(names)
    assert all(len(code) == 2 and code.isupper() for code in names)
    assert len(names) > 240


def test_cleaning_a_record_names_the_field_of_an_unknown_country():
    from core.errors import ValidationError
    from core.fields import clean

    assert clean(Order, {"name": "x", "country_code": "Spagna"}, creating=False)["country_code"] == "ES"
    with pytest.raises(ValidationError) as refused:
        clean(Order, {"name": "x", "country_code": "Spain2"}, creating=False)
    assert refused.value.field == "country_code"
    assert str(refused.value).startswith("Country code: Spain2 is not a country")


@pytest.mark.parametrize(("locale", "pattern", "shown"), [("en", "MM/dd/yyyy", "03/04/2026"),
                                                          ("es", "dd/MM/yyyy", "04/03/2026"),
                                                          ("it", "dd/MM/yyyy", "04/03/2026")])
def test_a_date_is_shown_as_the_user_types_it(locale, pattern, shown):
    assert date_pattern(locale) == pattern
    assert format_date(dt.date(2026, 3, 4), locale) == shown
    assert parse_date(shown, locale) == dt.date(2026, 3, 4)


@pytest.mark.parametrize(("locale", "typed", "date"), [
    ("es", "31/12/2026", dt.date(2026, 12, 31)), ("es", "3/12/26", dt.date(2026, 12, 3)),
    ("es", "03-12-2026", dt.date(2026, 12, 3)), ("it", "03.12.2026", dt.date(2026, 12, 3)),
    ("it", "29/02/2028", dt.date(2028, 2, 29)), ("en", "12/31/2026", dt.date(2026, 12, 31)),
    ("en", "3/12/2026", dt.date(2026, 3, 12)), ("es", "2026-12-31", dt.date(2026, 12, 31)),
    ("en", "2026-1-5", dt.date(2026, 1, 5)),
])
def test_dates_are_read_in_the_users_locale(locale, typed, date):
    assert parse_date(typed, locale) == date


@pytest.mark.parametrize(("locale", "typed"), [
    ("es", "31/02/2026"),   # no such day
    ("es", "12/31/2026"),   # an American date is not a Spanish one (Babel alone would swap day and month)
    ("it", "12/31/2026"),
    ("en", "31/12/2026"),   # and a Spanish date is not an American one
    ("es", "29/02/2027"), ("es", "2026-02-30"), ("es", "1/2/3/4"), ("es", "mañana"), ("es", "12/2026"),
    ("es", "00/01/2026"), ("es", "15/13/2026"),
])
def test_impossible_or_foreign_dates_are_refused(locale, typed):
    with pytest.raises(DateProblem):
        parse_date(typed, locale)


def test_a_date_and_time_is_read_in_the_users_time_zone_and_kept_in_utc():
    madrid, rome, utc = ZoneInfo("Europe/Madrid"), ZoneInfo("Europe/Rome"), dt.timezone.utc
    assert parse_datetime("03/12/2026 14:30", "es", madrid) == dt.datetime(2026, 12, 3, 13, 30)
    assert parse_datetime("03/07/2026 14:30", "it", rome) == dt.datetime(2026, 7, 3, 12, 30)  # summer time
    assert parse_datetime("12/03/2026 2:30 PM", "en", utc) == dt.datetime(2026, 12, 3, 14, 30)
    assert parse_datetime("2026-12-03T09:05", "en", utc) == dt.datetime(2026, 12, 3, 9, 5)
    assert parse_datetime("03/12/2026", "es", utc) == dt.datetime(2026, 12, 3)
    assert format_datetime(dt.datetime(2026, 12, 3, 13, 30), "es", madrid) == "03/12/2026 14:30"
    for typed in ("03/12/2026 25:00", "03/12/2026 14h", "31/02/2026 10:00"):
        with pytest.raises(DateProblem):
            parse_datetime(typed, "es", madrid)
