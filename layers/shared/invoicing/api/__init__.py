"""HTTP: routers grouped by function, the resolver they share, the contract's bodies and errors. It
imports the use cases, the domain and the composition root for their dependencies."""
