import CSndFile
import Foundation

/// Writes a session to an audio file through libsndfile: WAV (with a named cue marker at each
/// point and stretch), FLAC or Ogg Vorbis, chosen by the file's extension.
///
/// The file is written to a temporary file beside the target and renamed over it only when it is
/// complete, so a failed or interrupted export never leaves half a file or clobbers a good one.
public struct AudioFileExporter: Sendable {
    public enum Format: String, Sendable, CaseIterable {
        case wav, flac, ogg

        var libsndfileFormat: Int32 {
            switch self {
            case .wav: Int32(SF_FORMAT_WAV | SF_FORMAT_PCM_16)
            case .flac: Int32(SF_FORMAT_FLAC | SF_FORMAT_PCM_16)
            case .ogg: Int32(SF_FORMAT_OGG | SF_FORMAT_VORBIS)
            }
        }
    }

    /// Samples rendered and written per step: about 0.37 s at 22050 Hz.
    static let blockSize = 8192

    public let path: String
    public let format: Format

    /// Checks the target before any work is done, so a bad path fails at once and touches nothing.
    public init(path: String) throws {
        self.path = path
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw BodoError(at: .path(path), "is a folder; give a file name such as session.wav")
        }
        // Renaming over a device or a pipe would replace it with a plain file (as root, even
        // /dev/full): only ever replace regular files.
        var status = stat()
        if stat(path, &status) == 0, status.st_mode & S_IFMT != S_IFREG {
            throw BodoError(at: .path(path), "is not a regular file (a device, pipe or socket); give a file name such as session.wav")
        }
        let ext = URL(fileURLWithPath: path).pathExtension.lowercased()
        guard let format = Format(rawValue: ext == "oga" ? "ogg" : ext) else {
            let what = ext.isEmpty ? "no file type" : "unsupported file type '.\(ext)'"
            throw BodoError(at: .path(path), "\(what); end the name in .wav, .flac or .ogg")
        }
        self.format = format
        let folder = directory
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw BodoError(at: .path(path), "the folder \(folder) does not exist")
        }
        guard access(folder, W_OK) == 0 else {
            throw BodoError(at: .path(path), "cannot write in the folder \(folder) (permission denied)")
        }
    }

    private var directory: String {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        return folder.isEmpty ? "." : folder
    }

    /// Renders the whole session into the file, writing while the end of its speech is still
    /// being synthesized. `progress` is told how many samples are written, every five seconds
    /// of audio; if it throws, the export stops, the target stays as it was, and the error is rethrown.
    /// Returns the timeline the file was rendered from.
    @discardableResult
    public func export(_ session: Session, progress: ((Int) throws -> Void)? = nil) throws -> Timeline {
        let name = URL(fileURLWithPath: path).lastPathComponent
        removeAbandonedTemporaryFiles(of: name)
        var template = Array("\(directory)/\(Self.temporaryPrefix(of: name))\(getpid())-XXXXXX".utf8CString)
        let fd = mkstemp(&template)
        guard fd >= 0 else {
            throw BodoError(at: .path(path), "cannot create a temporary file beside it: \(systemError())")
        }
        let temporary = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        do {
            let timeline = try write(session, toDescriptor: fd, progress: progress)
            if format == .wav { try WAVMarkers.append(timeline.markers, toFileAt: temporary) }
            try syncToDisk(temporary)
            // mkstemp makes the file private; give the result the permissions a new file would get.
            chmod(temporary, 0o644 & ~currentUmask())
            guard rename(temporary, path) == 0 else {
                throw BodoError(at: .path(path), "cannot replace the file: \(systemError())")
            }
            return timeline
        } catch {
            unlink(temporary)
            throw error
        }
    }

    /// Writes the samples and returns the timeline they were rendered from.
    private func write(_ session: Session, toDescriptor fd: Int32, progress: ((Int) throws -> Void)?) throws -> Timeline {
        var info = SF_INFO()
        info.samplerate = Int32(session.sampleRate)
        info.channels = 1
        info.format = format.libsndfileFormat
        // libsndfile owns the descriptor from here (last argument): it closes it with the file,
        // and also when opening fails.
        guard let file = sf_open_fd(fd, Int32(SFM_WRITE), &info, 1) else {
            throw BodoError(.failure, at: .path(path), "libsndfile cannot write \(format.rawValue): \(String(cString: sf_strerror(nil)))")
        }
        var closed = false
        defer { if !closed { sf_close(file) } }

        var renderer = session.makeRenderer()
        var buffer = [Int16](repeating: 0, count: Self.blockSize)
        var nextReport = 0
        try buffer.withUnsafeMutableBufferPointer { block in
            while case let count = try renderer.render(into: block), count > 0 {
                guard sf_write_short(file, block.baseAddress, sf_count_t(count)) == count else {
                    throw BodoError(.failure, at: .path(path), "writing failed: \(String(cString: sf_strerror(file)))")
                }
                if let progress, renderer.position >= nextReport {
                    nextReport = renderer.position + 5 * session.sampleRate
                    try progress(renderer.position)
                }
            }
        }
        closed = true
        guard sf_close(file) == 0 else {
            throw BodoError(.failure, at: .path(path), "finishing the file failed (is the disk full?)")
        }
        guard let timeline = renderer.timeline else { preconditionFailure("rendering stopped before the end of the session") }
        return timeline
    }

    /// Temporary files are `.NAME.bodo-PID-XXXXXX`: hidden beside the target, and marked with
    /// the process that writes them.
    static func temporaryPrefix(of name: String) -> String { ".\(name).bodo-" }

    /// An export killed outright (SIGKILL, a power cut) cannot remove its temporary file; the next
    /// export to the same name does, once the process that wrote it is gone.
    private func removeAbandonedTemporaryFiles(of name: String) {
        let prefix = Self.temporaryPrefix(of: name)
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for entry in entries where entry.hasPrefix(prefix) {
            guard let pid = Int32(entry.dropFirst(prefix.count).prefix { $0 != "-" }), pid > 0 else { continue }
            if kill(pid, 0) != 0, errno == ESRCH { unlink("\(directory)/\(entry)") }
        }
    }

    private func syncToDisk(_ file: String) throws {
        let fd = open(file, O_RDONLY)
        guard fd >= 0 else { return }
        defer { close(fd) }
        guard fsync(fd) == 0 else {
            throw BodoError(.failure, at: .path(path), "writing failed: \(systemError())")
        }
    }
}

private func currentUmask() -> mode_t {
    let mask = umask(0)
    umask(mask)
    return mask
}
