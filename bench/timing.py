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


def sized_arguments(description: str, what: str, sizes: str = "10000,100000,1000000"):
    """The command line of a benchmark run at growing sizes: ``--sizes`` (parsed to ascending ints),
    ``--repeat`` and ``--url`` (an empty database instead of a temporary SQLite file)."""
    import argparse

    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--sizes", default=sizes, help=f"{what}, comma separated, ascending")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--url", help="an empty database instead of a temporary SQLite file")
    args = parser.parse_args()
    args.sizes = [int(size) for size in args.sizes.split(",")]
    return args
