"""Widgets of the Diglot UI."""
