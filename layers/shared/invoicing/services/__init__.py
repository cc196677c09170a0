"""Use cases: each takes the tenant, the input and the adapters, and knows nothing of HTTP."""
