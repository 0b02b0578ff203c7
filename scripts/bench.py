"""Benchmark: this project's model against stock Rasa, same data, same machine, one run.

    make bench

For each model: training time from an empty cache; right and wrong answers on the three
hold-outs, red-flag and crisis recall (scripts/evaluate_nlu.py); then, served by `rasa run` and the
action server on loopback (scripts/servers.py), the project with its deploy/endpoints.yml
and deploy/credentials.yml (as the tests serve it), the baseline as Rasa ships (its own SQL tracker store on SQLite, its
own REST channel; `stock_serving`): cold start (process start until the
first correct reply), resident memory of the Rasa server after warm-up, sequential
REST latency, and 20 concurrent conversations, first paced like people (a short pause
after each reply), then without pauses (capacity). The baseline is trained with the
config.yml that `rasa init` writes, read from the installed Rasa package.
Prints a table with the ratio project/baseline; writes results/bench.md and
results/bench.json.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import statistics
import subprocess
import tempfile
import time
import uuid
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import aiohttp
import requests

from scripts.evaluate_nlu import Report, evaluate, holdout_questions, load_agent
from scripts.servers import ROOT, VENV_BIN, running_stack

WORK = ROOT / "build" / "bench"
RESULTS = ROOT / "results"
SEQUENTIAL_MESSAGES = 300
CONVERSATIONS, MESSAGES_PER_CONVERSATION = 20, 15
PAUSE_S = (0.5, 1.5)  # between a reply and the conversation's next message; people take longer
MESSAGES_PER_SENDER = 10
COLD_START_PROBE = ("Hi", "automated assistant")  # message, text of the correct reply
TIMEOUT_S = 60

FIGURES = [  # key, label, format
    ("dev_right", "dev hold-out: right", "{:.1%}"),
    ("dev_wrong", "dev hold-out: wrong", "{:.1%}"),
    ("contract_right", "contract blind hold-out: right", "{:.1%}"),
    ("contract_wrong", "contract blind hold-out: wrong", "{:.1%}"),
    ("real-world_right", "real-world hold-out: right", "{:.1%}"),
    ("real-world_wrong", "real-world hold-out: wrong", "{:.1%}"),
    ("redflag_recall", "red-flag recall", "{:.1%}"),
    ("crisis_recall", "crisis recall", "{:.1%}"),
    ("train_s", "training (s)", "{:.0f}"),
    ("cold_start_s", "cold start (s)", "{:.1f}"),
    ("rss_mb", "Rasa server memory, resident (MB)", "{:.0f}"),
    ("p50_ms", "latency p50 (ms)", "{:.1f}"),
    ("p95_ms", "latency p95 (ms)", "{:.1f}"),
    ("p99_ms", "latency p99 (ms)", "{:.1f}"),
    ("concurrent_msgs_per_s", f"{CONVERSATIONS} conversations: messages/s", "{:.1f}"),
    ("concurrent_p95_ms", f"{CONVERSATIONS} conversations: p95 (ms)", "{:.0f}"),
    ("concurrent_errors", f"{CONVERSATIONS} conversations: errors", "{:d}"),
    ("capacity_msgs_per_s", f"{CONVERSATIONS} conversations without pauses: messages/s", "{:.1f}"),
    ("capacity_p95_ms", f"{CONVERSATIONS} conversations without pauses: p95 (ms)", "{:.0f}"),
    ("capacity_errors", f"{CONVERSATIONS} conversations without pauses: errors", "{:d}"),
]


def say(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)


def percentile(values: List[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def train(name: str, config: Path) -> tuple[Path, float]:
    cache = WORK / f"cache-{name}"
    shutil.rmtree(cache, ignore_errors=True)  # time a full training, not Rasa's training cache
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "PYTHONPATH": str(ROOT),
           "RASA_CACHE_DIRECTORY": str(cache)}
    started = time.monotonic()
    with open(WORK / f"train-{name}.log", "w") as log:
        subprocess.run([VENV_BIN / "rasa", "train", "--config", config, "--domain", "domain.yml", "--data", "data",
                        "--out", WORK, "--fixed-model-name", name], cwd=ROOT, env=env, stdout=log,
                       stderr=subprocess.STDOUT, check=True)
    shutil.rmtree(cache, ignore_errors=True)
    return WORK / f"{name}.tar.gz", time.monotonic() - started


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for {pid}")


def ask(session: requests.Session, url: str, sender: str, text: str) -> list:
    response = session.post(url, json={"sender": sender, "message": text}, timeout=TIMEOUT_S)
    response.raise_for_status()
    return response.json()


def cold_start(url: str, started_at: float) -> float:
    message, expected = COLD_START_PROBE
    with requests.Session() as session:
        while time.monotonic() - started_at < 300:
            try:
                if any(expected in r.get("text", "") for r in ask(session, url, uuid.uuid4().hex, message)):
                    return time.monotonic() - started_at
            except requests.RequestException:
                pass
            time.sleep(0.1)
    raise TimeoutError("no correct reply within 300 s")


def sequential_latencies(url: str, questions: List[str]) -> List[float]:
    latencies = []
    with requests.Session() as session:
        for i in range(SEQUENTIAL_MESSAGES):
            if i % MESSAGES_PER_SENDER == 0:
                sender = uuid.uuid4().hex
            started = time.perf_counter()
            ask(session, url, sender, questions[i % len(questions)])
            latencies.append((time.perf_counter() - started) * 1000)
    return latencies


async def conversations(url: str, questions: List[str], count: int, pause_s: Tuple[float, float],
                        messages: Optional[int] = None, seconds: Optional[float] = None,
                        ) -> Tuple[List[float], Dict[str, Dict[str, int]]]:
    """`count` conversations at once, each sending `messages` messages or for `seconds`; each
    waits for its reply, then pauses for a random time in `pause_s` (reading, clicking a
    suggested question) before its next message. Returns every latency (ms) and, per
    sender, the messages sent, those answered with status 200, and the reply messages."""
    latencies: List[float] = []
    counts: Dict[str, Dict[str, int]] = {}
    pauses = random.Random(42)
    deadline = time.monotonic() + seconds if seconds else None

    async def conversation(session: aiohttp.ClientSession, offset: int) -> None:
        sender = uuid.uuid4().hex
        sent = counts[sender] = {"sent": 0, "ok": 0, "replies": 0}

        def going_on() -> bool:
            return time.monotonic() < deadline if deadline else sent["sent"] < messages

        while going_on():
            await asyncio.sleep(pauses.uniform(*pause_s))
            started = time.perf_counter()
            text = questions[(offset + sent["sent"]) % len(questions)]
            sent["sent"] += 1
            try:
                async with session.post(url, json={"sender": sender, "message": text},
                                        timeout=aiohttp.ClientTimeout(total=TIMEOUT_S)) as response:
                    replies = await response.json()
                    if response.status == 200:
                        sent["ok"] += 1
                        sent["replies"] += len(replies)
            except (aiohttp.ClientError, asyncio.TimeoutError):
                pass
            latencies.append((time.perf_counter() - started) * 1000)

    async with aiohttp.ClientSession() as session:
        await asyncio.gather(*(conversation(session, c * 7) for c in range(count)))
    return latencies, counts


async def concurrent_conversations(url: str, questions: List[str], pause_s: Tuple[float, float]) -> Dict[str, float]:
    """CONVERSATIONS conversations of MESSAGES_PER_CONVERSATION messages at once."""
    started = time.perf_counter()
    latencies, counts = await conversations(url, questions, CONVERSATIONS, pause_s, messages=MESSAGES_PER_CONVERSATION)
    elapsed = time.perf_counter() - started
    errors = sum(c["sent"] - c["ok"] for c in counts.values())
    return {"msgs_per_s": len(latencies) / elapsed, "p95_ms": percentile(latencies, 95), "errors": errors}


def stock_serving(workdir: Path) -> Dict[str, str]:
    """Environment for scripts/run.sh to serve as Rasa ships: its own SQL tracker store on an
    SQLite file (as Rasa's documentation sets one up) and its own REST channel."""
    endpoints, credentials = workdir / "stock_endpoints.yml", workdir / "stock_credentials.yml"
    endpoints.write_text("action_endpoint:\n  url: ${CART_ACTION_ENDPOINT_URL}\n"
                         f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {workdir / 'conversations.db'}\n")
    credentials.write_text("rest:\n")
    return {"CART_ENDPOINTS": str(endpoints), "CART_CREDENTIALS": str(credentials)}


def measure(name: str, config: Path, questions: List[str], stock: bool) -> tuple[Dict[str, float], Report]:
    say(f"{name}: training with {config.name} (empty cache)...")
    model, train_s = train(name, config)
    say(f"{name}: trained in {train_s:.0f} s; evaluating on the hold-out set...")
    report = evaluate(load_agent(model))
    figures = {"redflag_recall": report.red_flag_recall, "crisis_recall": report.crisis_recall, "train_s": train_s}
    for holdout, result in report.holdouts.items():
        figures[f"{holdout}_right"], figures[f"{holdout}_wrong"] = result.right, result.wrong
    say(f"{name}: " + "; ".join(h.summary() for h in report.holdouts.values()) + "; serving...")
    with tempfile.TemporaryDirectory() as workdir, running_stack(
            Path(workdir), model=model, extra_env=stock_serving(Path(workdir)) if stock else None) as stack:
        figures["cold_start_s"] = cold_start(stack.rest_url, stack.started_at["rasa"])
        say(f"{name}: cold start {figures['cold_start_s']:.1f} s; warming up...")
        with requests.Session() as session:
            for text in questions[:20]:
                ask(session, stack.rest_url, "warm-up", text)
        figures["rss_mb"] = rss_mb(stack.rasa_pid)
        say(f"{name}: {SEQUENTIAL_MESSAGES} sequential messages...")
        latencies = sequential_latencies(stack.rest_url, questions)
        figures.update(p50_ms=percentile(latencies, 50), p95_ms=percentile(latencies, 95),
                       p99_ms=percentile(latencies, 99))
        say(f"{name}: {CONVERSATIONS} concurrent conversations x {MESSAGES_PER_CONVERSATION} messages...")
        paced = asyncio.run(concurrent_conversations(stack.rest_url, questions, PAUSE_S))
        figures.update({f"concurrent_{key}": value for key, value in paced.items()})
        say(f"{name}: the same without pauses (capacity)...")
        flat_out = asyncio.run(concurrent_conversations(stack.rest_url, questions, (0, 0)))
        figures.update({f"capacity_{key}": value for key, value in flat_out.items()})
    return figures, report


def table(results: Dict[str, Dict[str, float]]) -> str:
    if "baseline" not in results:
        lines = ["| figure | project |", "|---|---:|"]
        lines += [f"| {label} | {fmt.format(results['project'][key])} |" for key, label, fmt in FIGURES]
        return "\n".join(lines)
    lines = ["| figure | project | baseline | project/baseline |", "|---|---:|---:|---:|"]
    for key, label, fmt in FIGURES:
        project, baseline = results["project"][key], results["baseline"][key]
        ratio = f"{project / baseline:.2f}" if baseline else "-"
        lines.append(f"| {label} | {fmt.format(project)} | {fmt.format(baseline)} | {ratio} |")
    return "\n".join(lines)


# The project's targets (README, "Benchmark"): figure key, limit, "max" or "min".
TARGETS = [("p95_ms", 50, "max"), ("cold_start_s", 20, "max"), ("rss_mb", 1024, "max"), ("train_s", 300, "max"),
           ("concurrent_p95_ms", 250, "max"), ("concurrent_errors", 0, "max"), ("redflag_recall", 1.0, "min"),
           ("crisis_recall", 1.0, "min")]


def targets(project: Dict[str, float]) -> str:
    labels = {key: label for key, label, _ in FIGURES}
    lines = ["| target | project | met |", "|---|---:|---|"]
    for key, limit, kind in TARGETS:
        met = project[key] <= limit if kind == "max" else project[key] >= limit
        lines.append(f"| {labels[key]} {'<=' if kind == 'max' else '>='} {limit} | {project[key]:.4g} | "
                     f"{'yes' if met else 'NO'} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project-only", action="store_true",
                        help="measure the project alone, without training stock Rasa's baseline (which takes "
                             "hours on 2 cores with today's data): the targets, no ratios")
    args = parser.parse_args()
    started = time.monotonic()
    WORK.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(exist_ok=True)
    import rasa

    baseline_config = WORK / "baseline_config.yml"  # what `rasa init` writes: Rasa's defaults
    shutil.copy(Path(rasa.__file__).parent / "cli" / "initial_project" / "config.yml", baseline_config)
    questions = holdout_questions()
    results, reports = {}, {}
    models = [("project", ROOT / "config.yml", False), ("baseline", baseline_config, True)]
    for name, config, stock in models[:1] if args.project_only else models:
        results[name], reports[name] = measure(name, config, questions, stock)

    markdown = table(results) + "\n\n" + targets(results["project"])
    misses = "\n\n".join(f"### Hold-outs: {name}\n\n```\n{r.format()}\n```" for name, r in reports.items())
    (RESULTS / "bench.md").write_text(f"{markdown}\n\n{misses}\n", encoding="utf-8")
    (RESULTS / "bench.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"\n{markdown}\n\nMisses and this table: {RESULTS / 'bench.md'}; figures: {RESULTS / 'bench.json'}")
    say(f"benchmark done in {(time.monotonic() - started) / 60:.1f} min")


if __name__ == "__main__":
    main()
