"""The Sales menu: each entry names the model (and operation) it needs; price lists, teams, commission plans and the
settings are kept by managers; a salesperson opens the Commissions page for their own statements."""
from flask_babel import lazy_gettext as _l

from core import MenuItem

from .models import CommissionPlan, CommissionStatement, PriceList, PriceRule, SaleOrder, SalesSettings, SalesTeam

MENU = (
    MenuItem(id="sales.root", label=_l("Sales"), sequence=26, icon="tag"),
    MenuItem(id="sales.orders", label=_l("Quotations and orders"), parent="sales.root", sequence=1,
             endpoint="sales.order_list", model=SaleOrder),
    MenuItem(id="sales.dashboard", label=_l("Dashboard"), parent="sales.root", sequence=4,
             endpoint="sales.dashboard_page", model=SaleOrder),
    MenuItem(id="sales.pricelists", label=_l("Price lists"), parent="sales.root", sequence=2,
             endpoint="sales.pricelist_list", model=PriceList),
    MenuItem(id="sales.price_rules", label=_l("Price rules"), parent="sales.root", sequence=3,
             endpoint="sales.price_rule_list", model=PriceRule),
    MenuItem(id="sales.commissions", label=_l("Commissions"), parent="sales.root", sequence=5,
             endpoint="sales.commissions_page", model=CommissionStatement),
    MenuItem(id="sales.commission_plans", label=_l("Commission plans"), parent="sales.root", sequence=6,
             endpoint="sales.commission_plan_list", model=CommissionPlan),
    MenuItem(id="sales.teams", label=_l("Sales teams"), parent="sales.root", sequence=9,
             endpoint="sales.team_list", model=SalesTeam),
    MenuItem(id="sales.settings", label=_l("Sales settings"), parent="sales.root", sequence=10,
             endpoint="sales.settings_page", model=SalesSettings, operation="write"),
)
