"""``--seed``: every subcommand that takes one reads it alike and names it."""

from __future__ import annotations

import pytest

from mllifecycle.cli import _build_parser, main

# the arguments each subcommand needs besides --seed (files are never read:
# the seed is refused while the command line is parsed)
_COMMANDS = {
    "drift": ["drift", "ref.csv", "cur.csv"],
    "gate": ["gate", "--y-true", "y.csv", "--challenger", "b.csv"],
    "plan": ["plan", "curve.csv", "--target", "0.9"],
    "labels aggregate": ["labels", "aggregate", "answers.csv"],
    "demo": ["demo"],
    "registry promote": ["registry", "promote", "m", "2", "--store", "r.db",
                         "--y-true", "y.csv", "--challenger", "b.csv"],
}


@pytest.mark.parametrize("seed", ["-1", "-2147483648", "1.5", "True", "abc"])
@pytest.mark.parametrize("command", list(_COMMANDS))
def test_bad_seed_is_a_usage_error_naming_seed(command, seed, capsys):
    # --seed -1 reached the library and was refused as "The 'rng' parameter of
    # GateContext" (fit_curve, dawid_skene, sea_stream, detect): an internal
    # name, not the option the user typed
    with pytest.raises(SystemExit) as stop:
        main([*_COMMANDS[command], f"--seed={seed}"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert f"mllifecycle {command}: error: argument --seed:" in err
    assert "rng" not in err
    if seed.startswith("-"):
        assert f"must be a non-negative integer (a random seed); got {seed!r}" in err


@pytest.mark.parametrize("command", list(_COMMANDS))
def test_negative_seed_after_a_space_is_read_as_the_seed(command, capsys):
    with pytest.raises(SystemExit):
        main([*_COMMANDS[command], "--seed", "-1"])
    assert "argument --seed: must be a non-negative integer" in capsys.readouterr().err


@pytest.mark.parametrize("seed", ["0", "7", "123456789012345678901234567890"])
@pytest.mark.parametrize("command", list(_COMMANDS))
def test_good_seed_is_read_as_an_int(command, seed):
    args = _build_parser().parse_args([*_COMMANDS[command], "--seed", seed])
    assert args.seed == int(seed)
    assert type(args.seed) is int
    assert _build_parser().parse_args(_COMMANDS[command]).seed == 0
