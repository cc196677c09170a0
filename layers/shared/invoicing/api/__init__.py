"""HTTP: routers grouped by function, and the resolver they share."""
