"""``python -m mllifecycle``: the same command line as the ``mllifecycle`` script."""

from __future__ import annotations

from mllifecycle.cli import _entry

if __name__ == "__main__":
    _entry()
