#!/usr/bin/env bash
# Playback on a busy machine (issue 18): the session played through a PulseAudio null sink in
# real time with BUSY processes per core spinning beside it (default 4, as `stress --cpu`), the
# null sink's monitor recorded, and every gap found by comparing the recording with the export
# of the same session: each cue's first samples are looked up in the recording, and a cue that
# is heard later than the one before it (against the timeline) has a gap before it.
# Prints the gaps (where, how long), the total, and what bodo said about underruns.
#   bench/load.sh [BUSY] [session options...]   (after `make build`; the default session takes
#   its own length, about 14 minutes; `bench/load.sh 4 --script x.yaml` for less). Options for
#   `play` alone go in PLAY, e.g. PLAY="--latency 40" bench/load.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bodo=$PWD/.build/release/bodo
busy=${1:-4}
shift || true
out=$(mktemp -d)
export BODO_JOURNAL=off

source bench/pulse-server.sh <<EOT
load-module module-null-sink sink_name=null rate=22050 channels=1 format=s16le norewinds=1
set-default-sink null
EOT

"$bodo" export -q "$out/export.wav" "$@"
"$bodo" preview --format json "$@" > "$out/timeline.json"

spinners=()
for _ in $(seq $(( busy * $(nproc) ))); do
    sh -c 'while :; do :; done' & spinners+=($!)
done
parecord -d null.monitor --rate=22050 --channels=1 --format=s16le --latency-msec=20 --file-format=wav "$out/recording.wav" &
recorder=$!
trap 'kill ${spinners[*]} $recorder $server 2>/dev/null; rm -rf "$pa" "$out"' EXIT
sleep 0.5
echo "== bodo $(git describe --always --dirty) play ${PLAY:-} $*, beside $(( busy * $(nproc) )) busy processes on $(nproc) cores"
"$bodo" play --verbose ${PLAY:-} "$@" 2> "$out/stderr" || { cat "$out/stderr"; exit 1; }
sleep 0.5
kill -TERM $recorder; wait $recorder 2>/dev/null || true
kill ${spinners[*]} 2>/dev/null || true
grep -E "underrun|ran out|real-time|device '" "$out/stderr" || true

python3 - "$out" <<'PY'
import json, sys, wave
out = sys.argv[1]
def samples(path):
    with wave.open(path) as w:
        return w.readframes(w.getnframes()), w.getframerate()
export, rate = samples(f"{out}/export.wav")
recording, _ = samples(f"{out}/recording.wav")
cues = json.load(open(f"{out}/timeline.json"))["cues"]
window = 128
shift, previous, gaps, found = None, 0, [], 0
for cue in cues:
    # The cue's first samples from its first sound on (a clip may begin with a quiet sample).
    start = cue["start"]
    while start < cue["start"] + 2000 and export[2 * start: 2 * start + 2] == b"\0\0":
        start += 1
    piece = export[2 * start: 2 * (start + window)]
    if len(piece) < 2 * window or piece.count(0) > len(piece) // 2:
        continue
    near = 0 if shift is None else 2 * (start + shift)
    at = recording.find(piece, max(0, near - 2 * rate // 2))
    if at < 0 or at % 2:
        continue
    found += 1
    now = at // 2 - start
    if shift is not None and now != shift:
        gaps.append((start, now - shift))
    shift = now
for start, length in gaps:
    print(f"gap before {start // rate // 60}:{start // rate % 60:02d}: {length * 1000 / rate:+.1f} ms")
print(f"{found} of {len(cues)} cues found in the recording; {len(gaps)} gaps, "
      f"{sum(l for _, l in gaps) * 1000 / rate:.1f} ms in all")
assert found > len(cues) // 2, "the recording does not hold the session"
PY
