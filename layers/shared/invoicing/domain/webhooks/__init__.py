"""Shop webhooks in the domain's terms: a tenant's endpoints, the orders and refunds a shop's events
tell of (whichever shop), and the invoice and credit note they become, to the cent."""
