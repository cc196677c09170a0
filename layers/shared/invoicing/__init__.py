"""Legal, numbered invoices, in layers: the domain (the rules), the services (the use cases, behind
their ports), the adapters that implement those ports (AWS, rendering, remote files, shops), the API,
and the composition root that joins them. import-linter checks the layers in `make test`."""
