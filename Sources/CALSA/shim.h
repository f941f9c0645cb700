#pragma once
#include <stdarg.h>
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

/* The last message ALSA gave, kept instead of printed: when a configuration file fails to load,
 * ALSA says where ("_toplevel_:3:1:Unexpected char") only through this handler. */
static inline char *bodo_alsa_message_buffer(void) {
    static char message[256];
    return message;
}

static void bodo_alsa_keep_error(const char *file, int line, const char *function, int err, const char *fmt, ...) {
    (void)file; (void)line; (void)function; (void)err;
    va_list arguments;
    va_start(arguments, fmt);
    vsnprintf(bodo_alsa_message_buffer(), 256, fmt, arguments);
    va_end(arguments);
}

static inline void bodo_alsa_keep_errors(void) {
    bodo_alsa_message_buffer()[0] = 0;
    snd_lib_error_set_handler(bodo_alsa_keep_error);
}

static inline const char *bodo_alsa_kept_error(void) {
    return bodo_alsa_message_buffer();
}
