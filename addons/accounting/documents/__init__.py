"""Documents of an invoice: the PDF (:mod:`.pdf`) and the e-invoices (:mod:`.ubl`, :mod:`.fatturapa`,
:mod:`.facturae`), all built from the same :func:`.data.invoice_document`."""
