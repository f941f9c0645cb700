#!/usr/bin/env bash
# The session page against the export of its audio (issue 10): `bodo page` (synthesis,
# levelling, MP3 encoding, the page around it) at most 1.2x `bodo export x.mp3`, and the page
# about the size of that MP3, and flat in memory. Figures in bench/RESULTS.md. Needs `make build`.
set -euo pipefail
cd "$(dirname "$0")/.."
.ci/install-debs hyperfine
bodo=.build/release/bodo
out=bench/out/page
mkdir -p "$out"
hyperfine --warmup 1 --runs 7 --export-json "$out/page.json" \
    -n "bodo page" "$bodo page -q $out/session.html" -n "bodo export .mp3" "$bodo export -q $out/session.mp3" >/dev/null
python3 - "$out" <<'PY'
import json, os, sys
out = sys.argv[1]
r = [x["median"] for x in json.load(open(out + "/page.json"))["results"]]
page, mp3 = os.path.getsize(out + "/session.html"), os.path.getsize(out + "/session.mp3")
print(f"page {r[0]*1000:.0f} ms, MP3 export {r[1]*1000:.0f} ms: {r[0]/r[1]:.2f}x (target <= 1.2x)")
print(f"page {page:,} bytes, MP3 {mp3:,} bytes: {page/mp3:.2f}x (base64 alone is 1.33x)")
PY
# Flat in memory (issue 20): the page of a session 16 times the default one within 1.2x of the
# default page's peak RSS (the audio goes into the page block by block, never whole).
python3 bench/six-times.py scripts/back.yaml 16 > "$out/back-x16.yaml"
peak() { /usr/bin/time -f %M "$bodo" page -q "$@" "$out/memory.html" 2>&1 >/dev/null | tail -1; }
one=$(peak) sixteen=$(peak --script "$out/back-x16.yaml")
python3 -c "import sys; a, b = int(sys.argv[1]), int(sys.argv[2]); print(f'page peak RSS: default {a:,} KB, 16x {b:,} KB: x{b/a:.3f} (target <= 1.2x)')" "$one" "$sixteen"
