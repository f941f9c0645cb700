#!/usr/bin/env python3
"""The session as a user would render it today without bodo: one `espeak-ng -w` process per
spoken cue, `sox` for every silence and for the tick, and one `sox` to join the pieces.
Driven by `bodo preview --format json`, so both render the same session.
Usage: peer.py TIMELINE.json OUT.wav VOICE RATE PITCH VOLUME WORDGAP"""
import json
import os
import subprocess
import sys
import tempfile

timeline_path, out, voice, rate, pitch, volume, gap = sys.argv[1:8]
timeline = json.load(open(timeline_path))
rate_hz = timeline["sampleRate"]
work = tempfile.mkdtemp(prefix="bodo-peer-")
pieces = []


def silence(samples):
    if samples <= 0:
        return
    path = os.path.join(work, f"{len(pieces):05d}.wav")
    # The rate goes before -n, on the null input: `trim` counts samples at the input's rate,
    # which is 48 kHz unless said (the silences came out 2.2 times too short).
    subprocess.run(["sox", "-r", str(rate_hz), "-c", "1", "-n", "-b", "16", path, "trim", "0", f"{samples}s"], check=True)
    pieces.append(path)


tick = os.path.join(work, "tick.wav")
subprocess.run(["sox", "-n", "-r", str(rate_hz), "-c", "1", "-b", "16", tick,
                "synth", "0.03", "sine", "2000", "fade", "0", "0.03", "0.025", "vol", "0.5"], check=True)

cursor = 0
for cue in timeline["cues"]:
    silence(cue["start"] - cursor)
    if cue["kind"] == "tick":
        pieces.append(tick)
    else:
        path = os.path.join(work, f"{len(pieces):05d}.wav")
        subprocess.run(["espeak-ng", "-v", voice, "-s", rate, "-p", pitch, "-a", volume, "-g", gap,
                        "-w", path, cue["text"]], check=True)
        pieces.append(path)
    cursor = cue["start"] + cue["length"]
silence(timeline["totalSamples"] - cursor)
subprocess.run(["sox", *pieces, out], check=True)
subprocess.run(["rm", "-rf", work], check=True)
