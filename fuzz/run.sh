#!/usr/bin/env bash
# Builds the fuzz target for the script and voice loaders, the engine and espeak-ng's input
# (fuzz/FuzzScript.swift) with libFuzzer
# and AddressSanitizer, and runs it for a set time: fuzz/run.sh [SECONDS] (default 60).
#
# SwiftPM cannot link an executable with -sanitize=fuzzer (it renames the entry point, and its
# flags would turn the build plugin's tool into a fuzzer too), so this compiles the pieces
# directly: libyaml and Yams from the package's checkout, then the loader, planner and timeline
# sources of BodoKit together with the fuzz target. Crashes land in fuzz/crashes/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
out=.build-fuzz
swift package resolve >/dev/null
yams=.build/checkouts/Yams/Sources
mkdir -p "$out/cyaml" fuzz/crashes fuzz/corpus-new
for c in "$yams"/CYaml/src/*.c; do
    clang -c -g -O1 -fsanitize=fuzzer-no-link,address -DYAML_DECLARE_STATIC -I "$yams/CYaml/include" "$c" \
        -o "$out/cyaml/$(basename "$c" .c).o"
done
swiftc -parse-as-library -sanitize=fuzzer,address -g -module-name Yams -emit-module -emit-module-path "$out/Yams.swiftmodule" \
    -emit-library -static -o "$out/libYams.a" -D SWIFT_PACKAGE -I "$yams/CYaml/include" -Xcc -DYAML_DECLARE_STATIC "$yams"/Yams/*.swift
engine=(Sources/BodoKit/BodoError.swift Sources/BodoKit/Script/{Duration,Routine,RoutineLoader,YAMLValue,YAMLBudget,Mirroring}.swift
        Sources/BodoKit/Voice/VoiceProfile.swift Sources/BodoKit/Plan/*.swift Sources/BodoKit/Timeline/Timeline.swift
        Sources/BodoKit/Text/*.swift Sources/BodoKit/System/{RawBytes,InputFile}.swift
        Sources/BodoKit/Speech/{EspeakSynthesizer,SpeechSynthesizer,ClipStore}.swift)
swiftc -parse-as-library -sanitize=fuzzer,address -g -use-ld=lld -module-name BodoFuzz -D BODO_FUZZ \
    -I "$out" -I "$yams/CYaml/include" -I Sources/CEspeakNG "${engine[@]}" fuzz/FuzzScript.swift \
    "$out/libYams.a" "$out"/cyaml/*.o -lespeak-ng -o "$out/fuzz-script"
# New inputs go to a scratch corpus first; the checked-in seeds stay small.
"$out/fuzz-script" fuzz/corpus-new fuzz/corpus -max_total_time="$seconds" -max_len=4096 -timeout=10 -rss_limit_mb=6144 \
    -artifact_prefix=fuzz/crashes/ -print_final_stats=1
