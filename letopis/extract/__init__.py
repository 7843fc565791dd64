"""Facts drawn from the analyzed text: mentions, entities, roles, dates, places, events."""
