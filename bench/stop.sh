#!/usr/bin/env bash
# How soon every output stops after a signal (issue 17: within 200 ms of SIGINT, SIGTERM or
# SIGHUP). For each format and the page, starts an export of the default routine with six
# hours of quiet (so no export is over before the signal) with the release binary, sends the
# signal 0.3 s in (while speech is still being made: an Opus export
# waits for all of it before its first sample), and times the exit on one clock. Prints the
# median and the longest of RUNS tries (default 5) per output and signal.
#   bench/stop.sh [RUNS]        (after `make build`)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
bodo=.build/release/bodo
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
python3 - "$bodo" "$out" "$runs" <<'PY'
import os, signal, statistics, subprocess, sys, time
bodo, out, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
env = dict(os.environ, BODO_JOURNAL="off")
for ext in ["opus", "mp3", "flac", "ogg", "wav", "html"]:
    for name in ["SIGINT", "SIGTERM", "SIGHUP"]:
        took = []
        for _ in range(runs):
            target = os.path.join(out, "s." + ext)
            child = subprocess.Popen([bodo, "page" if ext == "html" else "export", target, "-q", "--search", "600s",
                                      "--stretch", "600s", "--release", "600s"], env=env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(0.3)
            sent = time.monotonic()
            child.send_signal(getattr(signal, name))
            status = child.wait()  # blocking waitpid: wait(timeout) polls in 50 ms steps
            took.append((time.monotonic() - sent) * 1000)
            assert status == -getattr(signal, name) or status == 128 + getattr(signal, name), status
        print(f"{ext:5} {name:8} median {statistics.median(took):6.1f} ms, longest {max(took):6.1f} ms")
PY
