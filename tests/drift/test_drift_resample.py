"""n_jobs and progress= on the permutation tests (issues 13 and 19).

The permutations are drawn in chunks with their own streams (SeedSequence
children), so a given ``rng`` gives the same result for any ``n_jobs`` and
joblib backend; ``progress`` sees every resample once.
"""

from __future__ import annotations

import joblib
import numpy as np
import pytest

from mllifecycle import drift
from mllifecycle._resample import CHUNK, chunk_seeds, chunk_sizes, map_chunks
from mllifecycle.exceptions import InvalidParameterError

_g = np.random.default_rng(3)
X1, Y1 = _g.normal(size=60), _g.normal(0.3, 1.0, size=50)
X2, Y2 = _g.normal(size=(40, 3)), _g.normal(0.3, 1.0, size=(35, 3))
# few counts per category: chi_square falls back to its permutation p-value
C1 = np.array(list("aabbbccd") * 3)
C2 = np.array(list("abbcccdde") * 2)

# (test, reference, current, extra keywords)
CASES = [
    # ties: anderson_darling takes its permutation p-value
    (drift.anderson_darling, np.round(X1, 1), np.round(Y1, 1), {}),
    (drift.cramer_von_mises, X1, Y1, {}),
    (drift.wasserstein, X1, Y1, {}),
    (drift.psi, X1, Y1, {}),
    (drift.jensen_shannon, X1, Y1, {}),
    (drift.hellinger, X1, Y1, {}),
    (drift.chi_square, C1, C2, {}),
    (drift.energy, X1, Y1, {}),
    (drift.energy, X2, Y2, {}),
    (drift.mmd, X2, Y2, {}),
]
IDS = [
    "anderson_darling",
    "cvm",
    "wasserstein",
    "psi",
    "jensen_shannon",
    "hellinger",
    "chi_square",
    "energy_1d",
    "energy_2d",
    "mmd",
]
N_RES = 600  # three chunks: 256 + 256 + 88


def assert_same_result(a, b):
    assert a.statistic == b.statistic
    assert a.p_value == b.p_value
    assert a.drift_detected == b.drift_detected


@pytest.mark.parametrize(("fn", "ref", "cur", "kw"), CASES, ids=IDS)
def test_n_jobs_does_not_change_the_result(fn, ref, cur, kw):
    base = fn(ref, cur, n_resamples=N_RES, rng=7, **kw)
    assert base.details["p_value_method"] != "asymptotic"
    assert_same_result(base, fn(ref, cur, n_resamples=N_RES, rng=7, n_jobs=1, **kw))
    with joblib.parallel_backend("threading"):
        assert_same_result(base, fn(ref, cur, n_resamples=N_RES, rng=7, n_jobs=2, **kw))
    # a Generator gives the same as its seed
    gen = np.random.default_rng(7)
    assert_same_result(base, fn(ref, cur, n_resamples=N_RES, rng=gen, n_jobs=-1, **kw))


@pytest.mark.parametrize(
    ("fn", "ref", "cur"),
    [(drift.cramer_von_mises, X1, Y1), (drift.mmd, X2, Y2)],
    ids=["cvm", "mmd"],
)
def test_n_jobs_loky_processes_give_the_same_result(fn, ref, cur):
    base = fn(ref, cur, n_resamples=N_RES, rng=11)
    with joblib.parallel_backend("loky"):
        assert_same_result(base, fn(ref, cur, n_resamples=N_RES, rng=11, n_jobs=2))


@pytest.mark.parametrize(("fn", "ref", "cur", "kw"), CASES, ids=IDS)
def test_progress_callback_reaches_the_total(fn, ref, cur, kw):
    seen: list[tuple[int, int]] = []
    res = fn(ref, cur, n_resamples=N_RES, rng=1, progress=lambda d, t: seen.append((d, t)), **kw)
    assert seen, "the callback was never called"
    dones = [d for d, _ in seen]
    totals = {t for _, t in seen}
    assert len(totals) == 1
    total = totals.pop()
    assert dones == sorted(dones)
    assert dones[-1] == total
    if fn is drift.mmd or (fn is drift.energy and np.ndim(ref) == 2):
        assert total >= 1  # one step per strip of the kernel matrix
    else:
        assert total == N_RES
        assert dones == [256, 512, 600]
    # the callback does not change the answer
    assert_same_result(res, fn(ref, cur, n_resamples=N_RES, rng=1, **kw))


@pytest.mark.parametrize(("fn", "ref", "cur", "kw"), CASES, ids=IDS)
@pytest.mark.parametrize(
    ("arg", "value", "match"),
    [
        ("n_jobs", 0, r"'n_jobs' parameter of \w+ must be None or a non-zero int"),
        ("n_jobs", 1.5, r"'n_jobs' parameter of \w+ must be None or a non-zero int"),
        ("n_jobs", True, r"'n_jobs' parameter of \w+ must be None or a non-zero int"),
        ("progress", "yes", r"'progress' parameter of \w+ must be True, False or a callable"),
    ],
)
def test_bad_n_jobs_and_progress(fn, ref, cur, kw, arg, value, match):
    with pytest.raises(InvalidParameterError, match=match):
        fn(ref, cur, n_resamples=20, rng=0, **{arg: value}, **kw)


def test_chunks_depend_on_n_resamples_only():
    assert chunk_sizes(1) == [1]
    assert chunk_sizes(CHUNK) == [CHUNK]
    assert chunk_sizes(2 * CHUNK + 3) == [CHUNK, CHUNK, 3]
    assert sum(chunk_sizes(9999)) == 9999


def test_chunk_streams_are_independent_children_of_one_seed_sequence():
    a = chunk_seeds(np.random.default_rng(5), 3)
    entropy = np.random.default_rng(5).integers(0, 2**63, size=4, dtype=np.int64)
    ref = np.random.SeedSequence([int(e) for e in entropy]).spawn(3)
    for s, r in zip(a, ref, strict=True):
        assert np.array_equal(s.generate_state(4), r.generate_state(4))
    draws = [np.random.default_rng(s).random(4) for s in a]
    assert not np.array_equal(draws[0], draws[1])


def test_map_chunks_threading_equals_serial():
    def fn(size, gen):
        return gen.standard_normal(size)

    serial = np.concatenate(map_chunks(fn, 700, np.random.default_rng(2)))
    with joblib.parallel_backend("threading"):
        par = np.concatenate(map_chunks(fn, 700, np.random.default_rng(2), n_jobs=2))
    assert serial.shape == (700,)
    assert np.array_equal(serial, par)


@pytest.mark.parametrize("threads", [1, 2, 3, 7])
def test_threaded_chunks_give_the_same_draws(threads):
    # map_chunks(threads=...) draws the same chunks, in chunk order
    def fn(size, g):
        return g.permuted(np.tile(np.arange(9.0), (size, 1)), axis=1)

    plain = map_chunks(fn, 3 * CHUNK + 5, np.random.default_rng(11))
    threaded = map_chunks(fn, 3 * CHUNK + 5, np.random.default_rng(11), threads=threads)
    assert len(threaded) == 4
    assert all(np.array_equal(a, b) for a, b in zip(plain, threaded, strict=True))


@pytest.mark.parametrize("fn", [drift.mmd, drift.energy])
def test_kernel_tests_do_not_depend_on_the_blas_thread_limit(fn):
    # the permutation draws run on as many threads as BLAS may use
    from threadpoolctl import threadpool_limits

    from mllifecycle._resample import blas_threads

    g = np.random.default_rng(12)
    x, y = g.normal(size=(70, 3)), g.normal(0.2, 1.0, size=(60, 3))
    with threadpool_limits(limits=1, user_api="blas"):
        assert blas_threads() == 1
        one = fn(x, y, n_resamples=700, rng=4)
    with threadpool_limits(limits=2, user_api="blas"):
        two = fn(x, y, n_resamples=700, rng=4)
    assert one.p_value == two.p_value
    assert one.statistic == pytest.approx(two.statistic, rel=1e-12)


def _smallest_keys(big_n, n, b, rng):
    """The documented stream, by a full sort: per chunk of map_chunks, a 32-bit
    key per row from the chunk's raw bits, the n smallest keys marked."""

    def draw(size, gen):
        words = (big_n + 1) // 2
        keys = gen.bit_generator.random_raw((size, words)).view(np.uint32)[:, :big_n]
        ranks = np.argsort(np.argsort(keys, axis=1, kind="stable"), axis=1)
        return np.where(ranks < n, float(big_n - n), -float(n))

    return np.concatenate(map_chunks(draw, b, rng))


@pytest.mark.parametrize(
    ("big_n", "n", "b"), [(2000, 1000, 500), (7, 3, 1000), (9, 1, 257), (5, 4, 1), (3001, 17, 300)]
)
def test_centred_labels_are_the_smallest_keys_of_the_chunked_streams(big_n, n, b):
    # in place, in float32 and float64: the n smallest keys of each row of
    # map_chunks' chunks and seeds (no tie at the cut in these draws)
    from mllifecycle.drift._kernel import draw_centred_labels

    expected = _smallest_keys(big_n, n, b, np.random.default_rng(8))
    r1, r2 = np.random.default_rng(8), np.random.default_rng(8)
    out = np.empty((b, big_n))
    out32 = np.empty((b, big_n), dtype=np.float32)
    got = draw_centred_labels(r2, big_n, n, b, out=out, out32=out32)
    assert got is out
    assert np.array_equal(out, expected)
    assert np.array_equal(out32, expected)
    assert np.array_equal(draw_centred_labels(np.random.default_rng(8), big_n, n, b), expected)
    assert (out == big_n - n).sum(axis=1).tolist() == [n] * b
    map_chunks(lambda size, gen: gen.bit_generator.random_raw(1), b, r1)
    assert r1.integers(2**62) == r2.integers(2**62)  # both generators advanced alike


@pytest.mark.parametrize(("big_n", "n"), [(5, 2), (6, 3), (4, 1)])
@pytest.mark.parametrize("key_dtype", [np.uint32, np.uint8])
def test_centred_labels_every_subset_equally_likely(big_n, n, key_dtype, monkeypatch):
    # a chi-square test of uniformity over all C(N, n) subsets; with 8-bit keys
    # ties at the cut are frequent (about N / 256 of the rows), so the redraw
    # of such rows is exercised and must not bias the draw
    import itertools
    import math

    from scipy import stats

    from mllifecycle.drift import _kernel

    monkeypatch.setattr(_kernel, "_KEY_DTYPE", key_dtype)
    b = 20_000
    c = _kernel.draw_centred_labels(np.random.default_rng(big_n * 10 + n), big_n, n, b)
    marks = c > 0
    assert marks.sum(axis=1).tolist() == [n] * b
    index = {s: i for i, s in enumerate(itertools.combinations(range(big_n), n))}
    counts = np.bincount(
        [index[tuple(np.flatnonzero(m))] for m in marks], minlength=math.comb(big_n, n)
    )
    assert stats.chisquare(counts).pvalue > 1e-3


def test_centred_labels_redraw_a_tie_at_the_cut(monkeypatch):
    # 8-bit keys for 40 rows: a row whose 15th and 16th smallest keys tie is
    # drawn again from the chunk's stream until they do not; each keeps n marks,
    # and the rows without a tie are the n smallest keys of the first draw
    from mllifecycle._resample import chunk_seeds
    from mllifecycle.drift import _kernel

    monkeypatch.setattr(_kernel, "_KEY_DTYPE", np.uint8)
    big_n, n, b = 40, 15, 200  # one chunk
    c = _kernel.draw_centred_labels(np.random.default_rng(3), big_n, n, b)
    assert ((c > 0).sum(axis=1) == n).all()
    assert set(np.unique(c).tolist()) == {25.0, -15.0}
    seed = chunk_seeds(np.random.default_rng(3), 1)[0]
    bits = np.random.default_rng(seed).bit_generator
    keys = bits.random_raw((b, big_n // 8)).view(np.uint8)
    ordered = np.sort(keys, axis=1)
    tied = ordered[:, n - 1] == ordered[:, n]
    assert 10 <= tied.sum() < b  # the redraw was needed, and not everywhere
    first = keys < ordered[:, n : n + 1]
    assert np.array_equal(c[~tied] > 0, first[~tied])
    assert not np.array_equal(c[tied] > 0, first[tied])
    with pytest.raises(ValueError, match="n must be in"):
        _kernel.draw_centred_labels(np.random.default_rng(0), 4, 0, 10)


@pytest.mark.parametrize("key_dtype", [np.uint32, np.uint8])
def test_centred_labels_do_not_depend_on_the_key_block(key_dtype, monkeypatch):
    # keys are drawn a block of rows at a time (1 MB); one row a block, or the
    # whole chunk at once, gives the same draws, ties at the cut included
    from mllifecycle.drift import _kernel

    monkeypatch.setattr(_kernel, "_KEY_DTYPE", key_dtype)
    got = []
    for block_bytes in (1, 1 << 20, 1 << 30):
        monkeypatch.setattr(_kernel, "_KEY_BLOCK_BYTES", block_bytes)
        got.append(_kernel.draw_centred_labels(np.random.default_rng(4), 40, 15, 600))
    assert np.array_equal(got[0], got[1])
    assert np.array_equal(got[0], got[2])


@pytest.mark.parametrize("fn", [drift.mmd, drift.energy])
def test_kernel_tests_on_many_strips_do_not_depend_on_threads(fn):
    # 900 rows: strips of 112 rows, drawn on one or two threads
    from threadpoolctl import threadpool_limits

    g = np.random.default_rng(13)
    x, y = g.normal(size=(500, 4)), np.round(g.normal(0.1, 1.0, size=(400, 4)), 1)
    with threadpool_limits(limits=1, user_api="blas"):
        one = fn(x, y, n_resamples=300, rng=5)
    with threadpool_limits(limits=2, user_api="blas"):
        two = fn(x, y, n_resamples=300, rng=5)
    serial = fn(x, y, n_resamples=300, rng=5, n_jobs=1, progress=False)
    assert one.p_value == two.p_value == serial.p_value
    assert one.statistic == pytest.approx(two.statistic, rel=1e-12)
