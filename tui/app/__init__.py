"""The terminal UI (Textual): the only part of Diglot that imports textual."""
