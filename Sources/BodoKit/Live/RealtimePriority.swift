import Foundation

/// Real-time scheduling for the device's thread, where the system grants it.
///
/// On a busy machine (a build beside the session is the normal case on a laptop) an ordinary
/// thread can wait tens of milliseconds for a core, longer than the device's buffer lasts, and
/// the person hears a gap inside a word. A SCHED_FIFO thread runs as soon as the device wakes
/// it, whatever else is running. Sound servers do the same for their own threads (PulseAudio at
/// SCHED_RR 5 through rtkit, PipeWire at 20); bodo's writer asks for less than theirs, so the
/// server that mixes everyone's sound still comes first.
///
/// Only for a paced device: the writer then spends its time blocked in the device's write. On
/// ALSA's file and null devices nothing blocks, and a real-time thread writing as fast as it
/// can would starve the rest of the machine.
enum RealtimePriority {
    /// Below the sound servers' threads, above every ordinary one.
    static let wanted: Int32 = 4

    enum Outcome: Equatable {
        case granted(priority: Int32)
        /// Why not, in words for `--verbose`.
        case refused(String)
    }

    /// Raises the calling thread (only it: Linux applies `sched_setscheduler(0, ...)` to the
    /// thread that calls it) to SCHED_FIFO, at `wanted` or at what RLIMIT_RTPRIO allows if that
    /// is lower. Threads it starts inherit it; bodo starts no process from this thread.
    static func raiseCallingThread() -> Outcome {
        var priority = wanted
        if geteuid() != 0 {
            var limit = rlimit()
            if getrlimit(__rlimit_resource_t(__RLIMIT_RTPRIO.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max /* RLIM_INFINITY */ {
                guard limit.rlim_cur > 0 else {
                    return .refused("no real-time priority for the sound thread (RLIMIT_RTPRIO is 0)")
                }
                priority = min(priority, Int32(truncatingIfNeeded: limit.rlim_cur))
            }
        }
        var parameters = sched_param(sched_priority: priority)
        if sched_setscheduler(0, SCHED_FIFO, &parameters) == 0 {
            return .granted(priority: priority)
        }
        return .refused("no real-time priority for the sound thread (\(String(cString: strerror(errno))))")
    }

    /// Back to ordinary scheduling (for a device that is not paced).
    static func lowerCallingThread() {
        var parameters = sched_param(sched_priority: 0)
        _ = sched_setscheduler(0, SCHED_OTHER, &parameters)
    }
}
