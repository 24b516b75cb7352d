"""Timing for the benchmarks: the median of repeated runs (robust to one slow run)."""
import statistics
import time


def median_seconds(action, repeat: int):
    """Run ``action`` ``repeat`` times; return the median time in seconds and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result
