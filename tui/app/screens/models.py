"""Translation language packages: what is installed, install one from a file, remove one."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from tui.app import core
from tui.app.screens.base import BackgroundMixin
from tui.app.textutil import one_line

if TYPE_CHECKING:
    from tui.app.app import DiglotApp


def _size(value: int) -> str:
    if not value:
        return ""
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024:
            return f"{value:.0f} {unit}"
        value /= 1024
    return f"{value:.1f} TB"


class ModelsScreen(BackgroundMixin, Screen):
    """Installs run in a worker; the list reloads afterwards."""

    BINDINGS = [
        Binding("escape", "back", "Back", id="models.back"),
        Binding("a", "focus_install", "Install from file", tooltip="Install a .argosmodel file",
                id="models.install"),
        Binding("delete,x", "remove", "Remove", tooltip="Remove the selected package", id="models.remove"),
    ]

    app: DiglotApp

    def __init__(self) -> None:
        super().__init__()
        self.packages: list[Any] = []

    def compose(self) -> ComposeResult:
        yield Static(Text("Translation packages", style="bold"), id="panel-title")
        yield DataTable(id="packages", cursor_type="row", zebra_stripes=True)
        yield Input(placeholder="Path to a .argosmodel file, enter to install", id="install-path")
        yield Static("", id="panel-status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("from", "to", "name", "version", "size")
        self.query_one("#install-path", Input).display = False
        table.focus()
        self.reload()

    def reload(self) -> None:
        paths = self.app.paths
        self.query_one("#panel-status", Static).update(Text("Loading…"))
        self.background(lambda: core.list_packages(paths), self._show, group="packages", exclusive=True)

    def _show(self, packages: list[Any]) -> None:
        self.packages = [p for p in packages if getattr(p, "installed", True)]
        table = self.query_one(DataTable)
        table.clear()
        for pkg in self.packages:
            cells = (pkg.from_code, pkg.to_code, pkg.name, pkg.version, _size(getattr(pkg, "size", 0)))
            table.add_row(*(Text(one_line(str(cell))) for cell in cells))
        if self.packages:
            status = f"{len(self.packages)} installed. Translations between other languages pivot through English."
        else:
            status = ("No language packages installed. Press a to install a .argosmodel file, or run "
                      "`diglot models install FILE.argosmodel`.")
        self.query_one("#panel-status", Static).update(Text(status))

    def action_focus_install(self) -> None:
        field = self.query_one("#install-path", Input)
        field.display = True
        field.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        path = event.value.strip()
        if not path:
            return
        paths = self.app.paths
        self.query_one("#panel-status", Static).update(Text(one_line(f"Installing {path}…")))

        def installed(info: Any) -> None:
            self.notify(f"Installed {info.from_code} → {info.to_code}.")
            event.input.value = ""
            event.input.display = False
            self.reload()

        self.background(lambda: core.install_package(path, paths), installed, group="install", exclusive=True)

    def action_remove(self) -> None:
        table = self.query_one(DataTable)
        if not self.packages or table.cursor_row is None or table.cursor_row >= len(self.packages):
            return
        pkg = self.packages[table.cursor_row]
        paths = self.app.paths

        def removed(_: Any) -> None:
            self.notify(f"Removed {pkg.from_code} → {pkg.to_code}.")
            self.reload()

        self.background(lambda: core.remove_package(pkg.from_code, pkg.to_code, paths), removed, group="install")

    def action_back(self) -> None:
        field = self.query_one("#install-path", Input)
        if field.has_focus:
            field.display = False
            self.query_one(DataTable).focus()
            return
        self.dismiss()
