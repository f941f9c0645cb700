import CLinuxShims
import Foundation

/// Writes a session to an audio file, the format chosen by the file's extension: WAV (with a
/// named cue marker at each point and stretch), FLAC, Ogg Vorbis, Opus or MP3 (each with a
/// title, an artist, a comment and chapters that players list). One encoder per format, in
/// `Encoders/`.
///
/// The file is written to a temporary file beside the target and renamed over it only when it is
/// complete, so a failed or interrupted export never leaves half a file or clobbers a good one.
public struct AudioFileExporter: Sendable {
    public enum Format: String, Sendable, CaseIterable {
        case wav, flac, ogg, opus, mp3
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
        target = try OutputTarget(path, force: force, example: "session.wav")
        guard let format = Format(rawValue: ext == "oga" ? "ogg" : ext) else {
            let what = ext.isEmpty ? "no file type" : "unsupported file type \(excerpt("." + ext))"
            throw BodoError(at: .path(path), "\(what); end the name in \(Self.extensions)")
        }
        self.format = format
    }

    static let extensions = ".wav, .flac, .ogg, .opus or .mp3"

    /// Refuses a target that is one of the session's own input files (`out.wav` a link to the
    /// script, say).
    public func refuseOverwriting(inputs: [String]) throws {
        try target.refuseOverwriting(inputs, named: path)
    }

    /// Renders the whole session into the file while the end of its speech is still being
    /// synthesized (Opus once all of it is: see `AudioEncoder`).
    /// `comment` says how the file was made and goes into its tags. `progress` is told how many
    /// samples are written, every five seconds of audio; `meter` measures every sample; if it throws, the export stops, the
    /// target stays as it was, and the error is rethrown. Returns the timeline the file was
    /// rendered from.
    @discardableResult
    /// `range` cuts the session (`--from`, `--to`); the file then starts at its start.
    /// `subtitles` are written from the same timeline and are part of the same output: every
    /// file is complete before any is put in place, so a failure leaves all of them as they were.
    public func export(_ session: Session, range: Range<Int>? = nil, comment: String = "", meter: LoudnessMeter? = nil,
                       subtitles: [SubtitleFile] = [], progress: ((Int) throws -> Void)? = nil) throws -> Timeline {
        for file in subtitles { try file.target.refuseSharing(with: target, named: file.path, otherNamed: path) }
        target.removeAbandonedTemporaryFiles()
        let (fd, temporary) = try target.makeTemporaryFile()
        var staged: [OutputTarget.Staged] = []
        do {
            defer { close(fd) }
            let cut = { (timeline: Timeline) in timeline.window(range ?? 0..<timeline.totalSamples) }
            let title = session.title
            let final = { try ExportMetadata(title: title, comment: comment, timeline: cut(session.timeline())) }
            // A range was found on the whole timeline, so its metadata is final already.
            let provisional = try range == nil ? ExportMetadata(title: title, comment: comment, timeline: session.provisionalTimeline()) : final()
            let encoder = try format.makeEncoder(fd: fd, sampleRate: session.sampleRate, path: path, provisional: provisional, final: final)
            try write(session, range: range, to: encoder, fd: fd, meter: meter, progress: progress)
            let metadata = try final()
            guard metadata.chapters.map(\.name) == provisional.chapters.map(\.name) else {
                throw BodoError(.failure, at: .path(path), "the session's chapters changed as its speech arrived")
            }
            try encoder.finish(metadata)
            let timeline = try cut(session.timeline())
            guard fsync(fd) == 0 else { throw BodoError(.failure, at: .path(path), "writing failed: \(systemError())") }
            try target.keepPermissions(fd)
            for file in subtitles { staged.append(try file.target.stage(file.contents(timeline, title: session.title))) }
            guard target.putInPlace(temporary) else {
                throw BodoError(at: .path(path), "cannot replace the file: \(systemError())")
            }
            for file in staged { try file.commit() }
            return timeline
        } catch {
            withSystemPath(temporary) { _ = unlink($0) }
            for file in staged { file.discard() }
            throw error
        }
    }

    /// Renders the session into the encoder.
    private func write(_ session: Session, range: Range<Int>?, to encoder: any AudioEncoder, fd: Int32, meter: LoudnessMeter?,
                       progress: ((Int) throws -> Void)?) throws {
        var renderer = session.makeRenderer()
        if let range { try renderer.seek(to: range.lowerBound) }
        var nextReport = 0
        try renderer.renderBlocks(until: range?.upperBound ?? .max, blockSize: Self.blockSize) { samples, position in
            try encoder.write(samples)
            meter?.add(samples)
            // Start writing out what is there every 32 blocks (about 12 s of audio), so the
            // fsync before the rename has little left to wait for (a 32 MB WAV: 90 ms less).
            if position / Self.blockSize % 32 == 0 { _ = bodo_start_writeback(fd) }
            if let progress, position >= nextReport {
                nextReport = position + 5 * session.sampleRate
                try progress(position - (range?.lowerBound ?? 0))
            }
        }
    }
}
