"""Benchmarks of regional-kg on synthetic regions (``python -m benchmarks.run``; ``make bench``).

Every measurement that loads data runs in a child process (:mod:`benchmarks.worker`), so its peak
memory (``VmHWM``) is its own and a run that exceeds its time budget can be stopped without
taking the harness down. See docs/benchmarks.md for what each figure means and the results.
"""
