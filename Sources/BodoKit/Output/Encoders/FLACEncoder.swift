import CFLAC
import Foundation

/// FLAC through libFLAC, with a VORBIS_COMMENT block holding the title, artist, comment and
/// chapters (libsndfile writes only its fixed fields there).
final class FLACEncoder: AudioEncoder {
    private let encoder: UnsafeMutablePointer<FLAC__StreamEncoder>
    private var comments: UnsafeMutablePointer<FLAC__StreamMetadata>?
    private let path: String
    private var widened: [Int32] = []
    private var finished = false

    init(fd: Int32, sampleRate: Int, path: String, metadata: ExportMetadata) throws {
        self.path = path
        guard let encoder = FLAC__stream_encoder_new() else { throw BodoError(.failure, at: .path(path), "libFLAC could not start") }
        self.encoder = encoder
        FLAC__stream_encoder_set_channels(encoder, 1)
        FLAC__stream_encoder_set_bits_per_sample(encoder, 16)
        FLAC__stream_encoder_set_sample_rate(encoder, UInt32(sampleRate))
        FLAC__stream_encoder_set_compression_level(encoder, 5)
        FLAC__stream_encoder_set_total_samples_estimate(encoder, UInt64(metadata.totalSamples))

        comments = FLAC__metadata_object_new(FLAC__METADATA_TYPE_VORBIS_COMMENT)
        for (key, value) in metadata.vorbisComments {
            var entry = FLAC__StreamMetadata_VorbisComment_Entry()
            guard FLAC__metadata_object_vorbiscomment_entry_from_name_value_pair(&entry, key, value) != 0,
                  FLAC__metadata_object_vorbiscomment_append_comment(comments, entry, 0) != 0 else {
                throw BodoError(.failure, at: .path(path), "libFLAC refused the comment \(key)")
            }
        }
        var blocks: [UnsafeMutablePointer<FLAC__StreamMetadata>?] = [comments]
        FLAC__stream_encoder_set_metadata(encoder, &blocks, 1)

        // libFLAC rewrites its STREAMINFO at the end, so it needs a seekable stream: a FILE on
        // a copy of the descriptor (fclose closes the copy, the exporter keeps its own).
        guard let file = fdopen(dup(fd), "w+b") else {
            throw BodoError(.failure, at: .path(path), "cannot write: \(systemError())")
        }
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
        widened.removeAll(keepingCapacity: true)
        widened.append(contentsOf: samples.lazy.map { Int32($0) })
        let ok = widened.withUnsafeBufferPointer { FLAC__stream_encoder_process_interleaved(encoder, $0.baseAddress, UInt32($0.count)) }
        guard ok != 0 else { throw failure("writing failed") }
    }

    func finish() throws {
        finished = true
        guard FLAC__stream_encoder_finish(encoder) != 0 else { throw failure("finishing the file failed (is the disk full?)") }
    }

    private func failure(_ what: String) -> BodoError {
        let state = FLAC__stream_encoder_get_state(encoder)
        return BodoError(.failure, at: .path(path), "\(what): libFLAC state \(state.rawValue)")
    }
}
