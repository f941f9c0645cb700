import Foundation

/// errno in words, for the one line a failed call becomes.
func systemError() -> String { String(cString: UnsafePointer(strerror(errno))) }

/// Writes all of `bytes` to `fd`, at its current offset or, with `offset`, at that place (the
/// file's offset is then left alone). A write may take less than it is given (a full pipe, a
/// signal), so every writer in bodo loops here rather than trusting one call. False on an
/// error other than EINTR, with errno set (`systemError`).
func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, at offset: off_t? = nil) -> Bool {
    guard let base = bytes.baseAddress else { return true }
    var done = 0
    while done < bytes.count {
        let n = if let offset { pwrite(fd, base + done, bytes.count - done, offset + off_t(done)) }
            else { write(fd, base + done, bytes.count - done) }
        if n < 0, errno == EINTR { continue }
        guard n > 0 else { return false }
        done += n
    }
    return true
}

/// Reads exactly `bytes.count` bytes, from `offset` or (for a pipe) from where the descriptor
/// is; false on an error (errno set) or if the file ends first (errno 0).
func readAll(_ fd: Int32, into bytes: UnsafeMutableRawBufferPointer, at offset: off_t? = nil) -> Bool {
    guard let base = bytes.baseAddress else { return true }
    var done = 0
    while done < bytes.count {
        let n = if let offset { pread(fd, base + done, bytes.count - done, offset + off_t(done)) }
            else { read(fd, base + done, bytes.count - done) }
        if n < 0, errno == EINTR { continue }
        guard n > 0 else {
            if n == 0 { errno = 0 }
            return false
        }
        done += n
    }
    return true
}

/// `writeAll` for bytes held in `Data`.
func writeAll(_ fd: Int32, _ data: Data, at offset: off_t? = nil) -> Bool {
    data.withUnsafeBytes { writeAll(fd, $0, at: offset) }
}
