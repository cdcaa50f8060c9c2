"""The `cleaner` command line: `arguments` declares the commands and their options, `commands` runs them."""

from .arguments import main

__all__ = ["main"]
