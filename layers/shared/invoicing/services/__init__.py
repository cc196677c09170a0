"""Use cases: each takes the tenant, the input and the ports it needs, and knows nothing of HTTP. It
imports the domain and its own ports (`ports.py`, `changes.py`), never an adapter."""
