"""The library as the CLI and UI open it: paths, the store, and the search index folder together."""

from __future__ import annotations

from tui.library.store import Store
from tui.paths import Paths, current_paths


class Library:
    """One user's library. Cheap to open; heavy parts (index, models) load on first use elsewhere."""

    def __init__(self, paths: Paths | None = None) -> None:
        self.paths = (paths or current_paths()).ensure()
        self.store = Store(self.paths.db)

    @property
    def index_dir(self):  # noqa: ANN201 - Path
        return self.paths.index

    def close(self) -> None:
        self.store.close()
