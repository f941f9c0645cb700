import Foundation

/// Turns the session's samples into one file format, written to a descriptor the exporter owns.
///
/// The exporter renders the session block by block and hands each block to `write`; `finish`
/// completes the file. Formats whose tags come first in the file (Opus, Ogg Vorbis, FLAC, MP3)
/// ask for the metadata when they are made, which waits for all speech (the chapters' places
/// depend on it); WAV's markers come last, so WAV is written while speech is still being made.
protocol AudioEncoder: AnyObject {
    func write(_ samples: UnsafeBufferPointer<Int16>) throws
    /// Completes the file. The descriptor stays open; the exporter syncs and renames it. An
    /// encoder dropped without finishing frees its library state (a failed export).
    func finish() throws
}

/// Gives the metadata, waiting for the session's speech the first time it is called.
typealias MetadataSource = () throws -> ExportMetadata

extension AudioFileExporter.Format {
    func makeEncoder(fd: Int32, sampleRate: Int, path: String, metadata: @escaping MetadataSource) throws -> any AudioEncoder {
        switch self {
        case .wav: try SndFileEncoder(fd: fd, sampleRate: sampleRate, path: path, metadata: metadata)
        case .mp3: try MP3Encoder(fd: fd, sampleRate: sampleRate, path: path, metadata: metadata())
        case .flac: try FLACEncoder(fd: fd, sampleRate: sampleRate, path: path, metadata: metadata())
        case .ogg: try VorbisEncoder(fd: fd, sampleRate: sampleRate, path: path, metadata: metadata())
        case .opus: try OpusEncoder(fd: fd, sampleRate: sampleRate, path: path, metadata: metadata())
        }
    }
}

/// Writes all of `bytes` to `fd` at its current offset.
func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
    var done = 0
    while done < bytes.count {
        let n = write(fd, bytes.baseAddress! + done, bytes.count - done)
        if n < 0, errno == EINTR { continue }
        guard n > 0 else { return false }
        done += n
    }
    return true
}
