#!/usr/bin/env python3
"""Time to first sound, bodo against the floor program (bench/first-sound-floor.c), in
interleaved rounds: process start to the first frames handed to ALSA, as each prints it on
CLOCK_MONOTONIC. Prints both medians and the ratio with its spread (10th to 90th percentile).
Usage: first-sound.py ROUNDS DEVICE BODO FLOOR VOICE RATE PITCH VOLUME WORDGAP PHRASE"""
import os
import random
import re
import statistics
import subprocess
import sys
import time

rounds, device, bodo, floor = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
voice = sys.argv[5:10]
phrase = sys.argv[10]
env = dict(os.environ, BODO_JOURNAL="off")
commands = {"bodo play": [bodo, "play", "--quiet", "--verbose", "--device", device],
            "floor": [floor, device, *voice, phrase]}


def first_sound(args):
    start = time.monotonic_ns()
    proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    first = None
    for line in proc.stderr:
        m = re.search(r"first frames to ALSA at ([\d.]+) ms", line)
        if m:
            first = float(m.group(1)) - start / 1e6
            break
    proc.kill()
    proc.wait()
    if first is None:
        sys.exit(f"{args[0]} never said when its first frames went to ALSA")
    return first


times = {name: [] for name in commands}
for name in commands:  # warm-up
    first_sound(commands[name])
for _ in range(rounds):
    names = list(commands)
    random.shuffle(names)
    for name in names:
        times[name].append(first_sound(commands[name]))
ratios = sorted(b / f for b, f in zip(times["bodo play"], times["floor"]))
p = lambda q: ratios[min(len(ratios) - 1, int(q * len(ratios)))]
print(f"first sound on '{device}': bodo {statistics.median(times['bodo play']):.1f} ms, floor {statistics.median(times['floor']):.1f} ms: "
      f"x{statistics.median(ratios):.2f} ({p(0.1):.2f} to {p(0.9):.2f}) (target <= 1.5x)")
