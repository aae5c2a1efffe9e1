#!/usr/bin/env python3
"""NLU measurements for Seniorveiviser (intent classification).

Run from the repository root with the Rasa environment, e.g.

    PYTHONPATH=. .venv/rasa/bin/python bench/nlu_eval.py all

Sub-commands (all write a JSON summary to --out-dir, default var/nlu-eval):

  train      train the full NLU model (config.yml, data/nlu), record the time
  holdout    stratified 80/20 split of data/nlu (``rasa data split nlu``), train
             on 80 %, report per-intent precision/recall on the 20 %
  eval       with a trained model (--model, default: the one `train` made):
               * xsid_no_test.yml: share out_of_scope/nlu_fallback, # emergency,
                 confusion into other intents
               * dev_cases.yml intent checks (explicit `intent`/`not_intent`
                 and the expected intent per category, see EXPECTED below)
               * bench/nlu_probe.yml: fresh emergency / calm messages that are
                 in no training file (safety probe)
               * parse latency (ms per message, in-process Agent.parse_message)
  all        train + holdout + eval

Every figure is reported twice where it matters: with the EmergencyGuard
(what the model returns) and without it (the classifier's own intent, with the
FallbackClassifier threshold re-applied), so the guard's effect is visible.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("SENIORVEIVISER_SHARED", "/work/shared"))
RASA = os.environ.get("RASA_BIN", str(ROOT / ".venv" / "rasa" / "bin" / "rasa"))
XSID_TEST = SHARED / "eval/external/xsid_no_test.yml"
DEV = SHARED / "eval/dev_cases.yml"
PROBE = ROOT / "bench/nlu_probe.yml"

# Expected intent per dev case where the case itself only checks replies.
EXPECTED = {
    "svc": "ask_service",
    "dist": "ask_service",
    "typo": "ask_service",
    "need": "describe_need",
    "emg": "emergency",
    "hand": "request_human",
    "oos": "out_of_scope",
    "nn-01": "ask_service",
    "nn-02": "ask_service",
    "nn-03": "describe_need",
    "nn-04": "emergency",
    "en-01": "ask_service",
    "en-02": "ask_service",
    "en-03": "describe_need",
    "en-04": "emergency",
    "calm-01": "describe_need",
    "calm-02": "ask_service",
}
FALLBACK_OK = {"out_of_scope": {"out_of_scope", "nlu_fallback"}}


def env() -> dict:
    e = dict(os.environ)
    e["PYTHONPATH"] = str(ROOT) + os.pathsep + e.get("PYTHONPATH", "")
    return e


def fallback_threshold(config: Path) -> float:
    cfg = yaml.safe_load(config.read_text("utf-8"))
    for comp in cfg.get("pipeline", []):
        if comp.get("name") == "FallbackClassifier":
            return float(comp.get("threshold", 0.3))
    return 0.0


def train(config: Path, nlu: Path, out: Path, name: str) -> tuple[Path, float]:
    out.mkdir(parents=True, exist_ok=True)
    cmd = [
        RASA,
        "train",
        "nlu",
        "--config",
        str(config),
        "--nlu",
        str(nlu),
        "--out",
        str(out),
        "--fixed-model-name",
        name,
    ]
    started = time.perf_counter()
    log = out / f"{name}.train.log"
    with log.open("w") as fh:
        subprocess.run(cmd, cwd=ROOT, env=env(), check=True, stdout=fh, stderr=subprocess.STDOUT)
    return out / f"{name}.tar.gz", time.perf_counter() - started


class Parser:
    def __init__(self, model: Path, threshold: float):
        logging.getLogger().setLevel(logging.WARNING)
        from rasa.core.agent import Agent  # imported late: slow

        self.agent = Agent.load(str(model))
        try:  # rasa logs every parse at debug level through structlog
            import structlog

            structlog.configure(
                wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING)
            )
        except Exception:  # pragma: no cover
            pass
        self.loop = asyncio.new_event_loop()
        self.threshold = threshold
        self.log: list = []

    def parse(self, text: str) -> dict:
        return self.loop.run_until_complete(self.agent.parse_message(text))

    def raw(self, p: dict) -> tuple[str, float, bool]:
        """(classifier top intent, its confidence, guard fired) from a parse."""
        guard = p.get("emergency_signal") or {}
        ci = guard.get("classifier_intent") or {}
        if ci.get("name"):
            top, conf = ci["name"], ci.get("confidence") or 0.0
        else:
            rank = [r for r in p.get("intent_ranking", []) if r["name"] != "nlu_fallback"]
            top, conf = (
                (rank[0]["name"], rank[0]["confidence"]) if rank else (p["intent"]["name"], 0.0)
            )
        return top, float(conf), bool(guard.get("forced"))

    def both(self, text: str) -> tuple[str, str, dict]:
        """(intent with guard, intent without guard, parse)."""
        p = self.parse(text)
        self.log.append((text, self.raw(p)))
        with_guard = p["intent"]["name"]
        guard = p.get("emergency_signal") or {}
        if guard.get("forced"):
            ci = guard.get("classifier_intent") or {}
            conf = ci.get("confidence") or 0.0
            without = ci.get("name") if conf >= self.threshold else "nlu_fallback"
        else:
            without = with_guard
        return with_guard, without, p


def load_nlu_yaml(path: Path) -> list[tuple[str, str]]:
    out = []
    files = sorted(path.glob("*.yml")) if path.is_dir() else [path]
    for f in files:
        for block in (yaml.safe_load(f.read_text("utf-8")) or {}).get("nlu", []):
            if "intent" not in block:
                continue
            for line in block["examples"].splitlines():
                line = line.strip()
                if line.startswith("- "):
                    out.append((line[2:].strip(), block["intent"]))
    return out


def prf(pairs: list[tuple[str, str]]) -> dict:
    """pairs of (gold, predicted) -> per-intent precision/recall/f1/support."""
    labels = sorted({g for g, _ in pairs})
    res = {}
    for lab in labels:
        tp = sum(1 for g, p in pairs if g == lab and p in FALLBACK_OK.get(lab, {lab}))
        fp = sum(1 for g, p in pairs if g != lab and p == lab)
        fn = sum(1 for g, p in pairs if g == lab and p not in FALLBACK_OK.get(lab, {lab}))
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        res[lab] = {
            "precision": round(prec, 3),
            "recall": round(rec, 3),
            "f1": round(2 * prec * rec / (prec + rec), 3) if prec + rec else 0.0,
            "support": tp + fn,
        }
    acc = sum(1 for g, p in pairs if p in FALLBACK_OK.get(g, {g})) / max(len(pairs), 1)
    return {"accuracy": round(acc, 4), "per_intent": res}


def sweep(
    raw: list[tuple[str, tuple[str, float, bool]]],
    gold: list[str],
    thresholds=(0.3, 0.4, 0.5, 0.6, 0.7, 0.8),
) -> dict:
    """Accuracy per FallbackClassifier threshold (ambiguity threshold ignored)."""
    out = {}
    for t in thresholds:
        ok = 0
        for (_, (top, conf, fired)), g in zip(raw, gold, strict=False):
            pred = "emergency" if fired else (top if conf >= t else "nlu_fallback")
            ok += pred in FALLBACK_OK.get(g, {g})
        out[str(t)] = round(ok / max(len(gold), 1), 4)
    return out


def eval_pairs(parser: Parser, items: list[tuple[str, str]]) -> dict:
    with_g, without_g, errors = [], [], []
    for text, gold in items:
        a, b, p = parser.both(text)
        with_g.append((gold, a))
        without_g.append((gold, b))
        if a not in FALLBACK_OK.get(gold, {gold}):
            errors.append(
                {
                    "text": text,
                    "gold": gold,
                    "pred": a,
                    "confidence": round(p["intent"].get("confidence") or 0.0, 3),
                }
            )
    raw = parser.log[-len(items) :]
    return {
        "with_guard": prf(with_g),
        "without_guard": prf(without_g),
        "errors": errors,
        "threshold_sweep": sweep(raw, [g for _, g in items]),
    }


def cmd_holdout(args) -> dict:
    split_dir = args.out_dir / "split"
    shutil.rmtree(split_dir, ignore_errors=True)
    subprocess.run(
        [
            RASA,
            "data",
            "split",
            "nlu",
            "-u",
            str(ROOT / "data/nlu"),
            "--training-fraction",
            str(1 - args.test_fraction),
            "--random-seed",
            str(args.seed),
            "--out",
            str(split_dir),
        ],
        cwd=ROOT,
        env=env(),
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    train_file = next(split_dir.glob("training_data*.yml"))
    test_file = next(split_dir.glob("test_data*.yml"))
    existing = args.out_dir / "models/holdout.tar.gz"
    if args.reuse and existing.exists():
        model, secs = existing, float("nan")
    else:
        model, secs = train(args.config, train_file, args.out_dir / "models", "holdout")
    parser = Parser(model, fallback_threshold(args.config))
    res = eval_pairs(parser, load_nlu_yaml(test_file))
    res["train_seconds"] = round(secs, 1)
    res["test_file"] = str(test_file)
    return res


def eval_xsid(parser: Parser) -> dict:
    cases = yaml.safe_load(XSID_TEST.read_text("utf-8"))["cases"]
    out = {}
    for key in ("with_guard", "without_guard"):
        out[key] = Counter()
    examples = defaultdict(list)
    for c in cases:
        a, b, _p = parser.both(c["text"])
        out["with_guard"][a] += 1
        out["without_guard"][b] += 1
        if a not in ("out_of_scope", "nlu_fallback") and len(examples[a]) < 15:
            examples[a].append(c["text"])
    n = len(cases)
    summary = {"threshold_sweep": sweep(parser.log[-n:], ["out_of_scope"] * n)}
    for key, cnt in out.items():
        ok = cnt["out_of_scope"] + cnt["nlu_fallback"]
        summary[key] = {
            "n": n,
            "oos_or_fallback": ok,
            "share": round(ok / n, 4),
            "emergency": cnt["emergency"],
            "by_intent": dict(cnt.most_common()),
        }
    summary["examples_not_oos"] = dict(examples)
    return summary


def eval_dev(parser: Parser) -> dict:
    cases = yaml.safe_load(DEV.read_text("utf-8"))["cases"]
    rows, fails = [], []
    for c in cases:
        a, b, p = parser.both(c["text"])
        expect = c.get("expect", {})
        want = expect.get("intent") or EXPECTED.get(c["id"]) or EXPECTED.get(c["id"].split("-")[0])
        problems = []
        if want and a not in FALLBACK_OK.get(want, {want}):
            problems.append(f"intent {a} != {want}")
        if expect.get("not_intent") and a == expect["not_intent"]:
            problems.append(f"intent {a} is forbidden")
        rows.append(
            {
                "id": c["id"],
                "intent": a,
                "without_guard": b,
                "confidence": round(p["intent"].get("confidence") or 0.0, 3),
            }
        )
        if problems:
            fails.append(
                {
                    "id": c["id"],
                    "text": c["text"],
                    "problems": problems,
                    "ranking": [
                        (r["name"], round(r["confidence"], 3))
                        for r in p.get("intent_ranking", [])[:3]
                    ],
                }
            )
    return {"n": len(cases), "passed": len(cases) - len(fails), "failures": fails, "rows": rows}


def eval_probe(parser: Parser) -> dict:
    if not PROBE.exists():
        return {}
    items = load_nlu_yaml(PROBE)
    return eval_pairs(parser, items)


def eval_latency(parser: Parser, n: int = 300) -> dict:
    cases = yaml.safe_load(XSID_TEST.read_text("utf-8"))["cases"][:n]
    dev = [c["text"] for c in yaml.safe_load(DEV.read_text("utf-8"))["cases"]]
    texts = [c["text"] for c in cases] + dev
    for t in texts[:20]:
        parser.parse(t)  # warm-up
    times = []
    cpu0 = time.process_time()
    for t in texts:
        s = time.perf_counter()
        parser.parse(t)
        times.append((time.perf_counter() - s) * 1000)
    cpu = (time.process_time() - cpu0) * 1000 / len(texts)
    times.sort()
    return {
        "n": len(times),
        "ms_p50": round(statistics.median(times), 2),
        "ms_p95": round(times[int(0.95 * (len(times) - 1))], 2),
        "ms_mean": round(statistics.mean(times), 2),
        "cpu_ms_mean": round(cpu, 2),
    }


def cmd_eval(args, model: Path) -> dict:
    parser = Parser(model, fallback_threshold(args.config))
    return {
        "model": str(model),
        "xsid_test": eval_xsid(parser),
        "dev": eval_dev(parser),
        "probe": eval_probe(parser),
        "latency": eval_latency(parser),
    }


def print_report(res: dict) -> None:
    if "train" in res:
        print(f"\n== full training: {res['train']['seconds']:.0f} s ({res['train']['model']})")
    if "holdout" in res:
        h = res["holdout"]
        print(f"\n== held-out 20 % of data/nlu (trained on 80 % in {h['train_seconds']:.0f} s)")
        for key in ("with_guard", "without_guard"):
            print(f"  {key}: accuracy {h[key]['accuracy']:.3f}")
        print(f"  {'intent':18s} {'P':>6s} {'R':>6s} {'F1':>6s} {'n':>5s}   (R without guard)")
        for lab, m in h["with_guard"]["per_intent"].items():
            r0 = h["without_guard"]["per_intent"][lab]["recall"]
            print(
                f"  {lab:18s} {m['precision']:6.3f} {m['recall']:6.3f} {m['f1']:6.3f}"
                f" {m['support']:5d}   ({r0:.3f})"
            )
        print("  accuracy by fallback threshold:", h["threshold_sweep"])
        for e in h["errors"]:
            print(f"    ERR {e['gold']:>16s} -> {e['pred']:16s} {e['confidence']:.2f}  {e['text']}")
    if "eval" in res:
        ev = res["eval"]
        x = ev["xsid_test"]
        for key in ("with_guard", "without_guard"):
            s = x[key]
            print(
                f"\n== xsid_no_test ({key}): {s['oos_or_fallback']}/{s['n']} = "
                f"{100 * s['share']:.2f} % "
                f"out_of_scope/nlu_fallback, emergency: {s['emergency']}"
            )
            print("   by intent:", s["by_intent"])
        print("   oos/fallback share by fallback threshold:", x["threshold_sweep"])
        for lab, exs in x["examples_not_oos"].items():
            print(f"   {lab}: {exs[:8]}")
        d = ev["dev"]
        print(f"\n== dev_cases intent checks: {d['passed']}/{d['n']}")
        for f in d["failures"]:
            print(f"   FAIL {f['id']}: {f['text']!r} {f['problems']} {f['ranking']}")
        if ev.get("probe"):
            p = ev["probe"]
            print("\n== probe set (bench/nlu_probe.yml, in no training file)")
            for key in ("with_guard", "without_guard"):
                pi = p[key]["per_intent"]
                em = pi.get("emergency", {})
                print(
                    f"  {key}: accuracy {p[key]['accuracy']:.3f}; emergency P {em.get('precision')}"
                    f" R {em.get('recall')} (n={em.get('support')})"
                )
            for e in p["errors"]:
                print(
                    f"    ERR {e['gold']:>16s} -> {e['pred']:16s} {e['confidence']:.2f}"
                    f"  {e['text']}"
                )
        lat = ev["latency"]
        print(
            f"\n== parse latency (in-process, n={lat['n']}): p50 {lat['ms_p50']} ms, "
            f"p95 {lat['ms_p95']} ms, "
            f"mean {lat['ms_mean']} ms, CPU {lat['cpu_ms_mean']} ms/parse"
        )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("command", choices=["train", "holdout", "eval", "all"])
    ap.add_argument("--config", type=Path, default=ROOT / "config.yml")
    ap.add_argument("--model", type=Path, help="model for `eval` (default: the one `train` wrote)")
    ap.add_argument("--out-dir", type=Path, default=ROOT / "var/nlu-eval")
    ap.add_argument("--test-fraction", type=float, default=0.2)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--reuse", action="store_true", help="holdout: reuse an existing holdout model")
    args = ap.parse_args()
    args.out_dir.mkdir(parents=True, exist_ok=True)
    res: dict = {}
    model = args.model or args.out_dir / "models/full.tar.gz"
    if args.command in ("train", "all"):
        model, secs = train(args.config, ROOT / "data/nlu", args.out_dir / "models", "full")
        res["train"] = {"model": str(model), "seconds": round(secs, 1)}
    if args.command in ("holdout", "all"):
        res["holdout"] = cmd_holdout(args)
    if args.command in ("eval", "all"):
        res["eval"] = cmd_eval(args, model)
    (args.out_dir / f"{args.command}.json").write_text(
        json.dumps(res, ensure_ascii=False, indent=1), "utf-8"
    )
    print_report(res)
    return 0


if __name__ == "__main__":
    sys.exit(main())
