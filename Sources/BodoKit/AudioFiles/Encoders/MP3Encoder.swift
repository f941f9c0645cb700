import CLame
import Foundation

/// MP3 through LAME: the ID3v2.3 tag first (`ID3v2Tag`, with the chapters; written again at
/// the end with their final places, the same size), then MPEG-2
/// layer III, whose first frame is LAME's Xing/Info frame: filled in at the end with the
/// encoder's delay and padding (so players trim them and the chapters meet their words) and a
/// seek table.
final class MP3Encoder: AudioEncoder {
    /// LAME's variable bit rate at quality 6 (`lame -V 6`): about 40 kb/s for this mono voice at
    /// 22050 Hz, less in the silences. (At a constant 40 kb/s a frame is too small to hold the
    /// Info frame, and LAME leaves it out.)
    static let quality: Int32 = 6

    private let lame: OpaquePointer
    private let fd: Int32
    private let path: String
    /// Where the first frame (the Info frame's placeholder) starts: right after the tag.
    private let infoFrameOffset: off_t
    private var output = [UInt8](repeating: 0, count: 7200 + 5 * 8192 / 4)

    init(fd: Int32, sampleRate: Int, path: String, metadata: ExportMetadata) throws {
        self.fd = fd
        self.path = path
        guard let lame = lame_init() else { throw BodoError(.failure, at: .path(path), "LAME could not start") }
        self.lame = lame
        lame_set_in_samplerate(lame, Int32(sampleRate))
        lame_set_num_channels(lame, 1)
        lame_set_mode(lame, MONO)
        lame_set_VBR(lame, vbr_default)
        lame_set_VBR_q(lame, Self.quality)
        lame_set_bWriteVbrTag(lame, 1)
        // No ID3 tag of LAME's own: bodo writes the one with chapters.
        id3tag_init(lame)
        guard lame_init_params(lame) >= 0 else {
            lame_close(lame)
            throw BodoError(.failure, at: .path(path), "LAME cannot encode \(sampleRate) Hz mono")
        }
        let tag = ID3v2Tag.make(metadata)
        guard tag.withUnsafeBytes({ writeAll(fd, $0) }) else {
            lame_close(lame)
            throw BodoError(.failure, at: .path(path), "writing failed: \(systemError())")
        }
        infoFrameOffset = off_t(tag.count)
    }

    deinit { lame_close(lame) }

    func write(_ samples: UnsafeBufferPointer<Int16>) throws {
        let needed = samples.count * 5 / 4 + 7200
        if output.count < needed { output = [UInt8](repeating: 0, count: needed) }
        let written = output.withUnsafeMutableBufferPointer {
            lame_encode_buffer(lame, samples.baseAddress, samples.baseAddress, Int32(samples.count), $0.baseAddress, Int32($0.count))
        }
        try emit(written)
    }

    func finish(_ metadata: ExportMetadata) throws {
        try emit(output.withUnsafeMutableBufferPointer { lame_encode_flush(lame, $0.baseAddress, Int32($0.count)) })
        let size = output.withUnsafeMutableBufferPointer { lame_get_lametag_frame(lame, $0.baseAddress, $0.count) }
        guard size > 0, size <= output.count,
              output.withUnsafeBytes({ writeAll(fd, UnsafeRawBufferPointer(rebasing: $0[..<size]), at: infoFrameOffset) }) else {
            throw BodoError(.failure, at: .path(path), "writing LAME's Info frame failed: \(systemError())")
        }
        try ID3v2Tag.make(metadata).withUnsafeBytes { try rewriteHeader(fd, $0, replacing: Int(infoFrameOffset), path: path) }
    }

    private func emit(_ count: Int32) throws {
        guard count >= 0 else { throw BodoError(.failure, at: .path(path), "LAME failed to encode (error \(count))") }
        guard output.withUnsafeBytes({ writeAll(fd, UnsafeRawBufferPointer(rebasing: $0[0..<Int(count)])) }) else {
            throw BodoError(.failure, at: .path(path), "writing failed: \(systemError())")
        }
    }
}
