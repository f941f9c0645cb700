import Synchronization

/// A single-producer, single-consumer ring of samples between the thread that renders the
/// session and the thread that owns the sound device.
///
/// Neither side ever blocks the other, takes a lock or allocates: each index is written by one
/// side only and read by the other through acquire/release atomics, which is what lets the
/// device thread keep its loop free of anything that can stall it.
public final class SampleRing: @unchecked Sendable {
    // @unchecked: `storage` is shared, but the producer only writes the free part and the consumer
    // only reads the filled part, with the indices below ordering the two.
    private let storage: UnsafeMutablePointer<Int16>
    public let capacity: Int
    private let mask: Int
    /// Total samples ever written (producer) and read (consumer); their difference is the fill.
    private let written = Atomic<Int>(0)
    private let read = Atomic<Int>(0)

    /// `capacity` is rounded up to a power of two.
    public init(capacity: Int) {
        var size = 1
        while size < capacity { size <<= 1 }
        self.capacity = size
        mask = size - 1
        storage = .allocate(capacity: size)
        storage.initialize(repeating: 0, count: size)
    }

    deinit { storage.deallocate() }

    /// How many samples have ever been written, and read (or dropped).
    public var writeIndex: Int { written.load(ordering: .acquiring) }
    public var readIndex: Int { read.load(ordering: .acquiring) }

    /// Samples ready for the consumer.
    public var readable: Int { written.load(ordering: .acquiring) - read.load(ordering: .relaxed) }
    /// Room for the producer.
    public var writable: Int { capacity - (written.load(ordering: .relaxed) - read.load(ordering: .acquiring)) }

    /// Producer: appends up to `samples.count` samples; returns how many fit.
    @discardableResult
    public func write(_ samples: UnsafeBufferPointer<Int16>) -> Int {
        let start = written.load(ordering: .relaxed)
        let count = min(samples.count, capacity - (start - read.load(ordering: .acquiring)))
        guard count > 0, let source = samples.baseAddress else { return 0 }
        let first = min(count, capacity - (start & mask))
        (storage + (start & mask)).update(from: source, count: first)
        if count > first { storage.update(from: source + first, count: count - first) }
        written.store(start + count, ordering: .releasing)
        return count
    }

    /// Consumer: moves up to `buffer.count` samples out; returns how many.
    public func read(into buffer: UnsafeMutableBufferPointer<Int16>) -> Int {
        let start = read.load(ordering: .relaxed)
        let count = min(buffer.count, written.load(ordering: .acquiring) - start)
        guard count > 0, let target = buffer.baseAddress else { return 0 }
        let first = min(count, capacity - (start & mask))
        target.update(from: storage + (start & mask), count: first)
        if count > first { (target + first).update(from: storage, count: count - first) }
        read.store(start + count, ordering: .releasing)
        return count
    }

    /// Consumer: drops everything ready; returns how many samples were dropped.
    public func discardAll() -> Int {
        let start = read.load(ordering: .relaxed)
        let end = written.load(ordering: .acquiring)
        read.store(end, ordering: .releasing)
        return end - start
    }
}
