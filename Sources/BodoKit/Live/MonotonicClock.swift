import Foundation

/// CLOCK_MONOTONIC in nanoseconds: the time base of every timestamp the live path reports
/// (first frames, wall time, drift). A plain system call: safe on the writer's thread, which
/// must not allocate, lock or wait.
enum MonotonicClock {
    @inline(__always) static func nanoseconds() -> Int {
        var clock = timespec()
        clock_gettime(CLOCK_MONOTONIC, &clock)
        return clock.tv_sec * 1_000_000_000 + clock.tv_nsec
    }
}
