"""The whole API on 127.0.0.1 without Docker: template routes, real handlers, moto behind a lock."""
