"""``--seed``, read the same way by every subcommand that takes one.

A negative seed reached the library and was refused under the name of the
internal argument it became (``The 'rng' parameter of GateContext must be
...``), naming neither ``--seed`` nor the command; it is now a usage error of
the option itself, as ``--seed 1.5`` already was (argparse's ``int``).
"""

from __future__ import annotations

import argparse

__all__ = ["seed"]


def seed(text: str) -> int:
    """Read ``--seed``: a non-negative integer (NumPy's seeds are).

    Examples
    --------
    >>> from mllifecycle._cli_seed import seed
    >>> seed("42")
    42
    >>> seed("-1")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: must be a non-negative integer (a random seed); got '-1'
    """
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(
            f"must be a non-negative integer (a random seed); got {text!r}"
        )
    return value
