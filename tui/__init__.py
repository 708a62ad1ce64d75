"""Diglot: read foreign-language news in a terminal, original and translation side by side."""

__version__ = "0.1.0"
