// bodo as an MPRIS player (https://specifications.freedesktop.org/mpris-spec/latest/), on sd-bus.
// The two interfaces are tables of C macros; their handlers only queue commands and read state
// that the player's thread set, so a key press costs the session nothing until the player asks.
#include "CMediaKeys.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <systemd/sd-bus.h>

#define OBJECT_PATH "/org/mpris/MediaPlayer2"
#define ROOT_INTERFACE "org.mpris.MediaPlayer2"
#define PLAYER_INTERFACE "org.mpris.MediaPlayer2.Player"
#define NAME "org.mpris.MediaPlayer2.bodo"
// One track for the whole session: its position is the session's, so a panel's progress bar is
// the session's, and the title (the point or stretch) changes without the position starting over.
// The specification reserves paths under /org/mpris for its own use.
#define TRACK_ID "/bodo/session"
#define QUEUE 16

struct bodo_mpris {
    sd_bus *bus;
    sd_bus_slot *root, *player, *request;
    char *album;
    char *title;
    char name[96];
    bool named, failed, asked_for_instance;
    int status;
    int64_t length_us, position_us, at_us;
    int queue[QUEUE];
    unsigned head, count;
};

static int64_t now_us(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000 + t.tv_nsec / 1000;
}

static void push(bodo_mpris *m, int command) {
    // Sixteen presses the player has not taken yet are more than a person makes; later ones go.
    if (m->count == QUEUE) return;
    m->queue[(m->head + m->count++) % QUEUE] = command;
}

static int command_method(sd_bus_message *message, void *userdata, int command) {
    push(userdata, command);
    return sd_bus_reply_method_return(message, "");
}

static int on_play(sd_bus_message *m, void *u, sd_bus_error *e) { (void)e; return command_method(m, u, BODO_MPRIS_PLAY); }
static int on_pause(sd_bus_message *m, void *u, sd_bus_error *e) { (void)e; return command_method(m, u, BODO_MPRIS_PAUSE); }
static int on_play_pause(sd_bus_message *m, void *u, sd_bus_error *e) { (void)e; return command_method(m, u, BODO_MPRIS_PLAY_PAUSE); }
static int on_next(sd_bus_message *m, void *u, sd_bus_error *e) { (void)e; return command_method(m, u, BODO_MPRIS_NEXT); }
static int on_previous(sd_bus_message *m, void *u, sd_bus_error *e) { (void)e; return command_method(m, u, BODO_MPRIS_PREVIOUS); }
static int on_stop(sd_bus_message *m, void *u, sd_bus_error *e) { (void)e; return command_method(m, u, BODO_MPRIS_STOP); }

// Raise (there is no window), Seek and SetPosition (CanSeek is false: the specification says
// they then have no effect).
static int on_nothing(sd_bus_message *m, void *u, sd_bus_error *e) { (void)u; (void)e; return sd_bus_reply_method_return(m, ""); }

static int on_open_uri(sd_bus_message *m, void *u, sd_bus_error *e) {
    (void)m; (void)u;
    return sd_bus_error_set(e, SD_BUS_ERROR_NOT_SUPPORTED, "bodo plays its own session only");
}

static int get_true(sd_bus *b, const char *p, const char *i, const char *n, sd_bus_message *reply, void *u, sd_bus_error *e) {
    (void)b; (void)p; (void)i; (void)n; (void)u; (void)e;
    return sd_bus_message_append(reply, "b", 1);
}

static int get_false(sd_bus *b, const char *p, const char *i, const char *n, sd_bus_message *reply, void *u, sd_bus_error *e) {
    (void)b; (void)p; (void)i; (void)n; (void)u; (void)e;
    return sd_bus_message_append(reply, "b", 0);
}

static int get_one(sd_bus *b, const char *p, const char *i, const char *n, sd_bus_message *reply, void *u, sd_bus_error *e) {
    (void)b; (void)p; (void)i; (void)n; (void)u; (void)e;
    return sd_bus_message_append(reply, "d", 1.0);
}

static int get_identity(sd_bus *b, const char *p, const char *i, const char *n, sd_bus_message *reply, void *u, sd_bus_error *e) {
    (void)b; (void)p; (void)i; (void)n; (void)u; (void)e;
    return sd_bus_message_append(reply, "s", "bodo");
}

static int get_nothing(sd_bus *b, const char *p, const char *i, const char *n, sd_bus_message *reply, void *u, sd_bus_error *e) {
    (void)b; (void)p; (void)i; (void)n; (void)u; (void)e;
    return sd_bus_message_append(reply, "as", 0);
}

static int get_status(sd_bus *b, const char *p, const char *i, const char *n, sd_bus_message *reply, void *u, sd_bus_error *e) {
    (void)b; (void)p; (void)i; (void)n; (void)e;
    static const char *const names[] = {"Playing", "Paused", "Stopped"};
    const bodo_mpris *m = u;
    return sd_bus_message_append(reply, "s", names[m->status]);
}

static int64_t position(const bodo_mpris *m) {
    int64_t at = m->position_us;
    if (m->status == BODO_MPRIS_PLAYING) at += now_us() - m->at_us;
    // A length of 0 is not known yet (the timeline waits for the speech).
    return at < 0 ? 0 : m->length_us > 0 && at > m->length_us ? m->length_us : at;
}

static int get_position(sd_bus *b, const char *p, const char *i, const char *n, sd_bus_message *reply, void *u, sd_bus_error *e) {
    (void)b; (void)p; (void)i; (void)n; (void)e;
    return sd_bus_message_append(reply, "x", position(u));
}

static int get_metadata(sd_bus *b, const char *p, const char *i, const char *n, sd_bus_message *reply, void *u, sd_bus_error *e) {
    (void)b; (void)p; (void)i; (void)n; (void)e;
    const bodo_mpris *m = u;
    return sd_bus_message_append(reply, "a{sv}", 5,
                                 "mpris:trackid", "o", TRACK_ID,
                                 "mpris:length", "x", m->length_us,
                                 "xesam:title", "s", m->title,
                                 "xesam:album", "s", m->album,
                                 "xesam:artist", "as", 1, "bodo");
}

#define UNPRIVILEGED SD_BUS_VTABLE_UNPRIVILEGED
#define CONSTANT SD_BUS_VTABLE_PROPERTY_CONST
#define ANNOUNCED SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE

static const sd_bus_vtable root_table[] = {
    SD_BUS_VTABLE_START(0),
    SD_BUS_METHOD("Raise", "", "", on_nothing, UNPRIVILEGED),
    SD_BUS_METHOD("Quit", "", "", on_stop, UNPRIVILEGED),
    SD_BUS_PROPERTY("CanQuit", "b", get_true, 0, CONSTANT),
    SD_BUS_PROPERTY("CanRaise", "b", get_false, 0, CONSTANT),
    SD_BUS_PROPERTY("HasTrackList", "b", get_false, 0, CONSTANT),
    SD_BUS_PROPERTY("Identity", "s", get_identity, 0, CONSTANT),
    SD_BUS_PROPERTY("SupportedUriSchemes", "as", get_nothing, 0, CONSTANT),
    SD_BUS_PROPERTY("SupportedMimeTypes", "as", get_nothing, 0, CONSTANT),
    SD_BUS_VTABLE_END,
};

static const sd_bus_vtable player_table[] = {
    SD_BUS_VTABLE_START(0),
    SD_BUS_METHOD("Next", "", "", on_next, UNPRIVILEGED),
    SD_BUS_METHOD("Previous", "", "", on_previous, UNPRIVILEGED),
    SD_BUS_METHOD("Pause", "", "", on_pause, UNPRIVILEGED),
    SD_BUS_METHOD("PlayPause", "", "", on_play_pause, UNPRIVILEGED),
    SD_BUS_METHOD("Stop", "", "", on_stop, UNPRIVILEGED),
    SD_BUS_METHOD("Play", "", "", on_play, UNPRIVILEGED),
    SD_BUS_METHOD("Seek", "x", "", on_nothing, UNPRIVILEGED),
    SD_BUS_METHOD("SetPosition", "ox", "", on_nothing, UNPRIVILEGED),
    SD_BUS_METHOD("OpenUri", "s", "", on_open_uri, UNPRIVILEGED),
    SD_BUS_SIGNAL("Seeked", "x", 0),
    SD_BUS_PROPERTY("PlaybackStatus", "s", get_status, 0, ANNOUNCED),
    SD_BUS_PROPERTY("Rate", "d", get_one, 0, CONSTANT),
    SD_BUS_PROPERTY("MinimumRate", "d", get_one, 0, CONSTANT),
    SD_BUS_PROPERTY("MaximumRate", "d", get_one, 0, CONSTANT),
    SD_BUS_PROPERTY("Volume", "d", get_one, 0, CONSTANT),
    SD_BUS_PROPERTY("Metadata", "a{sv}", get_metadata, 0, ANNOUNCED),
    SD_BUS_PROPERTY("Position", "x", get_position, 0, 0),
    SD_BUS_PROPERTY("CanGoNext", "b", get_true, 0, CONSTANT),
    SD_BUS_PROPERTY("CanGoPrevious", "b", get_true, 0, CONSTANT),
    SD_BUS_PROPERTY("CanPlay", "b", get_true, 0, CONSTANT),
    SD_BUS_PROPERTY("CanPause", "b", get_true, 0, CONSTANT),
    SD_BUS_PROPERTY("CanSeek", "b", get_false, 0, CONSTANT),
    SD_BUS_PROPERTY("CanControl", "b", get_true, 0, CONSTANT),
    SD_BUS_VTABLE_END,
};

static int request(bodo_mpris *m);

// The answer to RequestName: 1 (owner) or 4 (already owner) is the name; 3 (another has it) asks
// once for this process's instance name.
static int on_requested(sd_bus_message *reply, void *userdata, sd_bus_error *e) {
    (void)e;
    bodo_mpris *m = userdata;
    m->request = sd_bus_slot_unref(m->request);
    uint32_t answer = 0;
    if (sd_bus_message_is_method_error(reply, NULL) || sd_bus_message_read(reply, "u", &answer) < 0) return 0;
    if (answer == 1 || answer == 4) {
        m->named = true;
    } else if (!m->asked_for_instance) {
        m->asked_for_instance = true;
        snprintf(m->name, sizeof m->name, NAME ".instance%ld", (long)getpid());
        request(m);
    }
    return 0;
}

static int request(bodo_mpris *m) {
    return sd_bus_request_name_async(m->bus, &m->request, m->name, 0, on_requested, m);
}

bodo_mpris *bodo_mpris_open(const char *album, int *error) {
    bodo_mpris *m = calloc(1, sizeof *m);
    int r = -ENOMEM;
    if (!m || !(m->album = strdup(album)) || !(m->title = strdup(album))) goto fail;
    m->at_us = now_us();
    snprintf(m->name, sizeof m->name, "%s", NAME);
    // Connecting to a local socket does not wait; authentication and Hello go on in process.
    if ((r = sd_bus_open_user(&m->bus)) < 0) goto fail;
    if ((r = sd_bus_add_object_vtable(m->bus, &m->root, OBJECT_PATH, ROOT_INTERFACE, root_table, m)) < 0) goto fail;
    if ((r = sd_bus_add_object_vtable(m->bus, &m->player, OBJECT_PATH, PLAYER_INTERFACE, player_table, m)) < 0) goto fail;
    if ((r = request(m)) < 0) goto fail;
    return m;
fail:
    if (error) *error = r;
    bodo_mpris_close(m);
    return NULL;
}

int bodo_mpris_fd(bodo_mpris *m) { return sd_bus_get_fd(m->bus); }

int bodo_mpris_process(bodo_mpris *m) {
    if (m->failed) return -ENOTCONN;
    int r;
    while ((r = sd_bus_process(m->bus, NULL)) > 0) {}
    if (r < 0) m->failed = true;
    return r;
}

int bodo_mpris_take_command(bodo_mpris *m) {
    if (m->count == 0) return BODO_MPRIS_NONE;
    int command = m->queue[m->head];
    m->head = (m->head + 1) % QUEUE;
    m->count--;
    return command;
}

int bodo_mpris_update(bodo_mpris *m, int status, const char *title, int64_t position_us, int64_t at_us, int64_t length_us) {
    if (status < BODO_MPRIS_PLAYING || status > BODO_MPRIS_STOPPED) return -EINVAL;
    bool status_changed = status != m->status;
    bool metadata_changed = strcmp(title, m->title) != 0 || length_us != m->length_us;
    m->length_us = length_us;
    if (strcmp(title, m->title) != 0) {
        char *copy = strdup(title);
        if (!copy) return -ENOMEM;
        free(m->title);
        m->title = copy;
    }
    m->status = status;
    m->position_us = position_us;
    m->at_us = at_us;
    if (m->failed || (!status_changed && !metadata_changed)) return 0;
    const char *changed[3] = {NULL, NULL, NULL};
    int n = 0;
    if (status_changed) changed[n++] = "PlaybackStatus";
    if (metadata_changed) changed[n++] = "Metadata";
    return sd_bus_emit_properties_changed_strv(m->bus, OBJECT_PATH, PLAYER_INTERFACE, (char **)changed);
}

int bodo_mpris_seeked(bodo_mpris *m, int64_t position_us, int64_t at_us) {
    m->position_us = position_us;
    m->at_us = at_us;
    if (m->failed) return 0;
    return sd_bus_emit_signal(m->bus, OBJECT_PATH, PLAYER_INTERFACE, "Seeked", "x", position_us);
}

const char *bodo_mpris_name(bodo_mpris *m) { return m->named ? m->name : NULL; }

void bodo_mpris_close(bodo_mpris *m) {
    if (!m) return;
    sd_bus_slot_unref(m->request);
    sd_bus_slot_unref(m->root);
    sd_bus_slot_unref(m->player);
    // Not flushed: flushing waits on the socket, and a bus that stopped reading must not hold
    // bodo's exit. Closing gives up the name.
    sd_bus_close_unref(m->bus);
    free(m->album);
    free(m->title);
    free(m);
}
