"""Plain dataclasses for entity mentions (spans of a text) and linked entities (one per canonical id)."""

from __future__ import annotations

from dataclasses import dataclass, field

TYPES = ("PERSON", "ORG", "PLACE", "DATE", "OTHER")


@dataclass(slots=True)
class Mention:
    """A span `text[start:end]` naming an entity; `entity_id` is the canonical id ('' until linked)."""

    start: int
    end: int
    type: str
    text: str
    entity_id: str = ""

    def as_dict(self) -> dict[str, object]:
        return {"start": self.start, "end": self.end, "type": self.type, "text": self.text, "id": self.entity_id}


@dataclass(slots=True)
class Entity:
    """A linked entity: canonical id (`place:JP`, `person:fumio-kishida`), display name, aliases per language."""

    id: str
    type: str
    name: str
    aliases: dict[str, list[str]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return {"id": self.id, "type": self.type, "name": self.name, "aliases": self.aliases}
