"""Purchase services: supplier prices (:mod:`.prices`), orders (:mod:`.orders`), settings, currencies."""
