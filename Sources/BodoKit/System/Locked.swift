import Foundation

/// A value behind a lock, for state several threads share outside any real-time loop.
///
/// An `NSLock` (a pthread mutex) rather than the standard library's `Mutex`: ThreadSanitizer
/// sees pthread locks, but not the futex underneath `Mutex` on Linux, and reports every access
/// under it as a race; `make sanitize` must tell real races from these.
public final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    public init(_ value: Value) { self.value = value }

    public func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
