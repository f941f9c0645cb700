import Foundation

/// Where synthesized speech waits to be rendered: an anonymous temporary file, read back a
/// block at a time.
///
/// A session holds minutes of distinct speech (the default one about four, some 11 MB as 16-bit
/// samples). Keeping it on disk rather than in the heap keeps a run's memory the same whatever
/// the routine's length; the kernel's page cache makes reading it back as fast as memory. The
/// file is unlinked as soon as it is made, so nothing is left behind, even after a crash.
public final class ClipStore: Sendable {
    /// A clip's place in the store, in samples.
    public struct Slice: Sendable, Equatable {
        public var offset: Int
        public var count: Int
    }

    private let fd: Int32
    private let directory: String
    /// The end of what has been written, in samples.
    private let end = Locked(0)

    public init(directory: String = ClipStore.defaultDirectory) throws {
        self.directory = directory
        var template = Array("\(directory)/bodo-speech-XXXXXX".utf8CString)
        fd = mkstemp(&template)
        guard fd >= 0 else {
            throw BodoError(.failure, at: .path(directory), "cannot create a temporary file for speech: \(systemError())")
        }
        unlink(template)
    }

    deinit { close(fd) }

    /// `$TMPDIR` when it names a folder from the root, else /tmp: a relative TMPDIR would
    /// depend on the folder bodo was started in (glibc and coreutils ignore one the same way).
    public static var defaultDirectory: String {
        let tmp = ProcessInfo.processInfo.environment["TMPDIR"] ?? ""
        return tmp.hasPrefix("/") ? tmp : "/tmp"
    }

    public func append(_ samples: UnsafeBufferPointer<Int16>) throws -> Slice {
        try end.withLock { end in
            let slice = Slice(offset: end, count: samples.count)
            guard writeAll(fd, UnsafeRawBufferPointer(samples), at: off_t(slice.offset * 2)) else {
                throw BodoError(.failure, at: .path(directory), "cannot store synthesized speech (is the disk full?): \(systemError())")
            }
            end += samples.count
            return slice
        }
    }

    /// Reads `buffer.count` samples of `slice`, starting `from` samples into it.
    public func read(_ slice: Slice, from: Int, into buffer: UnsafeMutableBufferPointer<Int16>) throws {
        precondition(from >= 0 && from + buffer.count <= slice.count)
        guard readAll(fd, into: UnsafeMutableRawBufferPointer(buffer), at: off_t((slice.offset + from) * 2)) else {
            throw BodoError(.failure, at: nil, "cannot read back synthesized speech: \(errno == 0 ? "file is short" : systemError())")
        }
    }
}
