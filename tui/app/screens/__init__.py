"""Screens of the Diglot UI."""
