"""Resamples in chunks: reproducible streams, ``n_jobs`` workers, ``progress``.

Permutation and bootstrap tests draw their ``n_resamples`` resamples in
chunks of at most :data:`CHUNK`. Each chunk has its own random stream, a child
of one :class:`numpy.random.SeedSequence` seeded from the caller's generator
(``SeedSequence.spawn``), and the number and sizes of the chunks depend on
``n_resamples`` only. So the chunks can run in any order, in any process,
and a given ``rng`` gives the same resamples, hence the same result, for
every ``n_jobs`` and every joblib backend (``joblib.parallel_backend("dask")``
included): the workers only change where each chunk is computed.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import numpy as np

from mllifecycle._progress import make_progress
from mllifecycle._validation import fail

__all__ = [
    "CHUNK", "blas_threads", "check_n_jobs", "chunk_sizes", "chunk_seeds", "map_chunks",
    "map_tasks",
]

#: Largest number of resamples in one chunk (one random stream, one task).
CHUNK = 256

T = TypeVar("T")


_CONTROLLER: Any = None


def blas_threads() -> int:
    """Return the number of threads BLAS may use now (threadpoolctl's live limit; 1 if no BLAS).

    Work that NumPy runs without the GIL (random permutations) may use as many
    threads as the matrix products do: ``threadpoolctl.threadpool_limits(1)``
    or ``OPENBLAS_NUM_THREADS=1`` makes both single-threaded.

    Examples
    --------
    >>> from threadpoolctl import threadpool_limits
    >>> from mllifecycle._resample import blas_threads
    >>> with threadpool_limits(limits=1, user_api="blas"):
    ...     blas_threads()
    1
    """
    global _CONTROLLER
    if _CONTROLLER is None:
        from threadpoolctl import ThreadpoolController

        _CONTROLLER = ThreadpoolController()
    libs = _CONTROLLER.select(user_api="blas").lib_controllers
    return max(1, min(int(lib.get_num_threads()) for lib in libs)) if libs else 1


def check_n_jobs(n_jobs: Any, caller: str | None = None) -> int | None:
    """Validate ``n_jobs``: None or a non-zero int (-1: every core), as in scikit-learn.

    Examples
    --------
    >>> from mllifecycle._resample import check_n_jobs
    >>> check_n_jobs(None), check_n_jobs(2)
    (None, 2)
    """
    if n_jobs is None:
        return None
    ok = isinstance(n_jobs, numbers.Integral) and not isinstance(n_jobs, bool)
    if not ok or n_jobs == 0:
        fail("n_jobs", "None or a non-zero int (-1 for every core)", n_jobs, caller)
    return int(n_jobs)


def chunk_sizes(n_resamples: int, chunk: int = CHUNK) -> list[int]:
    """Split ``n_resamples`` into chunks of ``chunk`` (the last one smaller).

    Examples
    --------
    >>> from mllifecycle._resample import chunk_sizes
    >>> chunk_sizes(600)
    [256, 256, 88]
    """
    full, rest = divmod(int(n_resamples), chunk)
    return [chunk] * full + ([rest] if rest else [])


def chunk_seeds(rng: np.random.Generator, n_chunks: int) -> list[np.random.SeedSequence]:
    """``n_chunks`` independent child seeds, drawn from ``rng`` (which advances).

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle._resample import chunk_seeds
    >>> a = chunk_seeds(np.random.default_rng(0), 3)
    >>> b = chunk_seeds(np.random.default_rng(0), 3)
    >>> [s.generate_state(1)[0] for s in a] == [s.generate_state(1)[0] for s in b]
    True
    """
    entropy = [int(v) for v in rng.integers(0, 2**63, size=4, dtype=np.int64)]
    return np.random.SeedSequence(entropy).spawn(n_chunks)


def _run_chunk(fn: Callable[[int, np.random.Generator], T], size: int, seed: Any) -> T:
    return fn(size, np.random.default_rng(seed))


def _run_task(fn: Callable[[int], T], index: int) -> T:
    return fn(index)


def _dispatch(
    calls: Sequence[tuple[Callable[..., T], tuple[Any, ...]]],
    weights: Sequence[int],
    n_jobs: int | None,
    progress: Any,
    total: int,
    caller: str | None,
    desc: str,
) -> list[T]:
    out: list[T] = []
    with make_progress(progress, total=total, desc=desc, caller=caller) as bar:
        if n_jobs is None or n_jobs == 1 or len(calls) <= 1:
            for (fn, args), w in zip(calls, weights, strict=True):
                out.append(fn(*args))
                bar.update(w)
            return out
        from joblib import Parallel, delayed

        results = Parallel(n_jobs=n_jobs, return_as="generator")(
            delayed(fn)(*args) for fn, args in calls
        )
        for res, w in zip(results, weights, strict=True):
            out.append(res)
            bar.update(w)
    return out


def map_chunks(
    fn: Callable[[int, np.random.Generator], T],
    n_resamples: int,
    rng: np.random.Generator,
    *,
    n_jobs: int | None = None,
    progress: Any = False,
    caller: str | None = None,
    desc: str = "",
    threads: int = 1,
) -> list[T]:
    """Run ``fn(size, generator)`` on every chunk of ``n_resamples``, results in chunk order.

    ``n_jobs`` None or 1 runs the chunks in this process (on up to ``threads``
    threads, for an ``fn`` that releases the GIL; the results are the same);
    otherwise through ``joblib.Parallel(n_jobs=n_jobs)`` (so an enclosing
    ``joblib.parallel_backend`` context picks the backend). ``progress``
    advances by the size of each finished chunk.

    Examples
    --------
    >>> import numpy as np
    >>> from mllifecycle._resample import map_chunks
    >>> parts = map_chunks(lambda size, g: g.random(size), 300, np.random.default_rng(0))
    >>> [p.shape[0] for p in parts]
    [256, 44]
    """
    sizes = chunk_sizes(n_resamples)
    seeds = chunk_seeds(rng, len(sizes))
    if (n_jobs is None or n_jobs == 1) and threads > 1 and len(sizes) > 1 and not progress:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=min(threads, len(sizes))) as pool:
            return list(pool.map(lambda a: _run_chunk(fn, *a), zip(sizes, seeds, strict=True)))
    calls = [(_run_chunk, (fn, s, seed)) for s, seed in zip(sizes, seeds, strict=True)]
    return _dispatch(calls, sizes, n_jobs, progress, int(n_resamples), caller, desc or caller or "")


def map_tasks(
    fn: Callable[[int], T],
    n_tasks: int,
    *,
    n_jobs: int | None = None,
    progress: Any = False,
    caller: str | None = None,
    desc: str = "",
) -> list[T]:
    """Run ``fn(i)`` for ``i < n_tasks`` (deterministic work), results in task order.

    Examples
    --------
    >>> from mllifecycle._resample import map_tasks
    >>> map_tasks(lambda i: i * i, 3)
    [0, 1, 4]
    """
    calls = [(_run_task, (fn, i)) for i in range(n_tasks)]
    return _dispatch(calls, [1] * n_tasks, n_jobs, progress, n_tasks, caller, desc or caller or "")
