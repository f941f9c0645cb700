#pragma once
// Linux calls that glibc declares only under _GNU_SOURCE, which Swift's Glibc module leaves out.

/// Starts writing a file's dirty pages to disk without waiting for them (sync_file_range with
/// SYNC_FILE_RANGE_WRITE), so a later fsync has little left to do. Returns 0 or -1 (errno).
int bodo_start_writeback(int fd);

/// How many cores this process may run on: its affinity mask (`taskset`), not the machine's count.
int bodo_usable_cores(void);

#include <spawn.h>
/// Makes a spawned child close every descriptor from `fd` up (glibc's
/// posix_spawn_file_actions_addclosefrom_np, declared only under _GNU_SOURCE).
int bodo_spawn_close_from(posix_spawn_file_actions_t *actions, int fd);

/// Unlinks `path` in a detached process (a grandchild in a session of its own, with no open
/// descriptors, at low priority), so that freeing a large file's blocks costs the caller only two
/// forks. Returns 0 once the detached process exists, -1 if it could not be started (the caller
/// unlinks the file itself). Only async-signal-safe calls run in the children: the caller may
/// have threads.
int bodo_unlink_detached(const char *path);
