"""Articles in and out: the data model, the SQLite store, importers and cleanup."""
