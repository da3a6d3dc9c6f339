"""HiGHS plumbing shared by the solve routes: arrays into a highspy object, a run that Ctrl-C
stops cleanly (keeping the incumbent), the log sent where asked, the plan written back."""

from __future__ import annotations

import contextlib
import logging
import signal
import threading
from collections.abc import Callable
from typing import TextIO

import highspy
import numpy as np
import pyomo.environ as pyo
from pyomo.common.tee import TeeStream, capture_output

from supplyopt.errors import SolverError
from supplyopt.solve.compile import MatrixForm
from supplyopt.solve.report import SolveOptions


class _QuietInterrupt(logging.Filter):
    """Pyomo warns about HiGHS's 'interrupt' status, which supplyopt reports itself."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "kInterrupt" not in record.getMessage()


logging.getLogger("pyomo.contrib.solver.solvers.highs").addFilter(_QuietInterrupt())

# HiGHS options supplyopt sets unless `SolveOptions.highs_options` says otherwise, each chosen by
# measurement (benchmarks/README, HiGHS options), the same objectives throughout:
# - RINS and RENS (sub-MIP heuristics) spent most of the time on plans they could not improve: off
#   took 0.27-0.99 × the HiGHS time on Pakistan (base, escorts, levy 15 %, raw-export ban, two-stage)
#   and synthetic S and M;
# - the root restart (after fixing half the integers HiGHS re-presolves and repeats the root: cuts,
#   central rounding, heuristics) then took most of what was left: off, all 26 Pakistan scenarios
#   took 0.39 × in sum (ESCORTS 0.27, TWO_STAGE_CVAR 0.27, none above 1.07), S 0.50 and M 0.49.
MIP_DEFAULTS: dict[str, object] = {"mip_heuristic_run_rins": False, "mip_heuristic_run_rens": False, "mip_allow_restart": False}


def pass_to_highs(form: MatrixForm, options: SolveOptions, *, mip: bool = True) -> highspy.Highs:
    """A highspy object holding the model (one passModel call) with supplyopt's options."""
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)  # run_highs turns the log on inside its capture (no stray banner)
    integrality = form.integer.astype(np.int32) if mip else np.zeros(form.num_col, dtype=np.int32)
    status = h.passModel(
        form.num_col,
        form.num_row,
        form.num_nz,
        int(highspy.MatrixFormat.kRowwise),
        -1 if form.maximise else 1,
        form.offset,
        form.col_cost,
        form.col_lower,
        form.col_upper,
        form.row_lower,
        form.row_upper,
        form.a_start,
        form.a_index,
        form.a_value,
        integrality,
    )
    if status == highspy.HighsStatus.kError:
        raise SolverError("HiGHS refused the model (passModel failed): check for NaN or infinite numbers in the input.")
    h.setOptionValue("random_seed", int(options.seed))
    h.setOptionValue("mip_rel_gap", float(options.mip_gap))
    for name, value in MIP_DEFAULTS.items():
        h.setOptionValue(name, value)
    if options.time_limit is not None:
        h.setOptionValue("time_limit", float(options.time_limit))
    if options.threads:
        h.setOptionValue("threads", int(options.threads))
    for name, value in (options.highs_options or {}).items():
        if h.setOptionValue(name, value) == highspy.HighsStatus.kError:
            raise SolverError(f"HiGHS refused the option {name}={value!r}")
    return h


@contextlib.contextmanager
def highs_log(log: TextIO | None):
    """HiGHS writes its log from C to the process's stdout: send it to `log` (or nowhere)."""
    if log is None:
        yield
        return
    with capture_output(output=TeeStream(log), capture_fd=True):
        yield


def run_highs(h: highspy.Highs, options: SolveOptions) -> threading.Event:
    """h.run() with Ctrl-C turned into cancelSolve; returns the 'interrupted' flag."""
    h.HandleKeyboardInterrupt = True
    with interruptible(lambda: h) as interrupted, highs_log(options.log):
        h.setOptionValue("output_flag", options.log is not None)
        h.setOptionValue("log_to_console", options.log is not None)
        try:
            h.run()
        except Exception as exc:  # HiGHS failing outright is a solver error, not a crash
            raise SolverError(f"HiGHS failed: {type(exc).__name__}: {exc}") from exc
    return interrupted


def load_columns(columns: list, values) -> None:
    """Write HiGHS's column values back into the Pyomo variables (fixed ones keep theirs)."""
    for v, x in zip(columns, values):
        if not v.fixed:
            v.set_value(x, skip_validation=True)


@contextlib.contextmanager
def interruptible(highs: Callable[[], object | None]):
    """While HiGHS runs, Ctrl-C asks it to stop (keeping its best plan) instead of raising.

    Python runs the signal handler while highspy waits for its solver thread
    (`HandleKeyboardInterrupt`), and cancelSolve makes HiGHS return with its incumbent.
    `highs()` gives the highspy object once it exists. Outside the main thread nothing changes."""
    flag = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield flag
        return

    def handler(signum, frame):
        flag.set()
        model = highs()
        if model is not None:
            model.cancelSolve()

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield flag
    finally:
        signal.signal(signal.SIGINT, previous)


def objective_sense(m: pyo.ConcreteModel) -> str:
    """'maximise' or 'minimise', the active objective's sense."""
    obj = next(m.component_data_objects(pyo.Objective, active=True))
    return "maximise" if obj.sense == pyo.maximize else "minimise"
