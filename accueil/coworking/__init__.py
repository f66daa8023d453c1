"""Co-working in the mairie (« tiers-lieu d'intérêt général »): desks booked by half-day by the agents of
any mairie and by the public actors a mairie invites."""
