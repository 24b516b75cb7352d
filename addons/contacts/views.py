"""The contacts UI: generic views over partners, saving through the partner services."""
from flask_babel import lazy_gettext as _l

from core.web.views import Filter, ModelView

from . import services
from .models import Partner


class PartnerView(ModelView):
    def create(self, session, actor, values):
        return services.create_partner(session, actor.company_id, **values)

    def update(self, session, actor, record, values):
        return services.update_partner(session, record, **values)


def partner_view() -> PartnerView:
    return PartnerView(
        Partner, name="partner", slug="partners", label=_l("Partner"), label_plural=_l("Partners"),
        list_columns=("name", "email", "phone", "city", "country_code", "parent"),
        search_fields=("name", "email", "city", "vat"),
        form_fields=("name", "is_company", "parent_id", "email", "phone", "street", "city", "zip",
                     "country_code", "vat", "lang"),
        filters=(
            Filter("companies", _l("Companies"), lambda actor: Partner.is_company.is_(True)),
            Filter("people", _l("People"), lambda actor: Partner.is_company.is_(False)),
            Filter("archived", _l("Archived"), lambda actor: Partner.active.is_(False)),
        ),
        labels={
            "name": _l("Name"), "is_company": _l("Is a company"), "parent_id": _l("Works at"),
            "parent": _l("Works at"), "email": _l("Email"), "phone": _l("Phone"), "street": _l("Street"),
            "city": _l("City"), "zip": _l("Postcode"), "country_code": _l("Country"), "vat": _l("Tax ID"),
            "lang": _l("Language"),
        },
    )
