import CSndFile
import Foundation

/// WAV through libsndfile, with the title, artist and comment (LIST INFO) and a named cue
/// marker at each point and stretch (`WAVMarkers`, appended once the file is complete, so
/// writing starts before all speech exists).
final class SndFileEncoder: AudioEncoder {
    private let file: OpaquePointer
    private let fd: Int32
    private let path: String
    private var finished = false

    init(fd: Int32, sampleRate: Int, path: String) throws {
        var info = SF_INFO()
        info.samplerate = Int32(sampleRate)
        info.channels = 1
        info.format = Int32(SF_FORMAT_WAV | SF_FORMAT_PCM_16)
        // The descriptor stays ours (last argument 0): the markers, fsync and mode follow on it.
        guard let file = sf_open_fd(fd, Int32(SFM_WRITE), &info, 0) else {
            throw BodoError(.failure, at: .path(path), "libsndfile cannot write WAV: \(String(cString: sf_strerror(nil)))")
        }
        self.file = file
        self.fd = fd
        self.path = path
    }

    deinit { if !finished { sf_close(file) } }

    func write(_ samples: UnsafeBufferPointer<Int16>) throws {
        guard sf_write_short(file, samples.baseAddress, sf_count_t(samples.count)) == samples.count else {
            // libsndfile's text for a failed write is "System error : <strerror>." : say the
            // system's reason as every other format does.
            let reason = errno
            throw BodoError(.failure, at: .path(path), "writing failed: \(reason != 0 ? String(cString: strerror(reason)) : String(cString: sf_strerror(file)))")
        }
    }

    func finish(_ metadata: ExportMetadata) throws {
        // A LIST INFO chunk, which libsndfile writes after the data when the strings come last:
        // the title, artist and comment every other format carries too.
        // libsndfile refuses an empty string, so an empty comment is left out.
        for (kind, text) in [(SF_STR_TITLE, metadata.title), (SF_STR_ARTIST, metadata.artist), (SF_STR_COMMENT, metadata.comment)] where !text.isEmpty {
            guard sf_set_string(file, Int32(kind), ExportMetadata.tagText(text)) == 0 else {
                throw BodoError(.failure, at: .path(path), "libsndfile refused the WAV's \(kind == SF_STR_TITLE ? "title" : kind == SF_STR_ARTIST ? "artist" : "comment"): \(String(cString: sf_strerror(file)))")
            }
        }
        finished = true
        guard sf_close(file) == 0 else {
            throw BodoError(.failure, at: .path(path), "finishing the file failed (is the disk full?)")
        }
        try WAVMarkers.append(metadata.markers, toDescriptor: fd, path: path)
    }
}
