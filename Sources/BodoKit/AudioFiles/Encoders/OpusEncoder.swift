import CCodecShims
import COpusEnc
import Foundation

/// Ogg Opus through libopusenc: the codec made for speech, at a bit rate that keeps this voice
/// clear, with Opus comments (title, artist, comment, chapters) and a fixed stream serial
/// number, so two exports are byte-identical.
final class OpusEncoder: AudioEncoder {
    /// Mono speech: 24 kb/s is transparent for espeak-ng's voice; the default session is about 2 MB.
    static let bitsPerSecond: Int32 = 24_000
    static let serial: Int32 = 0x626F_646F // "bodo"

    private let encoder: OpaquePointer
    private let sink: Sink
    private let path: String

    /// Where libopusenc's pages go: the exporter's descriptor, and the first failure to write.
    final class Sink {
        let fd: Int32
        var error: Int32 = 0
        init(fd: Int32) { self.fd = fd }
    }

    init(fd: Int32, sampleRate: Int, path: String, metadata: ExportMetadata) throws {
        self.path = path
        sink = Sink(fd: fd)
        guard let comments = ope_comments_create() else { throw BodoError(.failure, at: .path(path), "libopusenc could not start") }
        defer { ope_comments_destroy(comments) }
        for (key, value) in metadata.vorbisComments { ope_comments_add(comments, key, value) }
        var callbacks = OpusEncCallbacks(write: { userData, bytes, count in
            let sink = Unmanaged<Sink>.fromOpaque(userData!).takeUnretainedValue()
            guard writeAll(sink.fd, UnsafeRawBufferPointer(start: bytes, count: Int(count))) else {
                sink.error = errno
                return 1
            }
            return 0
        }, close: { _ in 0 })
        var error: Int32 = 0
        guard let encoder = ope_encoder_create_callbacks(&callbacks, Unmanaged.passUnretained(sink).toOpaque(), comments,
                                                         Int32(sampleRate), 1, 0, &error) else {
            throw BodoError(.failure, at: .path(path), "libopusenc could not start: \(String(cString: ope_strerror(error)))")
        }
        self.encoder = encoder
        bodo_ope_set_serialno(encoder, Self.serial)
        bodo_ope_set_bitrate(encoder, Self.bitsPerSecond)
        bodo_ope_set_signal_voice(encoder)
    }

    deinit { ope_encoder_destroy(encoder) }

    func write(_ samples: UnsafeBufferPointer<Int16>) throws {
        try check(ope_encoder_write(encoder, samples.baseAddress, Int32(samples.count)), "writing failed")
    }

    func finish(_ metadata: ExportMetadata) throws {
        try check(ope_encoder_drain(encoder), "finishing the file failed")
    }

    private func check(_ status: Int32, _ what: String) throws {
        if sink.error != 0 {
            throw BodoError(.failure, at: .path(path), "\(what): \(String(cString: strerror(sink.error)))")
        }
        guard status == OPE_OK else {
            throw BodoError(.failure, at: .path(path), "\(what): \(String(cString: ope_strerror(status)))")
        }
    }
}
