#!/usr/bin/env bash
# The fuzz campaign: builds every fuzz target with libFuzzer and AddressSanitizer and runs them
# one after the other, splitting the time evenly: fuzz/run.sh [SECONDS] [TARGET...]
# (default 60 s in all; fuzz/run.sh 1800 is the 30-minute campaign). Naming targets runs only
# those, each for SECONDS divided among them.
#
# Targets (fuzz/Fuzz<Name>.swift; seeds in fuzz/corpus-<name>/, the script's in fuzz/corpus/):
#   script     the script and voice loaders, the planner and timeline, espeak-ng's input;
#   journal    the journal's reader and writer, its summary and the learned search times;
#   subtitles  the WebVTT, SubRip and LRC writers, each read back by its own small parser;
#   tags       the Vorbis comments, the ID3v2 tag with its chapters, and the WAV markers,
#              each read back (the subtitles and tags targets share fuzz/FuzzTimeline.swift,
#              which builds a timeline from fuzzed steps).
# Crashes land in fuzz/crashes/<target>-crash-...; a run in which any target crashed ends with
# a line naming the targets and exits 1. Reproduce one with .build-fuzz/fuzz-<target> <file>.
# Minimal inputs for bugs found so far are in fuzz/regressions/ (not fed in as seeds).
#
# SwiftPM cannot link an executable with -sanitize=fuzzer (it renames the entry point, and its
# flags would turn the build plugin's tool into a fuzzer too), so this compiles the pieces
# directly, each once: libyaml and Yams from the package's checkout, then BodoKit as one static
# module (every source but Script/Library.swift, which needs the build plugin's generated
# files) with -enable-testing, so the targets can `@testable import BodoKit` and reach the
# internal readers and writers. Each target is then one small compile and a link.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
all=(script journal subtitles tags)
if (( $# > 0 )); then targets=("$@"); else targets=("${all[@]}"); fi
for target in "${targets[@]}"; do
    [[ " ${all[*]} " == *" $target "* ]] || { echo "fuzz/run.sh: no target '$target' (targets: ${all[*]})" >&2; exit 2; }
done
out=.build-fuzz
flags=(-sanitize=fuzzer,address -g)
swift package resolve >/dev/null
yams=.build/checkouts/Yams/Sources
mkdir -p "$out/cyaml" "$out/cshims" "$out/modules" fuzz/crashes

# libyaml and Yams.
for c in "$yams"/CYaml/src/*.c; do
    clang -c -g -O1 -fsanitize=fuzzer-no-link,address -DYAML_DECLARE_STATIC -I "$yams/CYaml/include" "$c" \
        -o "$out/cyaml/$(basename "$c" .c).o"
done
swiftc -parse-as-library "${flags[@]}" -module-name Yams -emit-module -emit-module-path "$out/Yams.swiftmodule" \
    -emit-library -static -o "$out/libYams.a" -D SWIFT_PACKAGE -I "$yams/CYaml/include" -Xcc -DYAML_DECLARE_STATIC "$yams"/Yams/*.swift

# The C modules BodoKit imports: system libraries have their own module map; the two C targets
# get one here (SwiftPM makes theirs), and their code is compiled.
includes=(-I "$out" -I "$yams/CYaml/include")
for dir in Sources/C*; do
    name=$(basename "$dir")
    if [[ -f $dir/module.modulemap ]]; then
        includes+=(-I "$dir")
    else
        mkdir -p "$out/modules/$name"
        printf 'module %s {\n    header "%s"\n    export *\n}\n' "$name" "$PWD/$dir/include/$name.h" > "$out/modules/$name/module.modulemap"
        includes+=(-I "$out/modules/$name")
        for c in "$dir"/*.c; do
            clang -c -g -O1 -fsanitize=fuzzer-no-link,address $(pkg-config --cflags libopusenc) -I "$dir/include" "$c" \
                -o "$out/cshims/$name-$(basename "$c" .c).o"
        done
    fi
done
for flag in $(pkg-config --cflags-only-I libopusenc flac vorbisenc libebur128 sndfile alsa espeak-ng); do includes+=(-Xcc "$flag"); done
libraries=(-lespeak-ng -lsndfile -lasound -lopusenc -lopus -lFLAC -lvorbisenc -lvorbis -logg -lmp3lame -lebur128 -lwebrtc_audio_processing)

# BodoKit, once for every target.
mapfile -t kit < <(find Sources/BodoKit -name '*.swift' ! -path '*/Script/Library.swift' | sort)
swiftc -parse-as-library "${flags[@]}" -enable-testing -wmo -num-threads 2 -module-name BodoKit -emit-module \
    -emit-module-path "$out/BodoKit.swiftmodule" -emit-library -static -o "$out/libBodoKit.a" "${includes[@]}" "${kit[@]}"

# Each target: its own file and the shared files it needs.
sources_script=(fuzz/FuzzScript.swift)
sources_journal=(fuzz/FuzzJournal.swift)
sources_subtitles=(fuzz/FuzzSubtitles.swift fuzz/FuzzTimeline.swift)
sources_tags=(fuzz/FuzzTags.swift fuzz/FuzzTimeline.swift)
for target in "${targets[@]}"; do
    declare -n sources="sources_$target"
    swiftc -parse-as-library "${flags[@]}" -use-ld=lld -module-name "Fuzz_$target" "${includes[@]}" "${sources[@]}" \
        "$out/libBodoKit.a" "$out/libYams.a" "$out"/cyaml/*.o "$out"/cshims/*.o "${libraries[@]}" -o "$out/fuzz-$target"
    unset -n sources
done

# What the targets found before, first: each input in fuzz/regressions/ named for its target
# must now run clean.
for target in "${targets[@]}"; do
    for input in fuzz/regressions/"$target"-*; do
        [[ -e $input ]] || continue
        "$out/fuzz-$target" "$input" >/dev/null 2>&1 || { echo "fuzz/run.sh: $input crashes '$target' again" >&2; exit 1; }
    done
done

# The runs, one after the other. New inputs go to a scratch corpus first; the checked-in seeds
# stay small.
share=$(( seconds / ${#targets[@]} ))
(( share > 0 )) || share=1
failed=()
for target in "${targets[@]}"; do
    seeds=fuzz/corpus-$target
    [[ $target == script ]] && seeds=fuzz/corpus
    mkdir -p "fuzz/corpus-new/$target" "$seeds"
    echo "== fuzz target '$target' for $share s" >&2
    if ! "$out/fuzz-$target" "fuzz/corpus-new/$target" "$seeds" -max_total_time="$share" -max_len=4096 -timeout=10 \
        -rss_limit_mb=6144 -artifact_prefix="fuzz/crashes/$target-" -print_final_stats=1; then
        failed+=("$target")
    fi
done
if (( ${#failed[@]} > 0 )); then
    echo "fuzz/run.sh: crash in target(s): ${failed[*]} (inputs in fuzz/crashes/)" >&2
    exit 1
fi
