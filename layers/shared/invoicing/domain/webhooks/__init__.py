"""Shop webhooks: how each provider signs its deliveries, and the order or refund each one carries."""
