#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <spawn.h>
#include <errno.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "CLinuxShims.h"

int bodo_start_writeback(int fd) {
    return sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
}

int bodo_usable_cores(void) {
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) != 0) return 1;
    int count = CPU_COUNT(&set);
    return count > 0 ? count : 1;
}

int bodo_spawn_close_from(posix_spawn_file_actions_t *actions, int fd) {
    return posix_spawn_file_actions_addclosefrom_np(actions, fd);
}

int bodo_unlink_detached(const char *path) {
    // _Fork, not fork: it runs no atfork handlers, which libraries linked here register and
    // which need not be safe in a child of a process with threads.
    pid_t child = _Fork();
    if (child < 0) return -1;
    if (child == 0) {
        pid_t grandchild = _Fork();
        if (grandchild == 0) {
            // Out of the terminal's process group, so the Ctrl-C that follows an export does not
            // stop it half-way; holding none of bodo's descriptors, so whoever reads bodo's output
            // sees its end when bodo ends.
            setsid();
            if (syscall(SYS_close_range, 0U, ~0U, 0) != 0) {
                for (int fd = 0; fd < 1024; fd++) close(fd);
            }
            setpriority(PRIO_PROCESS, 0, 10);
            unlink(path);
            _exit(0);
        }
        _exit(grandchild < 0 ? 1 : 0);
    }
    int status = 0;
    while (waitpid(child, &status, 0) < 0) {
        if (errno != EINTR) return -1;
    }
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}
