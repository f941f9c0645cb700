# bodo's everyday commands. `make run` and `make test` install what is missing on Debian 12 first.

# The Debian packages bodo builds against: espeak-ng (speech), libsndfile (audio files) and ALSA.
BUILD_DEBS := libespeak-ng-dev libsndfile1-dev libasound2-dev pkg-config
# The benchmark also runs the shell pipeline a user would write without bodo.
BENCH_DEBS := espeak-ng sox hyperfine gcc time

# Release builds link the Swift runtime and Foundation statically: it halves start-up work and
# memory (see bench/RESULTS.md), and the binary runs on a machine without a Swift toolchain.
# lld ignores glibc's link-time notes about functions Foundation itself uses.
RELEASE_FLAGS := -c release --static-swift-stdlib -Xswiftc -use-ld=lld
BODO := .build/release/bodo

.PHONY: run test build deps bench-deps bench clean

## Build and play the default session. Until live playback exists (and on machines without a
## sound device), this writes it to back-session.wav.
run: build
	$(BODO) export back-session.wav
	@echo "make run: live playback through ALSA is not built yet; the session is in back-session.wav (play it with any player)."

## Run every test.
test: deps
	swift test

build: deps
	swift build $(RELEASE_FLAGS)

## Speed and memory against the targets in bench/RESULTS.md.
bench: bench-deps build
	bench/run.sh

deps:
	@.ci/install-debs $(BUILD_DEBS)

bench-deps: deps
	@.ci/install-debs $(BENCH_DEBS)

clean:
	rm -rf .build back-session.wav bench/out
