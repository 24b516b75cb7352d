"""Sales services: price lists (:mod:`.pricelists`), prices (:mod:`.pricing`), quotations (:mod:`.quotes`),
their amounts and margins (:mod:`.amounts`)."""
