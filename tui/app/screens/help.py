"""Help: what each screen does and its keys, as configured (keymap overrides included)."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

INTRO = (
    "Diglot keeps your foreign-language news in one library. Search in any language; open an article to read "
    "it as the original (o), the translation (t) or both side by side (s), one sentence per row. Names are "
    "coloured by type; e lists them and the stories that name them; r finds related stories. Translation runs "
    "offline with installed language packages (m). Key overrides: [keys] in the settings file, e.g. "
    'reader.side = "b".'
)


def _sections() -> list[tuple[str, list]]:
    from tui.app.app import DiglotApp
    from tui.app.screens.entities import EntityScreen
    from tui.app.screens.importer import ImportScreen
    from tui.app.screens.library import LibraryScreen
    from tui.app.screens.models import ModelsScreen
    from tui.app.screens.reader import ReaderScreen
    from tui.app.widgets.aligned import AlignedView
    from tui.app.widgets.article_list import ArticleList

    return [
        ("Everywhere", list(DiglotApp.BINDINGS) + [Binding("ctrl+p", "", "Command palette"),
                                                    Binding("ctrl+q", "", "Quit")]),
        ("Library", list(LibraryScreen.BINDINGS) + list(ArticleList.BINDINGS)),
        ("Reader", list(ReaderScreen.BINDINGS) + list(AlignedView.BINDINGS)),
        ("Entities", list(EntityScreen.BINDINGS)),
        ("Import", list(ImportScreen.BINDINGS)),
        ("Models", list(ModelsScreen.BINDINGS)),
    ]


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q,question_mark,f1", "close", "Close", id="help.close"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-dialog", classes="dialog"):
            yield Static(Text("Diglot help", style="bold"), classes="dialog-title")
            yield Static(Text(INTRO), id="help-intro")
            yield Static(self._keys_table(), id="help-keys")

    def _keys_table(self) -> Table:
        keymap = getattr(self.app, "_keymap", {}) or {}
        table = Table(box=None, show_header=False, padding=(0, 1), expand=True)
        table.add_column("key", style="bold", no_wrap=True)
        table.add_column("action")
        table.add_column("id", style="dim")
        for title, bindings in _sections():
            table.add_row(Text(title, style="bold underline"), "", "")
            for binding in bindings:
                if not binding.description:
                    continue
                keys = keymap.get(binding.id, binding.key) if binding.id else binding.key
                shown = ", ".join(self.app.get_key_display(Binding(k.strip(), "")) for k in keys.split(","))
                table.add_row(Text(shown), Text(binding.description), Text(binding.id or ""))
        return table

    def action_close(self) -> None:
        self.dismiss()
