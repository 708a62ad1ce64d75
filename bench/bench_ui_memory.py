"""Memory and responsiveness of the reader on a big library: one scripted session, peak RSS after each step.

Uses the library `bench/bench_ui.py --build` made (bench/out/ui-<N>/home). The session: first paint, jump to the
end of the list, five searches typed at once, open an article, back. Peak RSS (ru_maxrss) is read after each step,
so the table shows what each step added.

    .venv/bin/python bench/bench_ui_memory.py --size 100000
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def session(size: int) -> list[dict[str, float | str]]:
    from tui.app.app import DiglotApp
    from tui.app.widgets.article_list import ArticleList
    from tui.paths import current_paths

    steps: list[dict[str, float | str]] = []
    t0 = time.perf_counter()

    def mark(name: str) -> None:
        steps.append({"step": name, "seconds": round(time.perf_counter() - t0, 3), "peak_rss_mb": round(rss_mb(), 1)})

    app = DiglotApp(current_paths(), analyse_on_open=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.5)
        mark("first screen")
        await app.workers.wait_for_complete()
        total = app.screen.query_one(ArticleList).total
        mark(f"settled ({total} articles)")
        await pilot.press("end")
        for _ in range(100):
            await pilot.pause(0.05)
        mark("end of list")
        for query in ("government", "presiden*", "Kishida", "gouvernment~", "police lang:fr"):
            await pilot.press("slash", "ctrl+a", *query, "enter")
            await pilot.pause(0.4)
            await app.workers.wait_for_complete()
        mark("5 searches")
        await pilot.press("enter")
        await pilot.pause(1.0)
        await app.workers.wait_for_complete()
        mark("article open")
        await pilot.press("escape")
        await pilot.pause(0.2)
        mark("back")
    return steps


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100000)
    args = parser.parse_args()
    home = ROOT / "bench" / "out" / f"ui-{args.size}" / "home"
    if not home.exists():
        raise SystemExit(f"no library at {home}; build it with bench/bench_ui.py first")
    os.environ["DIGLOT_HOME"] = str(home)
    steps = asyncio.run(session(args.size))
    print(json.dumps({"size": args.size, "steps": steps}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
