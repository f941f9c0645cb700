#pragma once
#include <stdio.h>
#include <alsa/asoundlib.h>

/* ALSA prints its own errors to stderr ("ALSA lib pcm.c:2666: Unknown PCM default"); bodo reports
 * every failure in one line of its own. The handler is C-variadic, which Swift cannot write, so it
 * lives here. */
static void bodo_alsa_ignore_error(const char *file, int line, const char *function, int err, const char *fmt, ...) {
    (void)file; (void)line; (void)function; (void)err; (void)fmt;
}

static inline void bodo_alsa_silence_errors(void) {
    snd_lib_error_set_handler(bodo_alsa_ignore_error);
}
