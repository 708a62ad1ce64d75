"""The Diglot Textual app: library, reader, import, models, help; `run_app()` is what `diglot` launches."""

from __future__ import annotations

import gc
from collections.abc import Iterable

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from tui.app import core
from tui.app.commands import DiglotCommands
from tui.app.config import UIConfig, load_config
from tui.app.textutil import one_line
from tui.app.widgets.jobbar import cancel_all_jobs
from tui.errors import DiglotError
from tui.library.library import Library
from tui.paths import Paths, current_paths


class DiglotApp(App[int]):
    """Opens on the library; every long operation runs in a worker so the UI never blocks."""

    CSS_PATH = "diglot.tcss"
    TITLE = "Diglot"
    COMMANDS = App.COMMANDS | {DiglotCommands}
    NOTIFICATION_TIMEOUT = 6

    BINDINGS = [
        Binding("q", "quit", "Quit", tooltip="Quit Diglot", id="app.quit"),
        Binding("question_mark,f1", "help", "Help", tooltip="Keys and what the screens do", id="app.help"),
        Binding("i", "import_articles", "Import", tooltip="Import files, folders or feeds", id="app.import"),
        Binding("m", "models", "Models", tooltip="Translation language packages", id="app.models"),
        Binding("ctrl+t", "next_theme", "Theme", show=False, tooltip="Next colour theme", id="app.theme"),
    ]

    def __init__(self, library_paths: Paths | None = None, *, analyse_on_open: bool = True,
                 show_timings: bool = True) -> None:
        super().__init__()
        self.library_paths = library_paths
        # Names are found once per article; new articles are analysed in the background after opening.
        self.analyse_on_open = analyse_on_open
        # Search times ("12 ms") in status lines; snapshot tests turn them off so screens are reproducible.
        self.show_timings = show_timings
        self.library: Library | None = None
        self.search_session: core.SearchSession | None = None
        self.ui_config = UIConfig()

    @property
    def paths(self) -> Paths:
        return self.library_paths or current_paths()

    def get_default_screen(self) -> Screen:
        from tui.app.screens.library import LibraryScreen

        screen = LibraryScreen()
        if self.library is None:
            # The store and its first page are read while Textual parses the CSS and builds the screen.
            screen.start_opening(self.library_paths)
        return screen

    def on_mount(self) -> None:
        try:
            self.ui_config = load_config(self.paths.config_file)
        except DiglotError as err:
            self.show_error(err)
        if self.ui_config.keys:
            self.set_keymap(self.ui_config.keys)
        if self.ui_config.theme:
            if self.ui_config.theme in self.available_themes:
                self.theme = self.ui_config.theme
            else:
                self.notify(f"Unknown theme {self.ui_config.theme!r} in the settings file.", severity="warning")
        self.freeze_long_lived()

    def freeze_long_lived(self) -> None:
        """Keep what exists now out of the collector's full passes: called when what was built lives as long as
        the app (at mount: every import; once the library is prepared: the search index, its searcher, the word
        lists). A full pass costs 60-300 ms when a screen's first import triggers one; in 21 reader opens of
        `bench_ui.py --parts reader` the ~10 full passes took 30-50 ms each with only the first freeze and 10-26 ms
        with the second. Objects frozen here are not collected if they later become cyclic garbage: call it only
        at those points, never while a screen that will be closed is open."""
        gc.freeze()

    def on_unmount(self) -> None:
        cancel_all_jobs()
        if self.search_session is not None:
            self.search_session.close()
        if self.library is not None:
            self.library.close()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Import belongs to the library screen; hiding it elsewhere keeps the footer within 80 columns.
        if action == "import_articles":
            from tui.app.screens.library import LibraryScreen

            return isinstance(self.screen, LibraryScreen)
        return True

    # -- shared state ----------------------------------------------------------------------------------
    def set_library(self, library: Library) -> None:
        self.library = library
        self.search_session = core.SearchSession(library)

    def show_error(self, err: BaseException) -> None:
        """Errors from the core appear as notifications: one line, never a traceback."""
        # Messages can quote file names or article text: control characters made visible, no markup.
        if isinstance(err, DiglotError):
            self.notify(one_line(str(err)), title="Diglot", severity="error", markup=False)
        else:
            self.notify(one_line(f"Unexpected error: {type(err).__name__}: {err} (details in {self._log_path()})"),
                        title="Diglot", severity="error", markup=False)

    def _log_path(self):  # noqa: ANN202 - Path
        return self.paths.cache / "diglot-ui.log"

    def log_exception(self, err: BaseException) -> None:
        """Keep the traceback of an unexpected error in a log file, for bug reports."""
        import traceback  # only on an error: not part of every start
        from datetime import datetime

        try:
            path = self._log_path()
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("a", encoding="utf-8") as handle:
                handle.write(f"--- {datetime.now().isoformat()}\n")
                handle.write("".join(traceback.format_exception(err)))
        except OSError:
            pass

    # -- navigation ------------------------------------------------------------------------------------
    def open_article(self, article_id: str, *, query: str = "") -> None:
        from tui.app.screens.reader import ReaderScreen

        self.push_screen(ReaderScreen(article_id, query=query))

    def action_help(self) -> None:
        from tui.app.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_import_articles(self) -> None:
        from tui.app.screens.importer import ImportScreen

        if self.library is None:
            self.notify("The library is still opening.", severity="warning")
            return
        if not isinstance(self.screen, ImportScreen):
            self.push_screen(ImportScreen())

    def action_models(self) -> None:
        from tui.app.screens.models import ModelsScreen

        if not isinstance(self.screen, ModelsScreen):
            self.push_screen(ModelsScreen())

    def action_next_theme(self) -> None:
        names = sorted(self.available_themes)
        self.theme = names[(names.index(self.theme) + 1) % len(names)] if self.theme in names else names[0]
        self.notify(f"Theme: {self.theme}")

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Help", "Keys and what the screens do", self.action_help)
        yield SystemCommand("Import articles", "Import files, folders or feeds", self.action_import_articles)
        yield SystemCommand("Translation models", "Language packages installed for translation", self.action_models)


def run_app(library_paths: Paths | None = None) -> int:
    """Run the reader; returns the exit code for `diglot`."""
    app = DiglotApp(library_paths)
    result = app.run()
    return int(result or 0) if app.return_code in (None, 0) else int(app.return_code or 1)
