"""Start-up: `bottega --help` and a worker until it is ready to take jobs, against `python -c pass`.

Each figure is a whole new process, as a user or a service manager starts
it, on a SQLite database (in a temporary folder) with every in-tree addon
installed, so that `--help` lists their commands and the worker loads their
jobs. The worker counts as ready when it prints its jobs and schedules: its
registry, jobs and queue are set up and its consumer starts next; it is then
stopped with SIGINT. Rounds run the commands in turn and the medians are
printed, with each one's ratio to the interpreter's own start in the same run,
and the CPU time (user + system) each took: on a machine shared with other
work, the CPU time moves less than the wall-clock time.

Python writes and reuses its bytecode caches as for an installed program
(``PYTHONDONTWRITEBYTECODE`` is dropped; the caches go to a temporary folder,
not into the source tree), so a figure is not the cost of compiling Bottega's
modules again on every start.
"""
from __future__ import annotations

import argparse
import os
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BOTTEGA = [sys.executable, "-c", "from core.cli import main; main()"]  # what the `bottega` script runs
READY = "Periodic"  # the worker's last line before its consumer starts


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Seconds the command took, wall-clock and CPU."""
    cpu, start = children_cpu(), time.perf_counter()
    subprocess.run(command, env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start, children_cpu() - cpu


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system) a running process has used so far."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def worker_ready(config: Path, env: dict[str, str]) -> tuple[float, float]:
    """Seconds (wall-clock, CPU) until ``bottega worker`` has loaded the installed addons' jobs and its queue."""
    start = time.perf_counter()
    worker = subprocess.Popen([*BOTTEGA, "--config", str(config), "worker", "--workers", "1"], env=env, cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        for line in worker.stdout:
            if line.startswith(READY):
                return time.perf_counter() - start, process_cpu(worker.pid)
        raise RuntimeError(f"the worker stopped before it was ready (exit {worker.wait()})")
    finally:
        worker.send_signal(signal.SIGINT)
        worker.wait(timeout=60)


def install_everything(folder: Path, env: dict[str, str]) -> Path:
    from core.catalog import Catalog

    in_tree = [name for name, manifest in Catalog.discover().items() if (manifest.plugin or "").startswith("addons.")]
    names = ", ".join(f'"{name}"' for name in sorted(in_tree))
    config = folder / "bottega.toml"
    config.write_text(f'[database]\nurl = "sqlite:///{folder}/bottega.db"\n\n[addons]\nenabled = [{names}]\n\n'
                      f'[jobs]\nsqlite_path = "{folder}/jobs.db"\n')
    subprocess.run([*BOTTEGA, "--config", str(config), "init", "--admin-password", "Start-up-bench-2024!"],
                   env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return config


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=11, help="runs of each command (the median is printed)")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("BOTTEGA_") and key != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryDirectory() as folder, tempfile.TemporaryDirectory() as caches:
        env["PYTHONPYCACHEPREFIX"] = caches
        config = install_everything(Path(folder), env)
        figures = {
            "python -c pass": lambda: timed([sys.executable, "-c", "pass"], env),
            "bottega --help": lambda: timed([*BOTTEGA, "--config", str(config), "--help"], env),
            "bottega import --help": lambda: timed([*BOTTEGA, "--config", str(config), "import", "--help"], env),
            "bottega worker (until ready)": lambda: worker_ready(config, env),
        }
        for measure in figures.values():  # warm-up: file system caches, .pyc files
            measure()
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in figures}
        for _ in range(args.rounds):
            for name, measure in figures.items():
                times[name].append(measure())
    baseline = statistics.median(wall for wall, _cpu in times["python -c pass"])
    print(f"{'command':<30} {'median s':>9} {'x python':>9} {'CPU s':>7}   "
          f"({args.rounds} rounds, every in-tree addon installed)")
    for name, values in times.items():
        median = statistics.median(wall for wall, _cpu in values)
        cpu = statistics.median(cpu for _wall, cpu in values)
        print(f"{name:<30} {median:>9.3f} {median / baseline:>9.1f} {cpu:>7.2f}")


if __name__ == "__main__":
    main()
