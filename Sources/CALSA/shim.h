#pragma once
#include <stdarg.h>
#include <stdio.h>
#include <alsa/asoundlib.h>

/* ALSA prints its own errors to stderr ("ALSA lib pcm.c:2666: Unknown PCM default"); bodo reports
 * every failure in one line of its own. The handler is C-variadic, which Swift cannot write, so it
 * lives here. It keeps the calling thread's last message (never printed), so bodo can say where a
 * configuration file is broken ("_toplevel_:3:1:Unexpected end of file" from the parser). */
static inline char *bodo_alsa_last_error_buffer(void) {
    static _Thread_local char text[512];
    return text;
}

static void bodo_alsa_keep_error(const char *file, int line, const char *function, int err, const char *fmt, ...) {
    (void)file; (void)line; (void)function; (void)err;
    va_list arguments;
    va_start(arguments, fmt);
    vsnprintf(bodo_alsa_last_error_buffer(), 512, fmt, arguments);
    va_end(arguments);
}

static inline void bodo_alsa_silence_errors(void) {
    snd_lib_error_set_handler(bodo_alsa_keep_error);
}

/* The calling thread's last ALSA message since `bodo_alsa_forget_error`, or "". */
static inline const char *bodo_alsa_last_error(void) { return bodo_alsa_last_error_buffer(); }

static inline void bodo_alsa_forget_error(void) { bodo_alsa_last_error_buffer()[0] = 0; }
