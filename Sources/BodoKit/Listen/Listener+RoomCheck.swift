import Foundation

extension Listener {
    /// What a second of the room said about listening in it.
    public enum RoomCheck: Sendable, Equatable {
        /// Sound came: the room's floor in dBFS, and whether it is loud enough (above -30 dBFS)
        /// that a word may be lost in it.
        case heard(floor: Double, loud: Bool)
        /// The microphone gave no sound in time, or failed (its reason, if it gave one).
        case silent(BodoError?)
    }

    /// The room above which words may be lost: a person still gets each search's `search_max`.
    public static let loudRoom = -30.0

    /// Waits for a second of the room on the capture clock, at most `seconds` of wall time (a
    /// microphone that gives nothing must not hold the session up), and says what it heard.
    /// The wall clock only bounds the wait; what is measured is the capture clock's second.
    public func checkRoom(seconds: Double = 3) -> RoomCheck {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while now < FoundItDetector.sampleRate, ContinuousClock.now < deadline, problem == nil {
            Thread.sleep(forTimeInterval: 0.02)
        }
        guard problem == nil, now >= FoundItDetector.sampleRate else { return .silent(problem) }
        let floor = roomLevel.floor
        return .heard(floor: floor, loud: floor > Self.loudRoom)
    }
}
