#!/usr/bin/env bash
# Soak: a session of over an hour, exported and played to ALSA's file device; checks that the
# output is complete (the played samples equal the export's) and that peak memory (max RSS) stays
# that of the default session. Figures in bench/RESULTS.md. Needs `make build` first.
set -euo pipefail
cd "$(dirname "$0")/.."
bodo=.build/release/bodo
out=bench/out
mkdir -p "$out"
long=(--search 150s --stretch 240s --release 20s)
rss() { /usr/bin/time -f "%M" "$@" 2>&1 >/dev/null | tail -1; }
echo "session: $("$bodo" preview "${long[@]}" | tail -1)"
for run in "default:" "long:${long[*]}"; do
    name=${run%%:*}; args=(${run#*:})
    export_kb=$(rss "$bodo" export -q "$out/soak-$name.wav" "${args[@]}")
    rm -f "$out/soak-$name-live.wav"  # bodo never opens a file device over an existing file
    play_kb=$(rss "$bodo" play -q --device "file:'$out/soak-$name-live.wav',wav" "${args[@]}")
    python3 - "$out/soak-$name.wav" "$out/soak-$name-live.wav" "$name" "$export_kb" "$play_kb" <<'PY'
import sys, wave
e = wave.open(sys.argv[1]); p = wave.open(sys.argv[2])
n = e.getnframes(); a = e.readframes(n); b = p.readframes(p.getnframes())
print(f"{sys.argv[3]:8s} {n / 22050 / 60:6.1f} min: export {int(sys.argv[4]) / 1024:.1f} MiB, play to file: {int(sys.argv[5]) / 1024:.1f} MiB max RSS; "
      f"played == exported: {b[:len(a)] == a and set(b[len(a):]) <= {0}}")
PY
done
rm -f "$out"/soak-*.wav
