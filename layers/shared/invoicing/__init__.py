"""Legal, numbered invoices: domain, services and AWS adapters shared by every function."""
