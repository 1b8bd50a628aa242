"""Every ```python block of every docs page and of the README runs (blocks of a page
share a namespace), and what it prints is what the page shows.

A block that prints must be followed by a ```text block holding its output,
compared as doctest compares (whitespace normalised, ``...`` matches anything).
`MLLIFECYCLE_UPDATE_DOCS=1 python -m pytest tests/test_docs.py` rewrites the
```text blocks from a run (check the diff before committing it)."""

from __future__ import annotations

import contextlib
import doctest
import io
import os
import re
import warnings
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parent.parent / "docs"
PAGES = [*sorted(DOCS.glob("*.md")), DOCS.parent / "README.md"]
# a python block, optionally followed (after blank lines) by a text block
BLOCK = re.compile(r"^```python\n(.*?)^```\n(?:\s*^```text\n(.*?)^```\n)?", re.S | re.M)
# every printing block must show its output (switched on once all pages do)
REQUIRE_OUTPUT = True
_CHECKER = doctest.OutputChecker()
_FLAGS = doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS


def _matches(expected: str, got: str) -> bool:
    return _CHECKER.check_output(expected, got, _FLAGS)


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_docs_examples_run(page, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = page.read_text()
    blocks = list(BLOCK.finditer(text))
    assert blocks, f"{page.name} has no runnable ```python example"
    namespace: dict[str, object] = {"__name__": f"docs_{page.stem}"}
    update = os.environ.get("MLLIFECYCLE_UPDATE_DOCS") == "1"
    new_text, last = [], 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for i, match in enumerate(blocks):
            code, expected = match.group(1), match.group(2)
            out = io.StringIO()
            try:
                with contextlib.redirect_stdout(out):
                    exec(compile(code, f"{page.name}[block {i}]", "exec"), namespace)
            except Exception as exc:  # pragma: no cover - shown on failure
                raise AssertionError(f"{page.name} block {i} failed: {exc!r}\n{code}") from exc
            got = out.getvalue()
            if update:
                keep = expected is not None and _matches(expected, got)
                shown = expected if keep else got
                new_text.append(text[last : match.start()])
                block = f"```python\n{code}```\n"
                if shown:
                    block += f"\n```text\n{shown}{'' if shown.endswith(chr(10)) else chr(10)}```\n"
                new_text.append(block)
                last = match.end()
                continue
            if REQUIRE_OUTPUT and got and expected is None:
                raise AssertionError(
                    f"{page.name} block {i} prints output but the page shows none "
                    f"(add a ```text block after it):\n{got}"
                )
            if expected is not None and not _matches(expected, got):
                raise AssertionError(
                    f"{page.name} block {i} printed\n{got}\nbut the page shows\n{expected}"
                )
    if update:
        new_text.append(text[last:])
        page.write_text("".join(new_text))


def test_output_checker_can_fail():
    assert _matches("a ... c\n", "a b c\n")
    assert not _matches("a 1\n", "a 2\n")
