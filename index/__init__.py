"""Structured documents become searchable: the SQLite store (and, later, dense and lexical indexes)."""
