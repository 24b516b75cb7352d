"""A generic chart for any country: a few accounts per type, VAT 20/10/0 % and a reverse charge."""
from decimal import Decimal as D

from . import AccountTemplate as A
from . import ChartTemplate, JournalTemplate, TaxTemplate, terms

ACCOUNTS = (
    A("1000", "Cash", "cash"),
    A("1010", "Bank", "bank"),
    A("1100", "Accounts receivable", "receivable", True),
    A("1200", "VAT receivable", "tax"),
    A("1210", "Withholding tax receivable", "tax"),
    A("1300", "Prepayments", "asset"),
    A("1500", "Equipment", "asset"),
    A("1590", "Accumulated depreciation", "asset"),
    A("2000", "Accounts payable", "payable", True),
    A("2100", "VAT payable", "tax"),
    A("2110", "Withholding tax payable", "tax"),
    A("2200", "Salaries payable", "liability"),
    A("2300", "Short-term loans", "liability"),
    A("3000", "Share capital", "equity"),
    A("3100", "Retained earnings", "equity"),
    A("3200", "Profit or loss for the year", "equity"),
    A("4000", "Sales of goods", "income"),
    A("4100", "Sales of services", "income"),
    A("4800", "Other income", "income"),
    A("4900", "Exchange gains", "income"),
    A("5000", "Purchases of goods", "expense"),
    A("6000", "Rent", "expense"),
    A("6100", "Professional services", "expense"),
    A("6200", "Bank charges", "expense"),
    A("6300", "Utilities", "expense"),
    A("6400", "Salaries", "expense"),
    A("6500", "Depreciation", "expense"),
    A("6800", "Write-offs and small differences", "expense"),
    A("6900", "Exchange losses", "expense"),
)

TAXES = (
    TaxTemplate("S_VAT20", "VAT 20% (sales)", "sale", D("20"), "2100", sequence=10),
    TaxTemplate("S_VAT10", "VAT 10% (sales)", "sale", D("10"), "2100", sequence=11),
    TaxTemplate("S_VAT0", "VAT 0% (sales)", "sale", D("0"), "2100", sequence=12),
    TaxTemplate("P_VAT20", "VAT 20% (purchases)", "purchase", D("20"), "1200", sequence=10),
    TaxTemplate("P_VAT10", "VAT 10% (purchases)", "purchase", D("10"), "1200", sequence=11),
    TaxTemplate("P_VAT0", "VAT 0% (purchases)", "purchase", D("0"), "1200", sequence=12),
    TaxTemplate("P_VAT20_RC", "VAT 20% reverse charge (purchases)", "purchase", D("20"), "1200",
                reverse_charge_account="2100", sequence=20),
)

CHART = ChartTemplate(
    key="generic",
    name="Generic chart of accounts",
    accounts=ACCOUNTS,
    taxes=TAXES,
    journals=(
        JournalTemplate("INV", "Customer invoices", "sale", "4000"),
        JournalTemplate("BILL", "Supplier bills", "purchase", "5000"),
        JournalTemplate("BNK1", "Bank", "bank", "1010"),
        JournalTemplate("CSH1", "Cash", "cash", "1000"),
        JournalTemplate("MISC", "Miscellaneous operations", "general"),
    ),
    terms=terms("Immediate payment", "30 days", "30/60/90 days", "30 days end of month", "60 days end of month"),
    defaults={"receivable": "1100", "payable": "2000", "income": "4000", "expense": "5000",
              "retained_earnings": "3200", "exchange_gain": "4900", "exchange_loss": "6900", "writeoff": "6800"},
)
