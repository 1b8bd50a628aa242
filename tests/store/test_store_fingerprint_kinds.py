"""Lists of mixed kinds fingerprint as the values they hold; ambiguous ``data`` is refused.

``np.asarray`` merges the kinds of a list: ``[True, 1]`` became the ints
``[1, 1]`` (the fingerprint of ``[1, 1]``), ``[1, "a"]`` the strings
``["1", "a"]`` and ``[2**53 + 1, 0.5]`` the floats ``[2**53, 0.5]``: two
different training sets got one fingerprint. ``register(data=[x, y])`` read
one feature and its labels as a table of two rows.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.dummy import DummyClassifier

from mllifecycle.exceptions import InvalidParameterError
from mllifecycle.store import Registry, Store, fingerprint

pd = pytest.importorskip("pandas")


def _cases():
    a = np.arange(12.0).reshape(4, 3)
    return {
        "float_2d": (a, None),
        "float_2d_y": (a, np.array([0, 1, 0, 1])),
        "int_list_rows": ([[1, 2], [3, 4], [5, 6]], [0, 1, 1]),
        "float_list": ([0.5, 1.5, 2.5], None),
        "int_float_list": ([1, 2.5, 3], [1.0, 0, 1]),
        "bool_list": ([True, False, True], [False, True, False]),
        "str_list": (["a", "b", "c"], ["x", "y", "x"]),
        "tuple_rows": (((1.0, 2.0), (3.0, 4.0)), (0, 1)),
        "frame": (pd.DataFrame({"a": [1, 2, 3], "b": [0.5, 1.5, 2.5], "c": ["x", "y", "z"]}),
                  pd.Series([0, 1, 0])),
        "frame_obj_mixed": (pd.DataFrame({"c": ["a", 1, None]}), None),
        "int8": (np.arange(6, dtype=np.int8).reshape(3, 2), np.array([True, False, True])),
        "float32_F": (np.asfortranarray(np.arange(6, dtype=np.float32).reshape(3, 2)), None),
        "datetime": (np.array(["2020-01-01", "2021-02-03"], dtype="datetime64[D]"), None),
        "list_of_arrays": ([np.array([1.0, 2.0]), np.array([3.0, 4.0])], None),
        "none_in_list": ([1, None, 3], None),
        "nan_list": ([1.0, float("nan")], [0, 1]),
        "np_scalars": ([np.int64(1), np.int64(2)], [np.float32(0.5), np.float32(1.5)]),
    }


# computed by the release before this change: stored fingerprints stay valid
RECORDED = {
    "float_2d": ("8ac04fd8b72d755e1d36d0ad811e42fd6b0979289bc3a4f03f4de696b669644d", None),
    "float_2d_y": ("f0624fb2cf21a02afbd0ff4c1c522e6d67b2641e58f04c42950607c20a7ea9b8",
                   "570e57820a024bf539254b3ce4030414d6eba4120c58b72298721011abe0ec7c"),
    "int_list_rows": ("43b9795ef16df686f087a743a713b790fa3976df40328f5ce9434f5be785e0db",
                      "484eef765f7ec3451c42675d055507a4ca7cc7be30ec8d7f98eff7a5781b0de7"),
    "float_list": ("6360df410d89fae431535b282456d161c609f5b5609d7e76eaa55b74725c27be", None),
    "int_float_list": ("8adcda57bd6a8800b9450027ceac44721fed49f4e5cdc990859c407cde5d8b0c",
                       "91d5f14463403a0fdeebd9e265fbd4445fba7042027102f4611f0c7683e4cbc6"),
    "bool_list": ("9aab9acafc4b5fb87d7b173390e75d945d4adf210bfa50acbbc4cb8d8138956a",
                  "5eabd7a1bc348c1159dfcb59f4989bee49b18cd5cec0bdbd7aa5daeae649ce96"),
    "str_list": ("cb5f88e40a0d816acca0ab96ed2f973f6d4b1ff5386d2fd1d409db6aa831447b",
                 "dcac66542865f8f4f0d9ba7e0da55dcdeaf06980cadf23bd410b09c7fa01b050"),
    "tuple_rows": ("243f5f54cdfaca0b38b1bd7baea3305490f3ce4bae72f2480946389226578746",
                   "0804f60f533ce188eb86466788a755af06fa00ed4ac9e6c4bf132c8e6e45b941"),
    "frame": ("1c129944bfbcb0fa73bdf97e7a6a876b3dcf79288017138e477e772476ab6ea4",
              "650bf52051e1e6d66c9d87e9d6678853081f19b38aa967a65a0039a3b7666bc1"),
    "frame_obj_mixed": ("3b8002bbb157adceda7a9935cbd79a8e5368940e9ddbbb1cc5800adb6db01d9d",
                        None),
    "int8": ("808634dfe8302b718d6685f8d9b56ca72b95a8e9cccf593b01e0f0723b3dd5ec",
             "c8825efbd67556e007013581ca97c6789ab0a9b3239ddffb0d7d9685339e2661"),
    "float32_F": ("8a3e83ad7b194dd1b97eb08c31d974bf517d485366f69b6a66b30a9d3679a594", None),
    "datetime": ("8b029316a83879c2fc501147d985534884428e1c6e40852263ab6d08772dc2a6", None),
    "list_of_arrays": ("3be5dc144d4c089942eb70e7102576078d559de2e785602a8eafead61d061272",
                       None),
    "none_in_list": ("011035dff21bb88f400addf35b42f321eaffb8fb9d7c4c36c571b7eb92cda7a3", None),
    "nan_list": ("1ad7c78101eccdcd13a83bc2843266215dd873c950003ac99261d5975323508a",
                 "0804f60f533ce188eb86466788a755af06fa00ed4ac9e6c4bf132c8e6e45b941"),
    "np_scalars": ("39ca9ee41b07d5d0fdb8e5b2e834d1fff6dfa8b3e082db9070958c7b6625de03",
                   "fab243ffb7418ddd5592bd651f2a3fb4e328fec28ec709f515afdb54717f8b72"),
}


@pytest.mark.parametrize("case", sorted(RECORDED))
def test_fingerprints_of_ordinary_inputs_are_unchanged(case):
    X, y = _cases()[case]
    fp = fingerprint(X, y)
    assert (fp.sha256, fp.y_sha256) == RECORDED[case]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ([True, 1], [1, 1]),
        ([True, 0, 1], [1, 0, 1]),
        ([np.True_, 1], [1, 1]),
        ([1, "a" * 21], ["1", "a" * 21]),  # both '<U21' once merged
        ([[1, "a"], [2, "b"]], [["1", "a"], ["2", "b"]]),
        ([2**53 + 1, 0.5], [2**53, 0.5]),
        ([np.array([True, False]), np.array([1, 0])], [[1, 0], [1, 0]]),
        ((True, 2.5), (1.0, 2.5)),
    ],
    ids=["bool+int", "bool+int-3", "np.bool+int", "int+text", "rows-int+text",
         "int-beyond-2**53+float", "bool-row+int-row", "tuple-bool+float"],
)
def test_lists_of_mixed_kinds_are_told_apart(a, b):
    assert fingerprint(a).sha256 != fingerprint(b).sha256
    X = np.zeros((len(a), 1))
    if np.ndim(b) == 1:
        assert fingerprint(X, a).y_sha256 != fingerprint(X, b).y_sha256


def test_mixed_kinds_keep_their_shape_and_equal_data_hashes_alike():
    fp = fingerprint([[1, "a"], [2, "b"], [3, "c"]], [True, 0, 1])
    assert (fp.n_samples, fp.n_features, fp.dtypes) == (3, 2, ("object", "object"))
    assert fp == fingerprint([(1, "a"), (2, "b"), (3, "c")], (True, 0, 1))
    assert fp == fingerprint([[np.int64(1), "a"], [2, "b"], [3, "c"]], [np.True_, 0, 1])


def test_ragged_labels_are_a_clear_error():
    with pytest.raises(InvalidParameterError,
                       match=r"'y' parameter of fingerprint must be a 1-D array of 2 labels\. "
                             r"Got rows of different lengths instead"):
        fingerprint(np.zeros((2, 1)), [[1], [2, 3]])


FIT = DummyClassifier().fit([[0], [1]], [0, 1])


@pytest.mark.parametrize(
    "data",
    [
        [np.arange(5.0), np.array([0, 1, 0, 1, 1])],
        [pd.Series(np.arange(5.0), name="x"), pd.Series([0, 1, 0, 1, 1], name="y")],
    ],
    ids=["arrays", "series"],
)
def test_register_refuses_a_list_of_a_feature_and_its_labels(tmp_path, data):
    # read as a table of 2 rows and 5 features: n_samples 2, n_labels None
    reg = Registry(Store(str(tmp_path / "r.db")))
    with pytest.raises(InvalidParameterError,
                       match=r"'data' parameter of register must be X, or a tuple \(X, y\) .*"
                             r"ambiguous.*Got a list of two 1-D arrays of 5 values instead"):
        reg.register("m", FIT, data=data)
    assert reg.names() == []
    v = reg.register("m", FIT, data=tuple(data))
    assert (v.data.n_samples, v.data.n_features, v.n_labels) == (5, 1, 5)


def test_register_still_takes_a_table_given_as_a_list_of_rows(tmp_path):
    reg = Registry(Store(str(tmp_path / "r.db")))
    rows = [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]
    v = reg.register("m", FIT, data=rows)
    assert v.data == fingerprint(np.array(rows))
    v = reg.register("m", FIT, data=[np.zeros(3), np.ones(2)][:1])
    assert v.data.n_samples == 1
