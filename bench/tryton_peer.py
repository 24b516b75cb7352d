"""Running the Tryton peer's harness (``../shared/peers/tryton/bench_tryton.py``) from a benchmark, in the same run."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# ../shared from the main checkout, ../../shared from a worktree under ../wt
TRYTON = next((folder / "shared" / "peers" / "tryton" / "bench_tryton.py" for folder in ROOT.parents
               if (folder / "shared" / "peers" / "tryton" / "bench_tryton.py").exists()), None)


def peer_figures(python: str, arguments: list[str], scenario: str, *, timeout: float) -> dict | None:
    """The JSON line the harness prints for ``scenario`` when run by ``python`` with ``arguments``; None when the
    peer or its virtual environment is missing, or when it gave no such line (then its output's end is printed)."""
    if TRYTON is None or not Path(python).exists():
        return None
    result = subprocess.run([python, str(TRYTON), *arguments], capture_output=True, text=True, cwd=TRYTON.parent,
                            timeout=timeout)
    for line in result.stdout.splitlines():
        if line.startswith("{"):
            data = json.loads(line)
            if data.get("scenario") == scenario:
                return data
    print(f"  Tryton run gave no scenario {scenario} figure:", result.stdout[-500:], result.stderr[-500:])
    return None
