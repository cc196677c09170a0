"""One router per group of routes; each function's resolver includes only what it serves."""
