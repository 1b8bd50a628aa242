"""The ``mllifecycle`` command line.

Each subcommand lives in its package's private ``_cli`` module, which provides
``add_arguments(parser)`` and ``run(args) -> int``. Exit statuses follow one
rule across subcommands: 0 for success (no drift, gate passed), 1 for the
finding a CI job should stop on (drift, gate failed), 2 for bad input, printed
as one line on stderr with no traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
import warnings
from collections.abc import Sequence
from typing import Any

__all__ = ["main"]

# name -> (module, one-line help)
_COMMANDS: dict[str, tuple[str, str]] = {
    "drift": ("mllifecycle.drift._cli", "test whether current data drifted from a reference"),
    "gate": ("mllifecycle.gates._cli", "decide whether a challenger may replace the champion"),
    "demo": ("mllifecycle.replay._cli", "replay retraining policies on a built-in drifting stream"),
    "plan": ("mllifecycle.budget._cli", "plan labels, redundancy and cost from a learning curve"),
    "labels": ("mllifecycle.labels._cli", "label tools: aggregate crowd answers"),
    "registry": ("mllifecycle.store._cli", "list, show, promote and roll back registered models"),
}


def _build_parser() -> argparse.ArgumentParser:
    from mllifecycle import __version__

    parser = argparse.ArgumentParser(
        prog="mllifecycle",
        description="Keep supervised models fit for purpose after they ship.",
    )
    parser.add_argument("--version", action="version", version=f"mllifecycle {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module, help_text) in _COMMANDS.items():
        try:
            mod = importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name and module.startswith(exc.name):  # not built yet
                continue
            raise
        p = sub.add_parser(name, help=help_text, description=help_text)
        mod.add_arguments(p)
        p.set_defaults(_run=mod.run)
    return parser


class _QuietPipe:
    """Standard output that turns a closed pipe into silence, not an error.

    Piped into ``head`` (or a reader that stops early), a write raised
    BrokenPipeError, an OSError, and the command exited 2 ("bad input") in
    place of its finding (``labels aggregate`` exited 0, skipping its
    ``--min-gold-accuracy`` check). The rest of the output is dropped and the
    command returns its own status.
    """

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self._gone = False

    def _closed(self) -> None:
        self._gone = True
        # the flush at exit (of what is still buffered) goes nowhere too; a
        # stream that is not a file (tests) has no descriptor to redirect
        with contextlib.suppress(OSError, ValueError, AttributeError):
            fileno = self._stream.fileno()
            devnull = os.open(os.devnull, os.O_WRONLY)
            try:
                os.dup2(devnull, fileno)
            finally:
                os.close(devnull)

    def write(self, text: str) -> int:
        if not self._gone:
            try:
                try:
                    return int(self._stream.write(text))
                except UnicodeEncodeError:
                    # an output encoding without the text's characters (a
                    # Windows console's cp1252, PYTHONIOENCODING=ascii): a
                    # column named in Chinese turned drift found (exit 1) into
                    # "error: 'charmap' codec can't encode" (exit 2) and no
                    # report; written as Python writes stderr, with escapes
                    encoding = getattr(self._stream, "encoding", None) or "ascii"
                    safe = text.encode(encoding, "backslashreplace").decode(encoding)
                    self._stream.write(safe)
                    return len(text)
            except BrokenPipeError:
                self._closed()
        return len(text)

    def flush(self) -> None:
        if not self._gone:
            try:
                self._stream.flush()
            except BrokenPipeError:
                self._closed()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        0 success, 1 finding (drift, failed gate), 2 bad input.

    Examples
    --------
    >>> from mllifecycle.cli import main
    >>> main(["--version"])  # doctest: +SKIP
    mllifecycle 0.1.0
    """
    parser = _build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "_run", None) is None:
        parser.print_help()
        return 2
    stdout = sys.stdout
    sys.stdout = _QuietPipe(stdout)  # type: ignore[assignment]
    formatwarning = warnings.formatwarning
    warnings.formatwarning = _one_line_warning(args.command)
    try:
        return _run(args)
    finally:
        warnings.formatwarning = formatwarning
        sys.stdout.flush()
        sys.stdout = stdout


def _one_line_warning(command: str) -> Any:
    """Return a ``warnings.formatwarning`` printing one line that names the command.

    Python's format gave two lines per warning on stderr, the second a line
    of the library's source (``return fn(ref, cur, **kw)``), beside the
    command's one-line errors.
    """

    def format_warning(
        message: Warning | str,
        category: type[Warning],
        filename: str,
        lineno: int,
        line: str | None = None,
    ) -> str:
        text = " ".join(str(message).split())
        return f"mllifecycle {command}: warning: {text} ({category.__name__})\n"

    return format_warning


def _run(args: argparse.Namespace) -> int:
    """Run the chosen subcommand; turn an error into one line on stderr and exit 2."""
    from mllifecycle.exceptions import MLLifecycleError

    try:
        return int(args._run(args))
    except (MLLifecycleError, ValueError, TypeError, OSError, KeyError, ImportError) as exc:
        msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        print(f"mllifecycle {args.command}: error: {msg}", file=sys.stderr)
        return 2
    except Exception as exc:
        if os.environ.get("MLLIFECYCLE_DEBUG"):
            raise
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        print(
            f"mllifecycle {args.command}: error: unexpected {type(exc).__name__}: {first} "
            "(set MLLIFECYCLE_DEBUG=1 for the traceback)",
            file=sys.stderr,
        )
        return 2


def _entry() -> None:  # pragma: no cover - console script shim
    sys.exit(main())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
