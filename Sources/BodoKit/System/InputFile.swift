import Foundation

/// Reads a script or voice profile the user named: a file, or a pipe (`<(cat x.yaml)`,
/// `/dev/stdin`), by the bytes of its name, and never more than `limit` bytes of it, so that
/// `/dev/zero` or a pasted log fails at once instead of filling memory.
enum InputFile {
    /// The largest script or profile bodo reads. The built-in routine is about 5 KB; a routine of
    /// 999 points with long texts stays well under this.
    static let limit = 256 * 1024

    static func read(_ path: String, option: String) throws -> Data {
        // Non-blocking only to open: a named pipe nobody writes to then reads as empty instead
        // of hanging; reads block as usual after that, so `<(cat x.yaml)` is read whole.
        let fd = withSystemPath(path) { open($0, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK) }
        guard fd >= 0 else {
            let reason = errno
            var status = stat()
            if reason == ENOENT, withSystemPath(path, { lstat($0, &status) }) == 0, status.st_mode & S_IFMT == S_IFLNK {
                throw BodoError(at: .path(path), "is a link to a file that does not exist")
            }
            if reason == ENOENT || reason == ENOTDIR { throw BodoError(at: .option(option), "no such file: \(path.escapedForTerminal)") }
            throw BodoError(at: .path(path), "cannot be read: \(String(cString: strerror(reason)))")
        }
        defer { close(fd) }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        var status = stat()
        guard fstat(fd, &status) == 0 else { throw BodoError(at: .path(path), "cannot be read: \(systemError())") }
        if status.st_mode & S_IFMT == S_IFDIR { throw BodoError(at: .path(path), "is a folder, not a YAML file") }
        if status.st_mode & S_IFMT == S_IFREG, status.st_size > limit {
            throw tooLarge(path)
        }
        var data = Data()
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw BodoError(at: .path(path), "cannot be read: \(systemError())")
            }
            if n == 0 { return data }
            data.append(contentsOf: chunk[0..<n])
            if data.count > limit { throw tooLarge(path) }
        }
    }

    private static func tooLarge(_ path: String) -> BodoError {
        BodoError(at: .path(path), "is larger than \(limit / 1024) KiB, which no routine or voice profile needs; is it the right file?")
    }
}
