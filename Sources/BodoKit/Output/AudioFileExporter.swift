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
    private let target: OutputTarget

    /// Checks the target before any work is done, so a bad path fails at once and touches
    /// nothing. `force` replaces a read-only file.
    public init(path: String, force: Bool = false) throws {
        self.path = path
        let ext = path.split(separator: "/").last.map { URL(fileURLWithPath: String($0)).pathExtension.lowercased() } ?? ""
        target = try OutputTarget(path, force: force)
        guard let format = Format(rawValue: ext == "oga" ? "ogg" : ext) else {
            let what = ext.isEmpty ? "no file type" : "unsupported file type \(excerpt("." + ext))"
            throw BodoError(at: .path(path), "\(what); end the name in .wav, .flac or .ogg")
        }
        self.format = format
    }

    /// Refuses a target that is one of the session's own input files (`out.wav` a link to the
    /// script, say).
    public func refuseOverwriting(inputs: [String]) throws {
        if let input = inputs.first(where: target.isSameFile) {
            throw BodoError(at: .path(path), "is \(input.escapedForTerminal), which this export reads; give another name")
        }
    }

    /// Renders the whole session into the file, writing while the end of its speech is still
    /// being synthesized. `progress` is told how many samples are written, every five seconds
    /// of audio; if it throws, the export stops, the target stays as it was, and the error is rethrown.
    /// Returns the timeline the file was rendered from.
    @discardableResult
    public func export(_ session: Session, progress: ((Int) throws -> Void)? = nil) throws -> Timeline {
        target.removeAbandonedTemporaryFiles()
        let (fd, temporary) = try target.makeTemporaryFile()
        do {
            defer { close(fd) }
            let timeline = try write(session, toDescriptor: fd, progress: progress)
            if format == .wav { try WAVMarkers.append(timeline.markers, toDescriptor: fd, path: path) }
            guard fsync(fd) == 0 else { throw BodoError(.failure, at: .path(path), "writing failed: \(systemError())") }
            // The result keeps the replaced file's permissions and owner (an 0600 file stays
            // private), never its setuid, setgid or sticky bits; a new file gets the permissions
            // any new file would. mkstemp made it 0600.
            if let existing = target.existing {
                _ = fchown(fd, existing.st_uid, existing.st_gid)
                fchmod(fd, existing.st_mode & 0o777)
            } else {
                fchmod(fd, 0o666 & ~currentUmask())
            }
            let renamed = withSystemPath(temporary) { from in withSystemPath(target.file) { rename(from, $0) } }
            guard renamed == 0 else {
                throw BodoError(at: .path(path), "cannot replace the file: \(systemError())")
            }
            return timeline
        } catch {
            withSystemPath(temporary) { _ = unlink($0) }
            throw error
        }
    }

    /// Writes the samples and returns the timeline they were rendered from.
    private func write(_ session: Session, toDescriptor fd: Int32, progress: ((Int) throws -> Void)?) throws -> Timeline {
        var info = SF_INFO()
        info.samplerate = Int32(session.sampleRate)
        info.channels = 1
        info.format = format.libsndfileFormat
        // The descriptor stays ours (last argument 0): the markers, fsync and mode follow on it.
        guard let file = sf_open_fd(fd, Int32(SFM_WRITE), &info, 0) else {
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
}

private func currentUmask() -> mode_t {
    let mask = umask(0)
    umask(mask)
    return mask
}
