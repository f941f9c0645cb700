# Sourced by the live benchmarks: starts a private PulseAudio server (as the real-time tests
# do) in a fresh folder, with the modules read from standard input after its socket, and
# points libpulse (and so ALSA's `default`) at it. Sets $pa (the folder) and $server (its
# pid), and stops and removes both when the script exits.
pa=$(mktemp -d /tmp/bodo-bench-pa-XXXXXX)
{ echo "load-module module-native-protocol-unix auth-anonymous=1 socket=$pa/native"; cat; } > "$pa/default.pa"
export PULSE_SERVER=unix:$pa/native PULSE_RUNTIME_PATH=$pa PULSE_STATE_PATH=$pa PULSE_COOKIE=$pa/cookie
HOME=$pa pulseaudio -n -F "$pa/default.pa" --daemonize=no --exit-idle-time=-1 --use-pid-file=no \
    --log-target=file:"$pa/log" >/dev/null 2>&1 &
server=$!
trap 'kill $server ${noise:-} 2>/dev/null; rm -rf "$pa"' EXIT
for _ in $(seq 100); do [ -S "$pa/native" ] && break; sleep 0.1; done
