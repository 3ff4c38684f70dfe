"""Where batches of games run: this process, a pool of processes, or a Dask cluster.

One small interface: `Executor.map(fn, jobs)` runs a picklable function over jobs
and yields the results in the order of the jobs. The caller makes the jobs
(batches of seeds, never one game each: a task costs milliseconds on Dask), so
results are the same whatever the executor, its number of workers or the size of
the batches.

- `Serial`: in this process, one job after the other.
- `ProcessPool`: the standard library's process pool (the default for several workers).
- `DaskCluster`: Dask distributed (`pip install crisis-sim[dask]`): a local cluster,
  or the scheduler at `dask://HOST:8786` (or `tcp://HOST:8786`).
"""

from __future__ import annotations

import multiprocessing
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any


class ExecutorError(Exception):
    """The executor cannot be had (Dask not installed, no scheduler at the address...)."""


class Executor(ABC):
    name = "executor"
    workers = 1

    @abstractmethod
    def map(self, fn: Callable[[Any], Any], jobs: Sequence[Any]) -> Iterator[Any]:
        """fn(job) for each job, yielded in the order of `jobs`."""

    def close(self) -> None:  # noqa: B027 (most executors have nothing to release)
        """Release the workers."""

    def __enter__(self) -> Executor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Serial(Executor):
    name = "serial"

    def map(self, fn, jobs):
        return map(fn, jobs)


class ProcessPool(Executor):
    name = "process"

    def __init__(self, workers: int):
        self.workers = workers
        # fork where there is one: workers start at once and inherit what is loaded.
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        self.pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method))

    def map(self, fn, jobs):
        return self.pool.map(fn, jobs)

    def close(self) -> None:
        self.pool.shutdown()


class DaskCluster(Executor):
    name = "dask"

    def __init__(self, address: str | None, workers: int):
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise ExecutorError("Dask is not installed: pip install 'crisis-sim[dask]'") from None
        self.cluster = None
        try:
            if address:
                self.client = Client(address, timeout="10s")
            else:
                self.cluster = LocalCluster(
                    n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
                )
                self.client = Client(self.cluster)
        except (OSError, TimeoutError) as exc:
            if self.cluster is not None:
                self.cluster.close()
            raise ExecutorError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
        except (MemoryError, ValueError, TypeError, EOFError) as exc:
            # Something else answers there (a web server, say): Dask reads its first bytes as a
            # message's length and tries to allocate that much.
            raise ExecutorError(
                f"{address} does not answer as a Dask scheduler ({type(exc).__name__}); check the address and port"
            ) from None
        self.workers = len(self.client.scheduler_info().get("workers", {})) or workers

    def map(self, fn, jobs):
        # pure=False: every job runs, even two that look alike.
        futures = self.client.map(fn, list(jobs), pure=False)
        for future in futures:
            yield future.result()

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def make_executor(spec: str | None, workers: int = 1) -> Executor:
    """An executor from a command-line word: serial, process, dask, dask://HOST:PORT or
    tcp://HOST:PORT. None: serial for one worker, the process pool for more."""
    if spec is None:
        spec = "serial" if workers <= 1 else "process"
    if spec == "serial":
        return Serial()
    if spec == "process":
        return ProcessPool(max(workers, 1))
    if spec == "dask":
        return DaskCluster(None, max(workers, 1))
    if spec.startswith("dask://"):
        return DaskCluster("tcp://" + spec.removeprefix("dask://"), max(workers, 1))
    if spec.startswith("tcp://"):
        return DaskCluster(spec, max(workers, 1))
    raise ValueError(f"unknown executor '{spec}' (serial, process, dask or dask://HOST:PORT)")
