import CVorbis
import Foundation

/// Ogg Vorbis through libvorbisenc and libogg, with Vorbis comments (title, artist, comment,
/// chapters) and a fixed stream serial number, so two exports are byte-identical.
final class VorbisEncoder: AudioEncoder {
    /// Quality -0.1...1; 0.1 is about 40 kb/s for this mono 22050 Hz voice, clear for speech.
    static let quality: Float = 0.1
    static let serial: Int32 = 0x626F_646F // "bodo"

    // libvorbis's structures point at one another: they live at fixed heap addresses.
    private let info = UnsafeMutablePointer<vorbis_info>.allocate(capacity: 1)
    private let dsp = UnsafeMutablePointer<vorbis_dsp_state>.allocate(capacity: 1)
    private let block = UnsafeMutablePointer<vorbis_block>.allocate(capacity: 1)
    private let stream = UnsafeMutablePointer<ogg_stream_state>.allocate(capacity: 1)
    private let fd: Int32
    private let path: String
    /// The header pages' length, which the final ones must keep.
    private var headerLength = 0

    init(fd: Int32, sampleRate: Int, path: String, metadata: ExportMetadata) throws {
        self.fd = fd
        self.path = path
        vorbis_info_init(info)
        guard vorbis_encode_init_vbr(info, 1, sampleRate, Self.quality) == 0 else {
            vorbis_info_clear(info)
            info.deallocate(); dsp.deallocate(); block.deallocate(); stream.deallocate()
            throw BodoError(.failure, at: .path(path), "libvorbis cannot encode \(sampleRate) Hz mono")
        }
        vorbis_analysis_init(dsp, info)
        vorbis_block_init(dsp, block)
        ogg_stream_init(stream, Self.serial)

        // The headers end on a page of their own, as the Vorbis spec asks; the comment header
        // is written again at the end with the chapters' final places.
        headerLength = try headerPages(metadata) { bytes in
            guard writeAll(fd, bytes) else { throw BodoError(.failure, at: .path(path), "writing failed: \(systemError())") }
        }
    }

    /// The three header packets (identification, comments, codebooks) as Ogg pages, handed to
    /// `body` as one run of bytes, whose length is returned. They come from a stream of their
    /// own with the file's serial, so they are the same pages whether made first or last: the
    /// audio pages that follow them continue its page numbers.
    @discardableResult
    private func headerPages(_ metadata: ExportMetadata, _ body: (UnsafeRawBufferPointer) throws -> Void) throws -> Int {
        var comment = vorbis_comment()
        vorbis_comment_init(&comment)
        defer { vorbis_comment_clear(&comment) }
        for (key, value) in metadata.vorbisComments { vorbis_comment_add_tag(&comment, key, value) }
        var header = ogg_packet(), commentHeader = ogg_packet(), codebooks = ogg_packet()
        vorbis_analysis_headerout(dsp, &comment, &header, &commentHeader, &codebooks)
        var headers = ogg_stream_state()
        ogg_stream_init(&headers, Self.serial)
        defer { ogg_stream_clear(&headers) }
        ogg_stream_packetin(&headers, &header)
        ogg_stream_packetin(&headers, &commentHeader)
        ogg_stream_packetin(&headers, &codebooks)
        var bytes: [UInt8] = []
        var page = ogg_page()
        while ogg_stream_flush(&headers, &page) != 0 {
            bytes += UnsafeRawBufferPointer(start: page.header, count: page.header_len)
            bytes += UnsafeRawBufferPointer(start: page.body, count: page.body_len)
        }
        // The audio pages are numbered after the header pages, and the first page of the
        // stream (the beginning-of-stream flag) is already made.
        stream.pointee.pageno = headers.pageno
        stream.pointee.b_o_s = headers.b_o_s
        try bytes.withUnsafeBytes(body)
        return bytes.count
    }

    deinit {
        ogg_stream_clear(stream)
        vorbis_block_clear(block)
        vorbis_dsp_clear(dsp)
        vorbis_info_clear(info)
        info.deallocate(); dsp.deallocate(); block.deallocate(); stream.deallocate()
    }

    func write(_ samples: UnsafeBufferPointer<Int16>) throws {
        guard let channels = vorbis_analysis_buffer(dsp, Int32(samples.count)), let channel = channels[0] else {
            throw BodoError(.failure, at: .path(path), "libvorbis could not take samples")
        }
        for (index, sample) in samples.enumerated() { channel[index] = Float(sample) / 32768 }
        vorbis_analysis_wrote(dsp, Int32(samples.count))
        try encodeBlocks()
    }

    func finish(_ metadata: ExportMetadata) throws {
        vorbis_analysis_wrote(dsp, 0)
        try encodeBlocks()
        try writePages(flush: true)
        try headerPages(metadata) { try rewriteHeader(fd, $0, replacing: headerLength, path: path) }
    }

    private func encodeBlocks() throws {
        var packet = ogg_packet()
        while vorbis_analysis_blockout(dsp, block) == 1 {
            vorbis_analysis(block, nil)
            vorbis_bitrate_addblock(block)
            while vorbis_bitrate_flushpacket(dsp, &packet) == 1 {
                ogg_stream_packetin(stream, &packet)
                try writePages(flush: false)
            }
        }
    }

    private func writePages(flush: Bool) throws {
        var page = ogg_page()
        while (flush ? ogg_stream_flush(stream, &page) : ogg_stream_pageout(stream, &page)) != 0 {
            guard writeAll(fd, UnsafeRawBufferPointer(start: page.header, count: page.header_len)),
                  writeAll(fd, UnsafeRawBufferPointer(start: page.body, count: page.body_len)) else {
                throw BodoError(.failure, at: .path(path), "writing failed: \(systemError())")
            }
        }
    }
}
