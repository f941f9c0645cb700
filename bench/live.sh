#!/usr/bin/env bash
# Live playback figures (bench/RESULTS.md): time to first sound, the latency ALSA granted, drift
# and CPU time over the full default session in real time through a PulseAudio null sink, and
# equality of what reaches ALSA with the export. Takes as long as the session (about 12.5 min).
# Usage: bench/live.sh [--quick]   (--quick: first-sound figures only)
set -euo pipefail
cd "$(dirname "$0")/.."
bodo=$PWD/.build/release/bodo
out=$PWD/bench/out
mkdir -p "$out"

# A private PulseAudio server with a null sink at the session's rate, as in the real-time test.
source bench/pulse-server.sh <<EOT
load-module module-null-sink sink_name=null rate=22050 channels=1 format=s16le norewinds=1
set-default-sink null
EOT

echo "== time to first sound (process start to the first frames handed to ALSA) against the floor, 15 rounds each"
field() { sed -n "s/^$1: *\([^ #]*\).*/\1/p" voices/default.yaml; }
voice=("$(field espeak_voice)+$(field variant)" "$(( $(field rate) * 155 / 172 ))" "$(field pitch)" "$(field volume)" "$(field word_gap)")
gcc -O2 -o "$out/first-sound-floor" bench/first-sound-floor.c $(pkg-config --cflags --libs espeak-ng alsa)
first=$("$bodo" preview --format json | python3 -c 'import json,sys; print(next(c["text"] for c in json.load(sys.stdin)["cues"] if c["kind"] == "speech"))')
for device in null default; do
    python3 bench/first-sound.py 15 "$device" "$bodo" "$out/first-sound-floor" "${voice[@]}" "$first"
done
echo "== Ctrl-C: from SIGINT to the process's end (fade and drain included), 10 runs"
python3 - "$bodo" <<'PY'
import signal, statistics, subprocess, sys, time
figures = []
for _ in range(10):
    proc = subprocess.Popen([sys.argv[1], "play", "--quiet"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.5)
    sent = time.monotonic()
    proc.send_signal(signal.SIGINT)
    code = proc.wait()
    figures.append((time.monotonic() - sent) * 1000)
    assert code == 130, code
print(f"median {statistics.median(figures):.1f} ms, max {max(figures):.1f} ms, exit status 130 every time (target: within 100 ms)")
PY
[ "${1:-}" = "--quick" ] && exit 0

echo "== the full default session in real time through the null sink"
parecord -d null.monitor --rate=22050 --channels=1 --format=s16le --latency-msec=20 --file-format=wav "$out/live-recording.wav" &
recorder=$!
sleep 1
/usr/bin/time -f "%e s wall, %U s user, %S s system, %M KB max RSS" -o "$out/live-time.txt" \
    "$bodo" play --quiet --verbose 2> "$out/live-verbose.txt" < /dev/null
sleep 0.5; kill $recorder; wait $recorder 2>/dev/null || true
cat "$out/live-verbose.txt" "$out/live-time.txt"
python3 - "$out/live-time.txt" "$("$bodo" preview | tail -1)" <<'PY'
import re, sys
wall, user, system = (float(x) for x in re.findall(r"([\d.]+) s", open(sys.argv[1]).read())[:3])
total = int(re.search(r"\((\d+) samples", sys.argv[2]).group(1)) / 22050
print(f"CPU {user + system:.2f} s for a {total:.1f} s session: {100 * (user + system) / total:.2f}% (target < 1%)")
PY

echo "== what reaches ALSA equals the export"
rm -f "$out/live-file.wav"  # bodo never opens a file device over an existing file
"$bodo" play --quiet --device "file:'$out/live-file.wav',wav" < /dev/null
"$bodo" export -q "$out/export.wav"
python3 - "$out/live-file.wav" "$out/export.wav" <<'PY'
import sys, wave
a = wave.open(sys.argv[1]).readframes(10**9); b = wave.open(sys.argv[2]).readframes(10**9)
print(f"file: device {len(a)//2} frames, export {len(b)//2} frames; first {len(b)//2} equal: {a[:len(b)] == b}; the rest silent: {set(a[len(b):]) <= {0}}")
PY
