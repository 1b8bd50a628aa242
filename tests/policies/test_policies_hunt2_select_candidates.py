"""select names ``candidates`` when refusing a candidate, not replay's ``policies``.

A non-str name or a candidate that is no policy was refused by replay as
"The 'policies' parameter of replay ...": select's argument is
``candidates`` (and select refuses a ``policies=`` keyword), and with
``n_jobs`` the error came from a worker.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.policies import Periodic, select

rng = np.random.default_rng(0)
X = rng.normal(size=(300, 2))
y = (X[:, 0] > 0).astype(int)


@pytest.mark.parametrize(
    ("candidates", "match"),
    [
        ({1: Periodic(every=50)}, "'candidates' parameter of select must be a mapping with "
                                  "str keys"),
        ({"a": Periodic(every=50), "b": 5}, "'candidates\\[b\\]' parameter of select must be "
                                            "a RetrainPolicy"),
        ({"a": Periodic}, "'candidates\\[a\\]' parameter of select must be a RetrainPolicy "
                          "instance"),
    ],
)
@pytest.mark.parametrize("n_jobs", [None, 2])
def test_bad_candidates_are_named_as_candidates(candidates, match, n_jobs):
    with pytest.raises(InvalidParameterError, match=match):
        select(X, y, LogisticRegression(), candidates, n_jobs=n_jobs,
               initial_train_size=100, batch_size=50)


def test_functions_and_policies_still_selected():
    choice = select(X, y, LogisticRegression(),
                    {"never": lambda state: False, "p": Periodic(every=50)},
                    initial_train_size=100, batch_size=50)
    assert choice.best == "never"
