"""Studies built from runs of the pipeline: solve, diagnose, explain, stress, frontier, sweep, compare."""
