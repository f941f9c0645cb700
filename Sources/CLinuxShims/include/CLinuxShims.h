#pragma once
// Linux calls that glibc declares only under _GNU_SOURCE, which Swift's Glibc module leaves out.

/// Starts writing a file's dirty pages to disk without waiting for them (sync_file_range with
/// SYNC_FILE_RANGE_WRITE), so a later fsync has little left to do. Returns 0 or -1 (errno).
int bodo_start_writeback(int fd);
