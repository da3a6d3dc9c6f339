"""The one task runner of every batch: `solve --scenario all`, frontier points, stress cases and
sweeps run their independent cases through `run_tasks`.

Where the cases run (`RunnerOptions`):

- serially in this process (`serial=True`, or a batch too small to be worth a cluster);
- on an existing Dask scheduler by address (`scheduler='tcp://HOST:PORT'`);
- locally on `workers` processes (default one per core): this one and a Dask `LocalCluster` of
  `workers - 1` single-threaded worker processes.

A local cluster costs a few seconds of CPU to start (worker processes import pandas, Pyomo and
highspy). It is started only when the batch is worth it: at least `min_tasks` cases and, when the
caller knows how long one case takes (e.g. from the base solve it ran first), an estimated serial
time of at least `min_seconds`. Its start-up is not waited for: it boots in a background thread
while this process runs cases, and this process goes on running cases beside the workers, so
every core works from the first second and no core is left to a process that only waits. This
process takes cases from the end of the list, the workers from the front (callers put the long
cases first). A cluster once started is kept for the rest of the process (`shutdown()` closes it;
it is also closed at exit), so a command with several batches pays the start-up once.

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

__all__ = ["ClusterError", "RunnerOptions", "choose_mode", "prestart", "run_tasks", "shutdown"]

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
_START_LOCK = threading.RLock()  # one start at a time (prestart's thread and a batch's may race); shutdown waits for it


def shutdown() -> None:
    """Close the local cluster of this process, if one was started (after a start under way)."""
    with _START_LOCK:
        client, cluster = _CLUSTER.pop("client", None), _CLUSTER.pop("cluster", None)
        _CLUSTER.clear()
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()


atexit.register(shutdown)


def _local_client(workers: int):
    from dask.distributed import Client, LocalCluster

    with _START_LOCK:
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


def prestart(n_tasks: int, options: RunnerOptions = RunnerOptions()) -> None:
    """Start booting the local cluster now, in a background thread, when a batch of `n_tasks`
    cases would use one (judged by the count alone): a caller that first solves something on its
    own (the base of `solve --scenario all`) lets the workers start meanwhile, on an idle core. A
    start that fails is left for the batch to report."""
    if choose_mode(n_tasks, options) != LOCAL:
        return

    def start() -> None:
        try:
            _local_client(max(options.n_workers - 1, 1))
        except BaseException:  # noqa: BLE001, S110 - the batch's own start reports it
            pass

    threading.Thread(target=start, name="supplyopt-cluster-prestart", daemon=True).start()


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

    if mode == LOCAL:
        info = _run_local(fn, shared, items, options, on_error, finished)
        return out, info
    try:
        client = Client(options.scheduler, timeout="10s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise ClusterError(f"cannot reach the Dask scheduler at {options.scheduler}: {exc} (run with --serial to run without Dask)") from exc
    try:
        info: dict[str, Any] = {"mode": DASK, "scheduler": options.scheduler, "workers": len(client.scheduler_info().get("workers", {}))}
        shared_future = client.scatter(shared, broadcast=True)
        futures = {client.submit(fn, shared_future, item, pure=False, retries=0): i for i, item in enumerate(items)}
        for fut in as_completed(futures):
            finished(futures[fut], _result(fut, items[futures[fut]], on_error))
        return out, info
    finally:
        client.close()


def _result(fut, item, on_error) -> Any:
    try:
        return fut.result()
    except Exception as exc:  # noqa: BLE001 - a crashed case or a lost worker: report, go on
        return on_error(item, exc)


def _run_here(fn, shared, item, on_error) -> Any:
    try:
        return fn(shared, item)
    except Exception as exc:  # noqa: BLE001 - as on a cluster: one case's crash must not sink the batch
        return on_error(item, exc)


def _run_local(fn, shared, items, options: RunnerOptions, on_error, finished) -> dict[str, Any]:
    """Run the cases on this process and a local cluster of `n_workers - 1` workers (module
    docstring). A feeder thread boots the cluster and keeps each worker on one case, taken from
    the front of the queue as soon as its last one ends; this thread takes cases from the back,
    and reports every result (`finished`) between its own cases, so progress stays in one thread."""
    import queue as queues

    workers = max(options.n_workers - 1, 1)
    lock = threading.Lock()
    todo = list(range(len(items)))  # the workers take from the front, this process from the back
    results: queues.Queue = queues.Queue()
    boot: dict[str, Any] = {}

    def take_front() -> int | None:
        with lock:
            return todo.pop(0) if todo else None

    def feed() -> None:
        from dask.distributed import as_completed

        try:
            client, cluster = _local_client(workers)
            boot["address"], boot["client"] = cluster.scheduler_address, client
            shared_future = client.scatter(shared, broadcast=True)
            index: dict[Any, int] = {}
            pending = as_completed()

            def submit_next() -> None:
                i = take_front()
                if i is not None:
                    fut = client.submit(fn, shared_future, items[i], pure=False, retries=0)
                    index[fut] = i
                    pending.add(fut)

            for _ in range(workers):
                submit_next()
            for fut in pending:
                i = index.pop(fut)
                results.put((i, _result(fut, items[i], on_error)))
                submit_next()
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread below
            boot["error"] = exc
        finally:
            results.put(None)  # the feeder is done

    thread = threading.Thread(target=feed, name="supplyopt-cluster-feed", daemon=True)
    thread.start()
    got, here, feeder_done = 0, 0, False

    def report(item) -> None:
        nonlocal got, feeder_done
        if item is None:
            feeder_done = True
        else:
            got += 1
            finished(*item)

    while True:
        while not results.empty():
            report(results.get())
        if "error" in boot:
            thread.join()
            raise _start_failed(boot["error"])
        with lock:
            i = todo.pop() if todo else None
        if i is None:
            break
        finished(i, _run_here(fn, shared, items[i], on_error))
        got, here = got + 1, here + 1
    while got < len(items) and not feeder_done:
        report(results.get())
    thread.join()
    if "error" in boot and got < len(items):
        raise _start_failed(boot["error"])
    workers_up = len(boot["client"].scheduler_info().get("workers", {})) if "client" in boot else 0
    return {"mode": LOCAL, "scheduler": boot.get("address"), "workers": workers_up + 1, "ran_here": here}


def _start_failed(exc: BaseException) -> ClusterError:
    err = ClusterError(f"cannot start a local Dask cluster: {exc} (run with --serial to run without Dask)")
    err.__cause__ = exc
    return err
