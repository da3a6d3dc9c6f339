"""The solve layer: compile the Pyomo model to arrays, hand it to HiGHS, progress."""
