#!/usr/bin/env bash
# A study for spoken commands (issue 21), before bodo has them: can Debian's pocketsphinx tell a
# few command words from other sound, decoding only an utterance the voice detector has found?
# The corpus is built here: the candidate words from 9 synthetic voices (flite's kal16, awb, rms
# and slt; espeak-ng's en-us, en-gb, en-us+f3, en+m3 and en-us+klatt), clean and over pink noise
# at +20, +10 and +6 dB; as negatives, real recorded talk (pocketsphinx-testdata's LibriVox and
# cards recordings) and bodo's own phrases, cut into 1.2 s pieces. bench/command-words.c decodes
# each against the command grammar and against a loop of phones; a command is accepted when the
# grammar reached an end and its score beats the loop's by at least a floor per frame.
# Prints, per floor, commands recognized (per noise level) and false accepts of each negative,
# then each word's misses at the floor given as $1 (default 0). WORDS="pause,go on,..." tries
# other candidates (each word must be in the model's dictionary).
# Synthetic voices are not people: NOTES.md found pocketsphinx hears espeak-ng's default voice
# poorly. These figures choose between candidate words and methods; they are not a rate for people.
set -euo pipefail
cd "$(dirname "$0")/.."
.ci/install-debs libpocketsphinx-dev pocketsphinx-en-us pocketsphinx-testdata flite espeak-ng sox gcc python3-numpy
floor=${1:-0}
work=$(mktemp -d /tmp/bodo-command-words-XXXXXX)
trap 'rm -rf "$work"' EXIT
gcc -O2 bench/command-words.c $(pkg-config --cflags --libs pocketsphinx) -o "$work/command-words"
model=/usr/share/pocketsphinx/model/en-us
IFS=, read -r -a words <<< "${WORDS:-pause,wait,stop,again,repeat,go on,continue,resume,next}"

# The words' pronunciations from the model's own dictionary, and one "word" per phone for the loop.
dict="$work/words.dict"
for w in $(printf '%s\n' "${words[@]}" | tr ' ' '\n' | sort -u); do grep -E "^$w(\([0-9]\))? " $model/cmudict-en-us.dict; done > "$dict"
phones="AA AE AH AO AW AY B CH D DH EH ER EY F G HH IH IY JH K L M N NG OW OY P R S SH T TH UH UW V W Y Z ZH"
loop=""
for p in $phones; do echo "ph${p,,} $p" >> "$dict"; loop="$loop${loop:+ | }ph${p,,}"; done
commands="#JSGF V1.0; grammar c; public <c> = $(printf '%s | ' "${words[@]}" | sed 's/ | $//');"
phoneloop="#JSGF V1.0; grammar l; public <l> = ( $loop )+;"

mkdir -p "$work/clean" "$work/talk" "$work/own"
for word in "${words[@]}"; do
    name=${word// /_}
    for voice in kal16 awb rms slt; do
        flite -voice $voice -t "$word" -o "$work/x.wav"
        sox -q "$work/x.wav" -r 16000 -c 1 -b 16 "$work/clean/${name}_flite-$voice.wav"
    done
    for voice in en-us en-gb en-us+f3 en+m3 en-us+klatt; do
        espeak-ng -v $voice -w "$work/x.wav" "$word"
        sox -q "$work/x.wav" -r 16000 -c 1 -b 16 "$work/clean/${name}_espeak-$voice.wav"
    done
done
i=0
for f in /usr/share/pocketsphinx/test/data/librivox/*.wav /usr/share/pocketsphinx/test/data/cards/*.wav; do
    length=$(soxi -D "$f")
    for start in $(python3 -c "print(*[round(s * 1.2, 1) for s in range(int(($length - 0.6) / 1.2) + 1)])"); do
        i=$((i + 1)); sox -q "$f" -r 16000 -c 1 -b 16 "$work/talk/$i.wav" trim "$start" 1.2 2>/dev/null
    done
done
i=0
.build/release/bodo preview --format json 2>/dev/null | python3 -c '
import json, sys
print("\n".join(sorted({c["text"] for c in json.load(sys.stdin)["cues"] if c["kind"] == "speech"})))' |
while read -r phrase; do
    espeak-ng -v en-us -w "$work/x.wav" "$phrase"
    length=$(soxi -D "$work/x.wav")
    for start in $(python3 -c "print(*[round(s * 1.2, 1) for s in range(int(($length - 0.6) / 1.2) + 1)])"); do
        i=$((i + 1)); sox -q "$work/x.wav" -r 16000 -c 1 -b 16 "$work/own/$i.wav" trim "$start" 1.2 2>/dev/null
    done
done

# Pink noise under each clean word, its level set against the word's voiced part.
python3 - "$work" <<'PY'
import sys, wave, pathlib
import numpy as np
work = pathlib.Path(sys.argv[1])
rng = np.random.default_rng(21)
for snr in (20, 10, 6):
    out = work / f"noise{snr}"
    out.mkdir()
    for f in sorted((work / "clean").glob("*.wav")):
        with wave.open(str(f)) as w:
            x = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16).astype(float)
        x = np.concatenate([np.zeros(4000), x, np.zeros(4000)])
        spectrum = np.fft.rfft(rng.standard_normal(len(x)))
        spectrum /= np.sqrt(np.maximum(np.arange(len(spectrum)), 1))
        noise = np.fft.irfft(spectrum, len(x))
        frames = x[: len(x) // 160 * 160].reshape(-1, 160)
        energy = (frames ** 2).mean(axis=1)
        voiced = energy[energy > energy.max() / 1000].mean()
        noise *= np.sqrt(voiced / (noise ** 2).mean() / 10 ** (snr / 10))
        y = np.clip(x + noise, -32768, 32767).astype(np.int16)
        with wave.open(str(out / f.name), "wb") as w:
            w.setnchannels(1); w.setsampwidth(2); w.setframerate(16000); w.writeframes(y.tobytes())
PY

sets=(clean noise20 noise10 noise6 talk own)
for set in "${sets[@]}"; do "$work/command-words" "$dict" "$commands" "$phoneloop" "$work/$set"/*.wav > "$work/$set.tsv"; done
echo "accepted at each floor (grammar over phone loop, per frame): commands clean, +20, +10, +6 dB | talk pieces | bodo's own pieces"
for f in -2 0 2 4; do
    line="floor $f:"
    for set in "${sets[@]}"; do
        total=$(wc -l < "$work/$set.tsv")
        if [[ $set == talk || $set == own ]]; then
            n=$(awk -F'\t' -v f=$f '$2 != "-" && $6 >= f' "$work/$set.tsv" | wc -l)
        else
            # A command counts only when it is the word that was said.
            n=$(awk -F'\t' -v f=$f '{ split($1, p, "/"); w = p[length(p)]; sub(/_[^_]*$/, "", w); gsub(/_/, " ", w) } $2 == w && $6 >= f' "$work/$set.tsv" | wc -l)
        fi
        line="$line  $set $n/$total"
    done
    echo "$line"
done
echo "misses at floor $floor, per word (of 36: 9 voices, clean and at three noise levels):"
for word in "${words[@]}"; do
    name=${word// /_}
    missed=$(cat "$work"/clean.tsv "$work"/noise*.tsv | awk -F'\t' -v w="$word" -v n="/${name}_(flite|espeak)-" -v f=$floor '$1 ~ n && !($2 == w && $6 >= f)' | wc -l)
    echo "  $word: $missed"
done
