#!/usr/bin/env bash
# Memcheck over the whole process, espeak-ng, libsndfile and ALSA included: the default export
# and a short live session played to ALSA's file device, each under valgrind. Prints valgrind's
# error and leak summaries; exits non-zero on any error or definite leak. Runs the release build
# with its DWARF stripped (valgrind 3.19 cannot read the DWARF 5 that Swift 6.3 writes; symbols
# stay, so reports still name functions). Figures in bench/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || .ci/install-debs valgrind
make -s build >/dev/null
out=bench/out/valgrind
mkdir -p "$out"
bodo=$out/bodo
objcopy --strip-debug .build/release/bodo "$bodo"
check=(valgrind --tool=memcheck --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=99
       --track-origins=no --num-callers=30)
status=0
run() {
    local name=$1; shift
    if "${check[@]}" --log-file="$out/$name.log" "$bodo" "$@"; then :; else status=$?; fi
    echo "$name: $(grep -E 'ERROR SUMMARY' "$out/$name.log" | sed 's/==[0-9]*== //')"
    grep -E '(definitely|indirectly|possibly) lost:|still reachable:' "$out/$name.log" | sed 's/==[0-9]*== /    /'
}
run export export -q "$out/session.wav"
rm -f "$out/live.wav"  # bodo never opens a file device over an existing file
run play play -q --script Tests/bodoTests/Fixtures/small.yaml --device "file:'$out/live.wav',wav"
exit $status
