import CSndFile
import Foundation
import Testing
@testable import BodoKit

/// What libsndfile reads back from an exported file.
struct ReadBack {
    var info = SF_INFO()
    var samples: [Int16] = []
    var cues: [(position: UInt32, id: Int32)] = []

    init(_ path: String) throws {
        guard let file = sf_open(path, Int32(SFM_READ), &info) else {
            throw BodoError(at: .path(path), "libsndfile cannot read it: \(String(cString: sf_strerror(nil)))")
        }
        defer { sf_close(file) }
        samples = [Int16](repeating: 0, count: Int(info.frames))
        let read = sf_read_short(file, &samples, info.frames)
        samples.removeLast(samples.count - Int(read))
        var count: UInt32 = 0
        if sf_command(file, Int32(SFC_GET_CUE_COUNT), &count, Int32(MemoryLayout<UInt32>.size)) == SF_TRUE, count > 0 {
            let size = 4 + Int(count) * MemoryLayout<SF_CUE_POINT>.stride
            let raw = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 8)
            defer { raw.deallocate() }
            if sf_command(file, Int32(SFC_GET_CUE), raw, Int32(size)) == SF_TRUE {
                for i in 0..<Int(raw.load(as: UInt32.self)) {
                    let point = raw.load(fromByteOffset: 4 + i * MemoryLayout<SF_CUE_POINT>.stride, as: SF_CUE_POINT.self)
                    cues.append((point.sample_offset, point.indx))
                }
            }
        }
    }
}

func rms(_ samples: ArraySlice<Int16>) -> Double {
    guard !samples.isEmpty else { return 0 }
    return (samples.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(samples.count)).squareRoot()
}
