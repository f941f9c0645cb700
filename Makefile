# bodo's everyday commands. `make run` and `make test` install what is missing on Debian 12 first.

# The Debian packages bodo builds against: espeak-ng (speech), libsndfile (WAV), the Opus, FLAC,
# Vorbis and LAME encoders (files with tags and chapters), libebur128 (loudness), ALSA, and
# WebRTC's voice detector (libwebrtc-audio-processing) for hearing "found it", and sd-bus
# (libsystemd) for media keys and headset buttons (MPRIS).
BUILD_DEBS := libespeak-ng-dev libsndfile1-dev libasound2-dev libopusenc-dev libflac-dev libvorbis-dev libmp3lame-dev libebur128-dev libwebrtc-audio-processing-dev libsystemd-dev pkg-config
# The real-time playback test starts its own PulseAudio server with a null sink, which ALSA's
# `default` reaches through libasound2-plugins. The signal tests drive bodo on a pseudo-terminal
# from a few lines of python3. ffprobe (ffmpeg) reads the exported files' chapters as players do.
# tidy checks the map and the page; rsvg-convert draws the map as PNG; the session page is
# driven in headless chromium through chromium-driver and Selenium (PyPI, in a venv, with jrnl,
# which reads the journal in a test; pocketsphinx-testdata has real recorded words). The media
# keys are pressed with playerctl on a session bus of the test's own (dbus-daemon).
TEST_DEBS := pulseaudio pulseaudio-utils libasound2-plugins python3 python3-venv ffmpeg librsvg2-bin tidy chromium chromium-driver pocketsphinx-testdata dbus-daemon playerctl
# The benchmark also runs the shell pipeline a user would write without bodo.
BENCH_DEBS := espeak-ng sox hyperfine gcc time

# Release builds link the Swift runtime and Foundation statically: it halves start-up work and
# memory (see bench/RESULTS.md), and the binary runs on a machine without a Swift toolchain.
# lld ignores glibc's link-time notes about functions Foundation itself uses.
RELEASE_FLAGS := -c release --static-swift-stdlib -Xswiftc -use-ld=lld
BODO := .build/release/bodo

.PHONY: run test sanitize build deps test-deps bench-deps bench clean

## Build and play the default session; with no sound device (exit status 3), write it to
## back-session.wav instead.
run: build
	@$(BODO) play; status=$$?; \
	if [ $$status -eq 3 ]; then \
		echo "make run: no sound device here, so the session goes to back-session.wav instead."; \
		$(BODO) export back-session.wav; \
	else exit $$status; fi

## Run every test.
test: deps test-deps
	swift test

## Every test under AddressSanitizer (leaks included), then under ThreadSanitizer. The real-time
## suite is left out of both: a sanitized process is too slow to start and end to keep its time
## limits; the live path itself is covered by the library's LivePlayerTests (ALSA file device).
sanitize: deps test-deps
	LSAN_OPTIONS=suppressions=$(CURDIR)/.ci/lsan-suppressions.txt swift test --sanitize=address --scratch-path .build-asan --skip LiveTests
	swift test --sanitize=thread --scratch-path .build-tsan --skip LiveTests

build: deps
	swift build $(RELEASE_FLAGS)

## Speed and memory against the targets in bench/RESULTS.md.
bench: bench-deps build
	bench/run.sh

deps:
	@.ci/install-debs $(BUILD_DEBS)

test-deps:
	@.ci/install-debs $(TEST_DEBS)
	@.ci/install-python-tools

bench-deps: deps
	@.ci/install-debs $(BENCH_DEBS)

clean:
	rm -rf .build .build-asan .build-tsan back-session.wav bench/out
