"""The one task runner of every batch: `solve --scenario all`, frontier points, stress cases and
sweeps run their independent cases through `run_tasks`.

Where the cases run (`RunnerOptions`):

- serially in this process (`serial=True`, or a batch too small to be worth a cluster);
- on an existing Dask scheduler by address (`scheduler='tcp://HOST:PORT'`);
- on a Dask `LocalCluster` of `workers` single-threaded worker processes (default one per core).

A local cluster costs a few seconds to start (worker processes import pandas, Pyomo and
highspy). It is started only when the batch is worth it: at least `min_tasks` cases and, when the
caller knows how long one case takes (e.g. from the base solve it ran first), an estimated serial
time of at least `min_seconds`. Its start-up is not waited for: it boots in a background thread
while this process runs cases itself, from the end of the list (callers put the long cases
first, for the cluster); once the workers are up they get every case not yet begun. A cluster
once started is kept for the rest of the process (`shutdown()` closes it; it is also closed at
exit), so a command with several batches pays the start-up once.

`fn(shared, item)` must be a module-level (picklable) function; `shared` is sent to the workers
once. A case that raises becomes `on_error(item, exc)` in its place; the batch goes on. Results
come back in item order whatever order the cases finish in.
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from supplyopt.errors import SolverError

__all__ = ["ClusterError", "RunnerOptions", "choose_mode", "run_tasks", "shutdown"]

SERIAL, DASK, LOCAL = "serial", "dask", "dask LocalCluster"


class ClusterError(SolverError):
    """The Dask scheduler cannot be reached, or a local cluster cannot start."""


@dataclass(frozen=True)
class RunnerOptions:
    """Where a batch runs. `min_tasks` / `min_seconds`: below these a local cluster is not worth
    starting and the batch runs serially (an explicit `scheduler` is always used)."""

    serial: bool = False
    scheduler: str | None = None
    workers: int | None = None
    min_tasks: int = 3
    min_seconds: float = 15.0

    @property
    def n_workers(self) -> int:
        return self.workers or os.cpu_count() or 1


def choose_mode(n_tasks: int, options: RunnerOptions, seconds_each: float | None = None) -> str:
    """SERIAL, DASK (the given scheduler) or LOCAL (a local cluster) for a batch of `n_tasks`
    cases that take about `seconds_each` each (None: unknown, judged by the count alone)."""
    if options.serial or n_tasks == 0:
        return SERIAL
    if options.scheduler:
        return DASK
    if _CLUSTER.get("cluster") is not None and n_tasks >= 2:
        return LOCAL  # already paid for
    if options.n_workers < 2 or n_tasks < options.min_tasks:
        return SERIAL
    if seconds_each is not None and seconds_each * n_tasks < options.min_seconds:
        return SERIAL
    return LOCAL


Progress = Callable[[int, int, Any], None]  # (done, total, result) after each case

_CLUSTER: dict[str, Any] = {}  # the local cluster of this process, once started: cluster, client, workers


def shutdown() -> None:
    """Close the local cluster of this process, if one was started."""
    client, cluster = _CLUSTER.pop("client", None), _CLUSTER.pop("cluster", None)
    _CLUSTER.clear()
    if client is not None:
        client.close()
    if cluster is not None:
        cluster.close()


atexit.register(shutdown)


def _local_client(workers: int):
    from dask.distributed import Client, LocalCluster

    if _CLUSTER.get("cluster") is not None and _CLUSTER.get("workers") == workers:
        return _CLUSTER["client"], _CLUSTER["cluster"]
    shutdown()
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=logging.ERROR)
    try:
        client = Client(cluster)
    except BaseException:
        cluster.close()
        raise
    _CLUSTER.update(cluster=cluster, client=client, workers=workers)
    return client, cluster


def run_tasks(
    fn: Callable[[Any, Any], Any],
    shared: Any,
    items: Sequence[Any],
    options: RunnerOptions = RunnerOptions(),
    *,
    on_error: Callable[[Any, BaseException], Any],
    progress: Progress | None = None,
    seconds_each: float | None = None,
) -> tuple[list[Any], dict[str, Any]]:
    """[fn(shared, item) for item in items], run where `choose_mode` says, and an info dict
    (mode, workers, scheduler, wall_seconds). Raises ClusterError when the scheduler cannot be
    reached or a local cluster cannot start."""
    mode = choose_mode(len(items), options, seconds_each)
    start = time.perf_counter()
    if mode == SERIAL:
        out = []
        for item in items:
            res = _run_here(fn, shared, item, on_error)
            out.append(res)
            if progress:
                progress(len(out), len(items), res)
        info: dict[str, Any] = {"mode": SERIAL, "workers": 1}
    else:
        out, info = _run_dask(fn, shared, items, options, mode, on_error, progress)
    info["tasks"] = len(items)
    info["wall_seconds"] = time.perf_counter() - start
    return out, info


def _run_dask(fn, shared, items, options: RunnerOptions, mode: str, on_error, progress) -> tuple[list[Any], dict[str, Any]]:
    from dask.distributed import Client, as_completed

    out: list[Any] = [None] * len(items)
    done = 0

    def finished(i: int, res: Any) -> None:
        nonlocal done
        out[i] = res
        done += 1
        if progress:
            progress(done, len(items), res)

    own_client = None
    try:
        if mode == DASK:
            client = own_client = Client(options.scheduler, timeout="10s")
            info: dict[str, Any] = {"mode": DASK, "scheduler": options.scheduler}
            futures = _submit(client, fn, shared, items, range(len(items)))
        else:
            client, futures, local = _boot_while_working(fn, shared, items, options, on_error, finished)
            info = {"mode": LOCAL, "scheduler": client.scheduler.address if client else None, "ran_here": local}
    except (OSError, TimeoutError, ValueError) as exc:
        what = f"cannot reach the Dask scheduler at {options.scheduler}" if mode == DASK else "cannot start a local Dask cluster"
        raise ClusterError(f"{what}: {exc} (run with --serial to run without Dask)") from exc
    try:
        info["workers"] = len(client.scheduler_info().get("workers", {})) if client else 0
        for fut in as_completed(futures) if futures else ():
            i = futures[fut]
            try:
                res = fut.result()
            except Exception as exc:  # noqa: BLE001 - a crashed case or a lost worker: report, go on
                res = on_error(items[i], exc)
            finished(i, res)
        return out, info
    finally:
        if own_client is not None:
            own_client.close()


def _submit(client, fn, shared, items, which) -> dict[Any, int]:
    """Send `shared` to every worker once and submit the cases `which`: {future: index}."""
    which = list(which)
    if not which:
        return {}
    shared_future = client.scatter(shared, broadcast=True)
    return {client.submit(fn, shared_future, items[i], pure=False, retries=0): i for i in which}


def _run_here(fn, shared, item, on_error) -> Any:
    try:
        return fn(shared, item)
    except Exception as exc:  # noqa: BLE001 - as on a cluster: one case's crash must not sink the batch
        return on_error(item, exc)


def _boot_while_working(fn, shared, items, options: RunnerOptions, on_error, finished):
    """Start (or reuse) the local cluster in a background thread and, until it is up, run cases
    here from the end of the list; then submit every case not begun. (client or None, {future:
    index}, how many cases ran here). The start-up stops hiding behind work, and a batch the
    cluster would barely help is not slowed by it."""
    if _CLUSTER.get("cluster") is not None and _CLUSTER.get("workers") == options.n_workers:
        client, _cluster = _local_client(options.n_workers)
        return client, _submit(client, fn, shared, items, range(len(items))), 0
    lock = threading.Lock()
    begun = [False] * len(items)
    boot: dict[str, Any] = {}

    def start() -> None:
        try:
            client, _cluster = _local_client(options.n_workers)
            with lock:
                rest = [i for i, b in enumerate(begun) if not b]
                for i in rest:
                    begun[i] = True
            boot["futures"] = _submit(client, fn, shared, items, rest)
            boot["client"] = client
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread below
            boot["error"] = exc

    thread = threading.Thread(target=start, name="supplyopt-cluster-start", daemon=True)
    thread.start()
    here = 0
    while thread.is_alive():
        with lock:
            i = next((j for j in range(len(items) - 1, -1, -1) if not begun[j]), None)
            if i is not None:
                begun[i] = True
        if i is None:
            break
        finished(i, _run_here(fn, shared, items[i], on_error))
        here += 1
    thread.join()
    if "error" in boot:
        if here == len(items):
            return None, {}, here  # every case ran here: the cluster was not needed after all
        raise boot["error"]
    return boot["client"], boot["futures"], here
