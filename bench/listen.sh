#!/usr/bin/env bash
# The "found it" detector's benchmark (issues 9 and 25), per class of sound: the person's words
# (6, 10, 20 dB over pink, brown and fan noise; over a television; right after bodo's own voice
# and its echo at -20 and -10 dB, dry and reverberant) and taps on wood (peak 20 to 40 dB over
# the room): how many are heard, and how soon; the room's sounds (steady noise, a fan switched
# on, a clock, typing, a door, a television, talk next door and in the room, bodo's session
# echoing into its own waits): how many searches each would end, per hour. The corpus is built
# by Sources/BodoListenBench (its parameters are written there).
# Usage: bench/listen.sh [MINUTES_OF_EACH_ROOM_SOUND]   (default 12; 60 for an hour of each)
# BODO_TUNE="overFloor=6 busyRoom=1.5 voicedFrames=16 voiceWindow=24 tapOverRoom=20
# tapOverImpulses=6 tapAlone=12 impulsesFall=0.25 vadMode=2" tries other thresholds;
# BODO_SHOW=1 prints each detection with the room as measured then. Figures in
# bench/RESULTS.md; the reasons in docs/listening.md.
set -euo pipefail
cd "$(dirname "$0")/.."
.ci/install-debs pocketsphinx-testdata libwebrtc-audio-processing-dev
swift build -c release --product BodoListenBench >/dev/null
time .build/release/BodoListenBench "${1:-12}"
