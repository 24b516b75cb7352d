"""The contacts tile on the home page: how many partners, and where they are."""
from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from core.web.dashboard import Tile

from .models import Partner


def partner_tiles(session, actor, registry):
    if not registry.can(actor, Partner, "read"):
        return ()
    active = Partner.active.is_(True)
    total = session.scalar(select(func.count(Partner.id)).where(active))
    by_country = session.execute(
        select(func.coalesce(Partner.country_code, "—"), func.count(Partner.id))
        .where(active).group_by(Partner.country_code).order_by(func.count(Partner.id).desc()).limit(5)
    ).all()
    return (Tile(title=_l("Partners"), value=format_decimal(total), endpoint="contacts.partner_list",
                 caption=_l("Active partners by country"), chart=tuple((c, n) for c, n in by_country)),)
