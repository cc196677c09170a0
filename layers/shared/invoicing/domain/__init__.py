"""The invoicing rules, free of AWS and of Lambda event shapes: it imports nothing of the package but
itself (pydantic, Babel and python-stdnum are its only libraries)."""
