import BodoKit
import Foundation

/// Standard output and standard error, written with write(2) so that a failure is seen.
///
/// Output that cannot be delivered is an error, as in coreutils: a preview piped into a full
/// disk or a closed descriptor must not exit 0. (FileHandle.write would crash instead, and
/// print() would lose the error.)
enum Console {
    /// Program output (the preview, `check`'s line, listings): all of it, or an error.
    static func out(_ text: String) throws {
        guard write(STDOUT_FILENO, Array(text.utf8)) else {
            throw BodoError(.failure, at: .option("standard output"), "cannot write: \(String(cString: strerror(errno)))")
        }
    }

    /// A line for the person, on standard error, made safe for a terminal. Best effort: there
    /// is nowhere left to report a failure to write an error.
    static func error(_ line: String) {
        _ = write(STDERR_FILENO, Array("bodo: \(line.escapedForTerminal)\n".utf8))
    }

    /// Raw bytes (progress lines' own escape sequences); the caller escapes what it quotes.
    @discardableResult
    static func write(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var done = 0
        while done < bytes.count {
            let n = bytes[done...].withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { return false }
            done += n
        }
        return true
    }

    /// Makes sure descriptors 0, 1 and 2 are open before bodo opens anything, so that no file of
    /// its own (the speech store, an export) can become "standard output" and receive text.
    /// A closed one is opened on /dev/null the wrong way round (0 write-only, 1 and 2
    /// read-only), so using it still fails as it would have: `bodo preview >&-` reports the
    /// failed write instead of printing into nothing.
    static func reserveStandardDescriptors() {
        for fd: Int32 in 0...2 where fcntl(fd, F_GETFD) == -1 && errno == EBADF {
            let opened = open("/dev/null", fd == STDIN_FILENO ? O_WRONLY : O_RDONLY)
            if opened >= 0, opened != fd { dup2(opened, fd); close(opened) }
        }
    }
}
