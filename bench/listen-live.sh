#!/usr/bin/env bash
# Live listening figures (issue 9, bench/RESULTS.md), through a private PulseAudio server with a
# null sink for bodo's sound and a second one whose monitor is the microphone:
# 1. "found it": a recorded word played into the microphone 2 s into a search, and on the left
#    channel only into the recording beside bodo's sound (module-combine-sink), so the word's
#    onset and the press are timed on one clock (left minus right is the word, right is bodo).
#    Runs the test's measurement 10 times; target: the press within 350 ms of the onset.
# 2. CPU: the full default session played live with --listen (no word is said, so every search
#    lasts --search-max 20s) against the same session without listening (--search 20s), quiet
#    pink noise in the microphone, /usr/bin/time over the whole process. Target: under 2% of
#    the session's length. Takes about 35 minutes.
# Usage: bench/listen-live.sh [--quick]   (--quick: the "found it" figures only)
set -euo pipefail
cd "$(dirname "$0")/.."
.ci/install-debs pulseaudio pulseaudio-utils libasound2-plugins pocketsphinx-testdata >/dev/null
swift build -c release --product bodo >/dev/null
bodo=$PWD/.build/release/bodo
out=$PWD/bench/out
mkdir -p "$out"

source bench/pulse-server.sh <<EOT
load-module module-null-sink sink_name=null rate=22050 channels=2 format=s16le norewinds=1
load-module module-null-sink sink_name=mic rate=16000 channels=1 format=s16le
load-module module-remap-source source_name=room master=mic.monitor
load-module module-combine-sink sink_name=both slaves=null,mic
set-default-sink null
set-default-source room
EOT

echo "== found it: from the word's onset to the press at the device, 10 runs"
python3 - "$bodo" "$pa" "$PWD/Tests/bodoTests/Fixtures/listen.yaml" <<'PY'
import numpy as np, re, statistics, subprocess, sys, time, wave
bodo, pa, script = sys.argv[1:4]
with wave.open("/usr/share/pocketsphinx/test/data/cards/001.wav") as w:
    word = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
with wave.open(f"{pa}/left.wav", "wb") as w:
    w.setnchannels(2); w.setsampwidth(2); w.setframerate(16000)
    w.writeframes(np.stack([word, np.zeros_like(word)], axis=1).astype("<i2").tobytes())
delays = []
for run in range(10):
    rec = subprocess.Popen(["parecord", "-d", "null.monitor", "--rate=22050", "--channels=2", "--format=s16le",
                            "--latency-msec=20", "--file-format=wav", f"{pa}/rec.wav"])
    time.sleep(0.5)
    proc = subprocess.Popen([bodo, "play", "--listen", "--verbose", "--no-journal", "--script", script],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines = []
    for line in proc.stderr:
        lines.append(line)
        if "listening: Point 1" in line:
            break
    time.sleep(2)
    subprocess.run(["paplay", "-d", "both", f"{pa}/left.wav"], check=True)
    lines += proc.stderr.readlines()
    proc.wait(timeout=60)
    time.sleep(0.3)
    rec.terminate(); rec.wait()
    with open(f"{pa}/rec.wav", "rb") as f:
        data = f.read()
    x = np.frombuffer(data[data.index(b"data") + 8:], dtype="<i2")
    x = x[: len(x) // 2 * 2].reshape(-1, 2).astype(np.float64)
    n = len(x) // 220
    frames = x[: n * 220].reshape(n, 220, 2)
    said = np.sqrt(((frames[:, :, 0] - frames[:, :, 1]) ** 2).mean(1))
    own = np.sqrt((frames[:, :, 1] ** 2).mean(1))
    onset = int(np.argmax(said >= said.max() / 10))
    press = onset + int(np.argmax(own[onset:] >= 30))
    delays.append((press - onset) * 10)
    heard = next((l.strip() for l in lines if "heard a" in l), "nothing heard")
    print(f"run {run + 1}: press {delays[-1]} ms after the onset; {heard}")
print(f"median {statistics.median(delays):.0f} ms, max {max(delays)} ms, min {min(delays)} ms (target: within 350 ms)")
PY
[ "${1:-}" = "--quick" ] && exit 0

echo "== CPU of the full default session, quiet pink noise in the microphone"
python3 - "$pa/noise.wav" <<'PY'
import numpy as np, sys, wave
rng = np.random.default_rng(9)
white = rng.standard_normal(16000 * 60)
spectrum = np.fft.rfft(white) / np.sqrt(np.arange(1, len(white) // 2 + 2))
pink = np.fft.irfft(spectrum, len(white))
pink *= 10 ** (-50 / 20) * 32768 / np.sqrt((pink ** 2).mean())
with wave.open(sys.argv[1], "wb") as w:
    w.setnchannels(1); w.setsampwidth(2); w.setframerate(16000)
    w.writeframes(pink.astype("<i2").tobytes())
PY
(while :; do paplay -d mic "$pa/noise.wav"; done) 2>/dev/null &
noise=$!
for mode in listen fixed; do
    if [ $mode = listen ]; then args=(--listen --search-max 20s); else args=(--search 20s --latency 40); fi
    /usr/bin/time -f "%e %U %S %M" -o "$out/listen-live-$mode.txt" \
        "$bodo" play --quiet --no-journal "${args[@]}" < /dev/null 2> "$out/listen-live-$mode.err"
    read -r wall user system rss < "$out/listen-live-$mode.txt"
    python3 -c "import sys; w,u,s=map(float,sys.argv[1:4]); print(f'$mode (${args[*]}): {u+s:.2f} s of CPU ({u:.2f} user + {s:.2f} system) in {w:.1f} s: {100*(u+s)/w:.2f}%, max RSS $rss KB')" \
        "$wall" "$user" "$system"
done
echo "(target with --listen: under 2%)"
