"""Full-text search over the library: per-language analyzers, a Whoosh index, facets and snippets."""
