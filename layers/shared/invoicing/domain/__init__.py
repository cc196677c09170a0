"""The invoicing rules, free of AWS and of Lambda event shapes."""
