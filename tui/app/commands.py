"""Command palette provider: every action bound on the current screen, by its description."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider


class DiglotCommands(Provider):
    """Lists the active bindings (with the keys the user configured) so every action is one search away."""

    def _commands(self) -> Iterator[tuple[str, str, Callable[[], object]]]:
        seen: set[tuple[int, str]] = set()
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if binding.system or not binding.description or not active.enabled:
                continue
            marker = (id(active.node), binding.action)
            if marker in seen:
                continue
            seen.add(marker)
            key = self.app.get_key_display(binding)
            help_text = f"{binding.tooltip} · key {key}" if binding.tooltip else f"key {key}"
            yield binding.description, help_text, partial(active.node.run_action, binding.action)

    async def discover(self) -> Hits:
        for label, help_text, callback in self._commands():
            yield DiscoveryHit(label, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, help_text, callback in self._commands():
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, matcher.highlight(label), callback, help=help_text)
