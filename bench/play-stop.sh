#!/usr/bin/env bash
# How soon `bodo play` stops after Ctrl-C (issue 18: within 100 ms), through a PulseAudio null
# sink, for each output buffer in LATENCIES (default: 40, bodo's default, and 80, what a
# buffer grows to after an underrun). The signal comes 2.5 s in; the exit is timed with a
# blocking waitpid. Prints the median and longest of RUNS tries (default 7).
#   bench/play-stop.sh [RUNS]     (after `make build`)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/pulse-server.sh <<EOT
load-module module-null-sink sink_name=null rate=22050 channels=1 format=s16le norewinds=1
set-default-sink null
EOT
python3 - .build/release/bodo "${1:-7}" ${LATENCIES:-40 80} <<'PY'
import os, signal, statistics, subprocess, sys, time
bodo, runs, latencies = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
env = dict(os.environ, BODO_JOURNAL="off")
for latency in latencies:
    took = []
    for _ in range(runs):
        child = subprocess.Popen([bodo, "play", "-q", "--latency", latency], env=env,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(2.5)
        sent = time.monotonic()
        child.send_signal(signal.SIGINT)
        status = child.wait()
        took.append((time.monotonic() - sent) * 1000)
        assert status == 130, status
    print(f"--latency {latency:>3}: median {statistics.median(took):6.1f} ms, longest {max(took):6.1f} ms")
PY
