"""The `diglot` command: argument parsing only; every command calls the core directly."""
