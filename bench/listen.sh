#!/usr/bin/env bash
# The "found it" detector's benchmark (issue 9): detection rate over recorded and synthetic
# words and taps at 10 and 20 dB over the room, false triggers over an hour of negatives
# (pink, brown and fan noise, bodo's own echo, background talk), onset-to-decision delay.
# Usage: bench/listen.sh [MINUTES_OF_EACH_NEGATIVE]   (default 12: an hour in all)
# BODO_TUNE="overFloor=6 busyRoom=1.5 voicedFrames=16 voiceWindow=24 tapOverRoom=20 vadMode=2"
# tries other thresholds. Figures in bench/RESULTS.md; the reasons in docs/listening.md.
set -euo pipefail
cd "$(dirname "$0")/.."
.ci/install-debs pocketsphinx-testdata libwebrtc-audio-processing-dev
swift build -c release --product BodoListenBench >/dev/null
time .build/release/BodoListenBench "${1:-12}"
