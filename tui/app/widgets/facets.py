"""The facet panel: counts per language, source, year and entity; selecting one filters the list."""

from __future__ import annotations

from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.app.core import FACET_KEYS
from tui.app.textutil import one_line

FACET_WIDTH = 26  # the panel's inner width (diglot.tcss: #facets width 28)
TITLES = {"lang": "Language", "source": "Source", "year": "Year", "entity": "Entity"}


class FacetList(OptionList):
    """One option per (key, value); the active filters are marked."""

    class Toggled(Message):
        def __init__(self, key: str, value: str) -> None:
            super().__init__()
            self.key = key
            self.value = value

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self._keys: dict[str, tuple[str, str]] = {}

    def show(
        self, facets: dict[str, list[tuple[str, int]]], active: dict[str, str], labels: dict[str, str] | None = None
    ) -> None:
        labels = labels or {}
        highlighted = self.highlighted
        self.clear_options()
        self._keys = {}
        options: list[Option] = []
        for key in FACET_KEYS:
            values = list(facets.get(key) or [])
            chosen = active.get(key)
            if chosen and chosen not in [v for v, _ in values]:
                values.insert(0, (chosen, 0))
            if not values:
                continue
            options.append(Option(Text(TITLES[key], style="bold"), disabled=True))
            for value, count in values:
                option_id = f"{key}\x00{value}"
                self._keys[option_id] = (key, value)
                mark = "● " if chosen == value else "  "
                label = one_line(labels.get(value, value) if key == "entity" else value) or "—"
                suffix = f" {count}" if count else ""
                room = max(6, FACET_WIDTH - len(mark) - len(suffix))
                if len(label) > room:
                    label = label[: room - 1] + "…"
                text = Text(mark, style="bold", no_wrap=True, overflow="ellipsis")
                text.append(label)
                text.append(suffix, style="dim")
                options.append(Option(text, id=option_id))
        self.add_options(options)
        if highlighted is not None and highlighted < self.option_count:
            self.highlighted = highlighted

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        key = self._keys.get(event.option.id or "")
        if key is not None:
            self.post_message(self.Toggled(*key))
