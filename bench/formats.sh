#!/usr/bin/env bash
# Each format's export against its encoder alone on bodo's finished WAV (issue 11's peers):
# `bodo export x.opus` (synthesis, levelling, encoding, tags) vs `opusenc` at the same bit rate,
# MP3 vs `lame -V 6 --noreplaygain` (bodo computes no ReplayGain), Ogg Vorbis vs `oggenc -q 1`
# (bodo's libvorbis quality 0.1 on its -0.1..1 scale is oggenc's 1 on 0..10), FLAC vs `flac -5`
# (bodo's compression level); plus each file's size,
# bit rate, loudness and true peak by ffmpeg's ebur128 filter. Figures in bench/RESULTS.md.
# Needs `make build`; installs the encoders and ffmpeg.
set -euo pipefail
cd "$(dirname "$0")/.."
.ci/install-debs opus-tools lame vorbis-tools flac ffmpeg
bodo=.build/release/bodo
out=bench/out/formats
mkdir -p "$out"
"$bodo" export -q "$out/session.wav"

# Interleaved rounds (bench/interleaved.py): the ratio of bodo to the encoder alone is the median
# of the rounds' ratios, with its 10th to 90th percentile, so a busy machine moves both alike.
run() {
    local name=$1 rounds=$2 ours=$3 theirs=$4
    echo "== .$name against its encoder alone, $rounds interleaved rounds (target <= 1.3x)"
    python3 bench/interleaved.py --json "$out/$name.json" "$rounds" "$name encoder alone=$theirs" "bodo export .$name=$ours" | tail -2
}
run opus 3 "$bodo export -q $out/bodo.opus" "opusenc --quiet --bitrate 24 $out/session.wav $out/peer.opus"
run mp3 7 "$bodo export -q $out/bodo.mp3" "lame --quiet --noreplaygain -V 6 $out/session.wav $out/peer.mp3"
run ogg 7 "$bodo export -q $out/bodo.ogg" "oggenc -Q -q 1 -o $out/peer.ogg $out/session.wav"
run flac 11 "$bodo export -q $out/bodo.flac" "flac -s -f -5 -o $out/peer.flac $out/session.wav"

for ext in wav flac ogg opus mp3; do
    file="$out/bodo.$ext"; [ -f "$file" ] || file="$out/session.wav"
    levels=$(ffmpeg -hide_banner -nostats -i "$file" -af ebur128=peak=true -f null - 2>&1 | grep -E '^ +(I|Peak):' | tr -s ' ' | tr '\n' ' ')
    rate=$(ffprobe -v error -show_entries format=bit_rate -of csv=p=0 "$file")
    chapters=$(ffprobe -v error -show_chapters -of csv "$file" | wc -l)
    printf '%-5s %9d bytes %6d b/s %2d chapters %s\n' "$ext" "$(stat -c %s "$file")" "$rate" "$chapters" "$levels"
done
