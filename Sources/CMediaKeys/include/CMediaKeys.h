#pragma once
// bodo as an MPRIS player on the desktop's session bus, through sd-bus (libsystemd). The object
// tables sd-bus wants are built with C macros Swift cannot import, so the whole D-Bus side is
// here and Swift sees a handle, a descriptor, commands and state.
//
// One thread uses a handle at a time (sd-bus is not thread-safe); nothing here waits on the bus:
// the connection, its authentication and the name request all go on in bodo_mpris_process.
#include <stdint.h>

/// What a media key, a headset button or a desktop's media panel asked for.
enum bodo_mpris_command {
    BODO_MPRIS_NONE = 0,
    BODO_MPRIS_PLAY,
    BODO_MPRIS_PAUSE,
    BODO_MPRIS_PLAY_PAUSE,
    BODO_MPRIS_NEXT,
    BODO_MPRIS_PREVIOUS,
    BODO_MPRIS_STOP,
};

enum bodo_mpris_status { BODO_MPRIS_PLAYING = 0, BODO_MPRIS_PAUSED, BODO_MPRIS_STOPPED };

typedef struct bodo_mpris bodo_mpris;

/// Connects to the session bus and asks for org.mpris.MediaPlayer2.bodo (or, when another bodo
/// has that, org.mpris.MediaPlayer2.bodo.instance<pid>, as the specification says). `album`: the
/// routine's name, also the title until the first update. NULL with a negative errno in `*error`
/// when there is no session bus.
bodo_mpris *bodo_mpris_open(const char *album, int *error);

/// The connection's descriptor, to poll for input.
int bodo_mpris_fd(bodo_mpris *m);

/// Reads and answers whatever has arrived, without waiting. Negative errno when the connection
/// is gone (then the handle only waits to be closed).
int bodo_mpris_process(bodo_mpris *m);

/// The oldest command not taken yet, or BODO_MPRIS_NONE.
int bodo_mpris_take_command(bodo_mpris *m);

/// Where the session is: `position_us` at `at_us` (CLOCK_MONOTONIC); a reader of Position while
/// playing gets it moved on by the time since. `length_us`: the session's length, once the
/// timeline is known. Changes of status, title or length are announced (PropertiesChanged); the
/// position is not, as the specification asks.
int bodo_mpris_update(bodo_mpris *m, int status, const char *title, int64_t position_us, int64_t at_us, int64_t length_us);

/// The session jumped to `position_us` (`n`, `b`, a resume): the Seeked signal.
int bodo_mpris_seeked(bodo_mpris *m, int64_t position_us, int64_t at_us);

/// The bus name once it is owned, else NULL.
const char *bodo_mpris_name(bodo_mpris *m);

/// Sends what is queued and closes the connection: the name goes with it.
void bodo_mpris_close(bodo_mpris *m);
