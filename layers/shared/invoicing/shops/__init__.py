"""The shops at the edge (an anti-corruption layer): each provider's signatures and webhook payloads,
read into the domain's orders and refunds. It may import the domain, never the services or adapters."""
