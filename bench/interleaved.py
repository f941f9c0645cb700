#!/usr/bin/env python3
"""Times commands in interleaved rounds (each round runs every command once, in a shuffled
order), so a machine that gets busier or quieter during the run moves all of them alike.
Prints each command's median wall time and each ratio to the first command with its spread
(the ratio's median and its 10th to 90th percentile over the rounds).
Usage: interleaved.py ROUNDS NAME=COMMAND [NAME=COMMAND ...]   (the first is the reference)
       --json FILE writes the figures too."""
import json
import random
import statistics
import subprocess
import sys
import time

args = sys.argv[1:]
out = None
if args[0] == "--json":
    out, args = args[1], args[2:]
rounds = int(args[0])
commands = [a.split("=", 1) for a in args[1:]]
times = {name: [] for name, _ in commands}
for _ in range(1):  # one warm-up round, not counted
    for _, cmd in commands:
        subprocess.run(cmd, shell=True, check=True, stdout=subprocess.DEVNULL)
for _ in range(rounds):
    order = commands[:]
    random.shuffle(order)
    for name, cmd in order:
        start = time.perf_counter()
        subprocess.run(cmd, shell=True, check=True, stdout=subprocess.DEVNULL)
        times[name].append(time.perf_counter() - start)


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(p * len(values)))]


reference = commands[0][0]
figures = {}
for name, _ in commands:
    ratios = [t / r for t, r in zip(times[name], times[reference])]
    figures[name] = {"median_ms": statistics.median(times[name]) * 1000,
                     "ratio": statistics.median(ratios), "ratio_p10": pct(ratios, 0.1), "ratio_p90": pct(ratios, 0.9)}
    f = figures[name]
    print(f"{name:44s} {f['median_ms']:7.1f} ms   x{f['ratio']:.2f} of {reference} ({f['ratio_p10']:.2f} to {f['ratio_p90']:.2f})")
if out:
    json.dump(figures, open(out, "w"), indent=1)
