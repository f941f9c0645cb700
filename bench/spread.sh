#!/usr/bin/env bash
# Export speed against the one-process floor (bench/espeak-reference.c: espeak-ng alone on the
# session's distinct phrases, in one process), in interleaved rounds (bench/interleaved.py):
#   - with one core (`taskset -c 0` for both) and with every core;
#   - with 1, 2, 4, 8 and 16 synthesis workers on this machine (more workers than cores shows
#     what the fixed plan allows, not what 16 cores would give: see bench/RESULTS.md);
#   - every one of those exports byte-identical.
# Needs `make build`. Usage: bench/spread.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-15}
bodo=$PWD/.build/release/bodo
out=$PWD/bench/out/spread
mkdir -p "$out"
field() { sed -n "s/^$1: *\([^ #]*\).*/\1/p" voices/default.yaml; }
# espeak-ng is told 155/172 of the profile's rate (EspeakEngine.toldRate), so the floor is too.
told=$(( $(field rate) * 155 / 172 ))
args="$(field espeak_voice)+$(field variant) $told $(field pitch) $(field volume) $(field word_gap)"
"$bodo" preview --format json > "$out/timeline.json"
python3 -c '
import json, sys
seen = []
for cue in json.load(open(sys.argv[1]))["cues"]:
    if cue["kind"] == "speech" and cue["text"] not in seen: seen.append(cue["text"])
print("\n".join(seen))' "$out/timeline.json" > "$out/phrases.txt"
gcc -O2 -o "$out/espeak-reference" bench/espeak-reference.c $(pkg-config --cflags --libs espeak-ng)
floor="$out/espeak-reference $args < $out/phrases.txt"
cores=$(nproc)

echo "== export .wav against the one-process floor, one core ($rounds interleaved rounds)"
python3 bench/interleaved.py --json "$out/one-core.json" "$rounds" \
    "floor, one core=taskset -c 0 $floor" "bodo export, one core=taskset -c 0 $bodo export -q $out/one-core.wav"
echo "== the same with all $cores cores"
python3 bench/interleaved.py --json "$out/all-cores.json" "$rounds" \
    "floor (one process)=$floor" "bodo export, $cores workers=$bodo export -q $out/all-cores.wav"
echo "== worker counts on $cores cores"
sweep=("floor (one process)=$floor")
for w in 1 2 4 8 16; do sweep+=("bodo, $w workers=BODO_SYNTHESIS_WORKERS=$w $bodo export -q $out/w$w.wav"); done
python3 bench/interleaved.py --json "$out/workers.json" "$rounds" "${sweep[@]}"
for w in 1 2 4 8 16; do BODO_SYNTHESIS_WORKERS=$w "$bodo" export -q "$out/w$w.wav"; done
for f in "$out"/one-core.wav "$out"/w*.wav; do cmp "$out/all-cores.wav" "$f"; done
echo "byte-identical: one core, all cores, and 1, 2, 4, 8, 16 workers ($(stat -c %s "$out/all-cores.wav") bytes)"
