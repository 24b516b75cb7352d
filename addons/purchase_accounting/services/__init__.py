"""The bridge's services: the billing policy (:mod:`.settings`), bills from orders (:mod:`.bills`) and the
three-way check that guards their posting (:mod:`.check`)."""
