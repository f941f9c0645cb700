#!/usr/bin/env bash
# bodo's speed and memory against its targets (bench/RESULTS.md has the figures and the targets):
#   1. `bodo export` of the default session vs the peer (espeak-ng + sox processes) and vs
#      espeak-ng alone synthesizing the same distinct phrases in one process (hyperfine);
#   2. peak memory (max RSS) of the default session and of one six times longer;
#   3. two exports with the same options are byte-identical.
# Run through `make bench`, which builds the release binary and installs sox, hyperfine, espeak-ng.
set -euo pipefail
cd "$(dirname "$0")/.."
bodo=.build/release/bodo
out=bench/out
mkdir -p "$out"

# The voice settings of the default profile, for the peer and the reference.
field() { sed -n "s/^$1: *\([^ #]*\).*/\1/p" voices/default.yaml; }
voice="$(field espeak_voice)+$(field variant)"
# espeak-ng is told 155/172 of the profile's rate (EspeakEngine.toldRate): the peer and the
# reference are told the same, so all three speak at one pace.
args=("$voice" "$(( $(field rate) * 155 / 172 ))" "$(field pitch)" "$(field volume)" "$(field word_gap)")

"$bodo" preview --format json > "$out/timeline.json"
python3 - "$out/timeline.json" > "$out/phrases.txt" <<'PY'
import json, sys
seen = []
for cue in json.load(open(sys.argv[1]))["cues"]:
    if cue["kind"] == "speech" and cue["text"] not in seen:
        seen.append(cue["text"])
print("\n".join(seen))
PY
gcc -O2 -o "$out/espeak-reference" bench/espeak-reference.c $(pkg-config --cflags --libs espeak-ng)

echo "== speed: $(wc -l < "$out/phrases.txt") distinct phrases, $(python3 -c "import json;t=json.load(open('$out/timeline.json'));print(sum(c['kind']=='speech' for c in t['cues']),'spoken cues,',len(t['cues']),'cues,',round(t['totalSamples']/t['sampleRate'],1),'s')")"
hyperfine --warmup 1 --runs 7 --export-json "$out/speed.json" --export-markdown "$out/speed.md" \
    -n "bodo export" "$bodo export -q $out/bodo.wav" \
    -n "espeak-ng in one process (reference)" "$out/espeak-reference ${args[*]} < $out/phrases.txt" \
    -n "peer: espeak-ng + sox processes" "python3 bench/peer.py $out/timeline.json $out/peer.wav ${args[*]}" \
    2>&1 | grep -v "^ *$" || true

python3 - "$out/speed.json" <<'PY'
import json, sys
r = {x["command"]: x["median"] for x in json.load(open(sys.argv[1]))["results"]}
bodo, ref, peer = r["bodo export"], r["espeak-ng in one process (reference)"], r["peer: espeak-ng + sox processes"]
print(f"bodo export median {bodo*1000:.0f} ms; reference {ref*1000:.0f} ms; peer {peer*1000:.0f} ms")
print(f"peer / bodo = {peer/bodo:.1f}x (target >= 15x): {'ok' if peer/bodo >= 15 else 'MISSED'}")
print(f"bodo / reference = {bodo/ref:.2f}x (bench/spread.sh has it per core count, against its targets)")
PY

echo "== memory (max RSS, 5 runs each, median)"
python3 bench/six-times.py scripts/back.yaml > "$out/back-x6.yaml"
rss() { for _ in 1 2 3 4 5; do /usr/bin/time -f "%M" "$@" 2>&1 >/dev/null | tail -1; done | sort -n | sed -n 3p; }
base=$(rss "$bodo" export -q "$out/m1.wav")
long=$(rss "$bodo" export -q "$out/m6.wav" --script "$out/back-x6.yaml")
echo "default session ($(soxi -d "$out/m1.wav")): ${base} KB; six times longer ($(soxi -d "$out/m6.wav")): ${long} KB"
python3 -c "b,l=$base,$long; print(f'peak {b/1024:.1f} MB (target <= 25 MB): {\"ok\" if b <= 25*1024 else \"MISSED\"}; longer/default = {l/b:.3f} (target <= 1.10): {\"ok\" if l <= 1.1*b else \"MISSED\"}')"

echo "== determinism"
"$bodo" export -q "$out/a.wav" && "$bodo" export -q "$out/b.wav"
cmp "$out/a.wav" "$out/b.wav" && echo "two exports are byte-identical: ok ($(stat -c %s "$out/a.wav") bytes)"

echo "== time to first sound against the floor (bench/first-sound-floor.c), device null"
gcc -O2 -o "$out/first-sound-floor" bench/first-sound-floor.c $(pkg-config --cflags --libs espeak-ng alsa)
python3 bench/first-sound.py 15 null "$bodo" "$out/first-sound-floor" "${args[@]}" "$(head -1 "$out/phrases.txt")"

bench/spread.sh 12

echo "== the session page: time against its MP3 export, size, and memory 16 times longer"
bench/page.sh

echo "== each format against its encoder alone"
bench/formats.sh
