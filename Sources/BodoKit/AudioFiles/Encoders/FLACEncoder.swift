import CFLAC
import Foundation

/// FLAC through libFLAC, with a VORBIS_COMMENT block holding the title, artist, comment and
/// chapters (libsndfile writes only its fixed fields there).
final class FLACEncoder: AudioEncoder {
    private let encoder: UnsafeMutablePointer<FLAC__StreamEncoder>
    private var comments: UnsafeMutablePointer<FLAC__StreamMetadata>?
    private let path: String
    private let fd: Int32
    private var widened: [Int32] = []
    private var finished = false

    init(fd: Int32, sampleRate: Int, path: String, metadata: ExportMetadata) throws {
        self.path = path
        self.fd = fd
        guard let encoder = FLAC__stream_encoder_new() else { throw BodoError(.failure, at: .path(path), "libFLAC could not start") }
        self.encoder = encoder
        FLAC__stream_encoder_set_channels(encoder, 1)
        FLAC__stream_encoder_set_bits_per_sample(encoder, 16)
        FLAC__stream_encoder_set_sample_rate(encoder, UInt32(sampleRate))
        FLAC__stream_encoder_set_compression_level(encoder, 5)
        FLAC__stream_encoder_set_total_samples_estimate(encoder, UInt64(metadata.totalSamples))

        comments = try Self.commentBlock(metadata, path: path)
        var blocks: [UnsafeMutablePointer<FLAC__StreamMetadata>?] = [comments]
        FLAC__stream_encoder_set_metadata(encoder, &blocks, 1)

        // libFLAC rewrites its STREAMINFO at the end, so it needs a seekable stream: a FILE on
        // a copy of the descriptor (fclose closes the copy, the exporter keeps its own).
        let file = try Self.stream(on: fd, "w+b", path: path)
        let status = FLAC__stream_encoder_init_FILE(encoder, file, nil, nil)
        guard status == FLAC__STREAM_ENCODER_INIT_STATUS_OK else {
            fclose(file)
            throw BodoError(.failure, at: .path(path), "libFLAC could not start: status \(status.rawValue)")
        }
    }

    deinit {
        if !finished { FLAC__stream_encoder_finish(encoder) }
        FLAC__stream_encoder_delete(encoder)
        FLAC__metadata_object_delete(comments)
    }

    func write(_ samples: UnsafeBufferPointer<Int16>) throws {
        // libFLAC takes 32-bit samples, one array per channel (its interleaved entry point would
        // copy them once more to take the one channel apart).
        if widened.count < samples.count { widened = [Int32](repeating: 0, count: samples.count) }
        let ok = widened.withUnsafeMutableBufferPointer { wide in
            for index in samples.indices { wide[index] = Int32(samples[index]) }
            var channels: [UnsafePointer<Int32>?] = [UnsafePointer(wide.baseAddress)]
            return FLAC__stream_encoder_process(encoder, &channels, UInt32(samples.count))
        }
        guard ok != 0 else { throw failure("writing failed") }
    }

    func finish(_ metadata: ExportMetadata) throws {
        finished = true
        guard FLAC__stream_encoder_finish(encoder) != 0 else { throw failure("finishing the file failed") }
        try rewriteComments(metadata)
    }

    /// A VORBIS_COMMENT block with the title, artist, comment and chapters.
    private static func commentBlock(_ metadata: ExportMetadata, path: String) throws -> UnsafeMutablePointer<FLAC__StreamMetadata> {
        guard let block = FLAC__metadata_object_new(FLAC__METADATA_TYPE_VORBIS_COMMENT) else {
            throw BodoError(.failure, at: .path(path), "libFLAC could not start")
        }
        for (key, value) in metadata.vorbisComments {
            var entry = FLAC__StreamMetadata_VorbisComment_Entry()
            guard FLAC__metadata_object_vorbiscomment_entry_from_name_value_pair(&entry, key, value) != 0,
                  FLAC__metadata_object_vorbiscomment_append_comment(block, entry, 0) != 0 else {
                FLAC__metadata_object_delete(block)
                throw BodoError(.failure, at: .path(path), "libFLAC refused the comment \(key)")
            }
        }
        return block
    }

    /// Puts the chapters' final places into the finished file through libFLAC's metadata
    /// interface. The block keeps its size (the places are fixed-width times), so libFLAC
    /// writes it where it is, on this descriptor, without copying the file.
    private func rewriteComments(_ metadata: ExportMetadata) throws {
        let file = try Self.stream(on: fd, "r+b", path: path)
        defer { fclose(file) }
        guard let chain = FLAC__metadata_chain_new(), let iterator = FLAC__metadata_iterator_new() else {
            throw BodoError(.failure, at: .path(path), "libFLAC could not start")
        }
        defer { FLAC__metadata_iterator_delete(iterator); FLAC__metadata_chain_delete(chain) }
        let io = FLAC__IOCallbacks(
            read: { fread($0, $1, $2, $3?.assumingMemoryBound(to: FILE.self)) },
            write: { fwrite($0, $1, $2, $3?.assumingMemoryBound(to: FILE.self)) },
            seek: { fseeko($0?.assumingMemoryBound(to: FILE.self), off_t($1), $2) },
            tell: { FLAC__int64(ftello($0?.assumingMemoryBound(to: FILE.self))) },
            eof: { feof($0?.assumingMemoryBound(to: FILE.self)) },
            close: nil)
        rewind(file)
        guard FLAC__metadata_chain_read_with_callbacks(chain, file, io) != 0 else { throw chainFailure(chain, "reading the file back failed") }
        FLAC__metadata_iterator_init(iterator, chain)
        while FLAC__metadata_iterator_get_block_type(iterator) != FLAC__METADATA_TYPE_VORBIS_COMMENT {
            guard FLAC__metadata_iterator_next(iterator) != 0 else { throw chainFailure(chain, "the file has no comment block") }
        }
        // The iterator owns the new block from here on.
        guard FLAC__metadata_iterator_set_block(iterator, try Self.commentBlock(metadata, path: path)) != 0 else {
            throw chainFailure(chain, "libFLAC refused the comments")
        }
        guard FLAC__metadata_chain_check_if_tempfile_needed(chain, 0) == 0 else {
            throw BodoError(.failure, at: .path(path), "the file's comments changed size as the speech arrived")
        }
        guard FLAC__metadata_chain_write_with_callbacks(chain, 0, file, io) != 0, fflush(file) == 0 else {
            throw chainFailure(chain, "writing the comments failed")
        }
    }

    /// A FILE on a copy of the descriptor (fclose closes the copy; the exporter keeps its own),
    /// the copy closed again if the FILE cannot be made.
    private static func stream(on fd: Int32, _ mode: String, path: String) throws -> UnsafeMutablePointer<FILE> {
        let copy = dup(fd)
        guard copy >= 0, let file = fdopen(copy, mode) else {
            if copy >= 0 { close(copy) }
            throw BodoError(.failure, at: .path(path), "cannot write: \(systemError())")
        }
        return file
    }

    /// libFLAC says only that its I/O (or its FILE, the "client") failed; the system's reason (a full disk, a size limit)
    /// is in errno, read before anything else can change it.
    private func chainFailure(_ chain: OpaquePointer, _ what: String) -> BodoError {
        let reason = errno
        let status = FLAC__metadata_chain_status(chain)
        let said = status == FLAC__METADATA_CHAIN_STATUS_WRITE_ERROR || status == FLAC__METADATA_CHAIN_STATUS_READ_ERROR
            || status == FLAC__METADATA_CHAIN_STATUS_SEEK_ERROR ? String(cString: strerror(reason)) : "libFLAC metadata status \(status.rawValue)"
        return BodoError(.failure, at: .path(path), "\(what): \(said)")
    }

    private func failure(_ what: String) -> BodoError {
        let reason = errno
        let state = FLAC__stream_encoder_get_state(encoder)
        let said = state == FLAC__STREAM_ENCODER_IO_ERROR || state == FLAC__STREAM_ENCODER_CLIENT_ERROR ? String(cString: strerror(reason))
            : String(cString: FLAC__stream_encoder_get_resolved_state_string(encoder))
        return BodoError(.failure, at: .path(path), "\(what): \(said)")
    }
}
