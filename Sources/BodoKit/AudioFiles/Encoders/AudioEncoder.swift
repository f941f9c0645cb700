import Foundation

/// Turns the session's samples into one file format, written to a descriptor the exporter owns.
///
/// The exporter renders the session block by block and hands each block to `write`; `finish`
/// completes the file with the final metadata.
///
/// Encoding starts while speech is still being synthesized, so the chapters' places are not
/// known yet. Most formats write their tags from the provisional metadata (final names, order
/// and number of chapters) and put the final places in at the end, in a tag of the same size:
/// FLAC through libFLAC's metadata interface, Ogg Vorbis by writing its header pages again with
/// libogg, MP3 by writing its ID3v2 tag again; WAV's markers come last anyway. Only Opus waits
/// for all speech before its first sample: libopusenc takes its comments once, when it starts.
protocol AudioEncoder: AnyObject {
    func write(_ samples: UnsafeBufferPointer<Int16>) throws
    /// Completes the file with `metadata`, whose chapters have the names, order and number of
    /// the provisional ones. The descriptor stays open; the exporter syncs and renames it. An
    /// encoder dropped without finishing frees its library state (a failed export).
    func finish(_ metadata: ExportMetadata) throws
}

/// Gives the final metadata, waiting for the session's speech the first time it is called.
typealias MetadataSource = () throws -> ExportMetadata

extension AudioFileExporter.Format {
    func makeEncoder(fd: Int32, sampleRate: Int, path: String, provisional: ExportMetadata,
                     final: MetadataSource) throws -> any AudioEncoder {
        switch self {
        case .wav: try SndFileEncoder(fd: fd, sampleRate: sampleRate, path: path)
        case .mp3: try MP3Encoder(fd: fd, sampleRate: sampleRate, path: path, metadata: provisional)
        case .flac: try FLACEncoder(fd: fd, sampleRate: sampleRate, path: path, metadata: provisional)
        case .ogg: try VorbisEncoder(fd: fd, sampleRate: sampleRate, path: path, metadata: provisional)
        case .opus: try OpusEncoder(fd: fd, sampleRate: sampleRate, path: path, metadata: final())
        }
    }
}

/// Writes `bytes` over the start of the file, where a tag written from the provisional
/// metadata is: the final one must be exactly as long, or the file would be corrupt.
func rewriteHeader(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, replacing length: Int, path: String) throws {
    guard bytes.count == length else {
        throw BodoError(.failure, at: .path(path), "the file's tags changed size as the speech arrived (\(length) then \(bytes.count) bytes)")
    }
    guard writeAll(fd, bytes, at: 0) else {
        throw BodoError(.failure, at: .path(path), "writing failed: \(systemError())")
    }
}
