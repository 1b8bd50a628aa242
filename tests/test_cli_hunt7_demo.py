"""``mllifecycle demo`` names its own options in refusals."""

from __future__ import annotations

import pytest

from mllifecycle.cli import main


@pytest.mark.parametrize("value", ["0", "-3"])
def test_a_bad_n_jobs_names_the_option(capsys, value):
    # was "The 'n_jobs' parameter of replay must be ...": a call the user never made
    assert main(["demo", "--n-jobs", value]) == 2
    err = capsys.readouterr().err
    assert "The '--n-jobs' parameter of mllifecycle demo must be" in err
    assert "of replay" not in err
