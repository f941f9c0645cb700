/// The "found it" detector as a wait of the player hears it. bodo knows when it sounds, so what
/// the microphone hears of bodo itself (its words, ticks and their echo) never teaches the
/// detector the room, and only what begins in bodo's quiet counts. A word the person begins over
/// bodo's last moments still counts, once it grows louder than they were: an echo only fades.
///
/// Single-threaded and without allocation: `Listener` runs it on its detector thread, and
/// `bench/listen.sh` runs the same code over a session's echo offline.
public struct GuardedDetector: ~Copyable {
    /// Where, on the capture clock, bodo is quiet: what begins in `words` counts, and `room`'s
    /// frames teach the detector the room. Before bodo first sounds, it is all room.
    public struct Window: Sendable, Equatable {
        public var words: Range<Int> = Int.max..<Int.max
        public var room: Range<Int> = 0..<Int.max

        public init() {}

        /// The quiet after a sound of bodo's that ended at capture sample `end`, up to the next
        /// one at `next` (the wait's end, if no word ends it sooner).
        public init(afterBodoStopsAt end: Int, nextSoundAt next: Int = .max) {
            let rate = FoundItDetector.sampleRate
            // The next sound's start is mapped from the player's clock as well: its echo may
            // come sooner than `next` says (seen: a reminder heard as a word 160 ms before the
            // wait's end was reached), so nothing that begins in the last 300 ms counts or is
            // the room.
            let last = next == .max ? .max : next - rate * Self.reverberationMilliseconds / 1000
            let wordsFrom = end + rate * Self.echoMilliseconds / 1000
            let roomFrom = end + rate * Self.reverberationMilliseconds / 1000
            words = wordsFrom..<max(wordsFrom, last)
            room = roomFrom..<max(roomFrom, last)
        }

        /// bodo's sound reaches the room from `sample` on: nothing from there is the room.
        public mutating func bodoSounds(from sample: Int) {
            room = room.lowerBound..<max(room.lowerBound, min(room.upperBound, sample))
        }

        /// No longer listening (the wait is over): nothing counts, and bodo sounds from `sample`.
        public mutating func stopListening(at sample: Int) {
            words = Int.max..<Int.max
            bodoSounds(from: sample)
        }

        /// How long after bodo's last sound a word may begin and count: the sound's own end in
        /// the room (the alignment of the two clocks is good to a few tens of milliseconds),
        /// not the reverberation's, which a word must not be mistaken for: a tail is the end of
        /// a run of voice that began before this.
        public static let echoMilliseconds = 150
        /// How long after bodo's last sound the room is measured again: past a living room's
        /// reverberation, so bodo's own voice never raises the bar for the person's.
        public static let reverberationMilliseconds = 300
    }

    /// A word begun before the window's words may begin counts once it is this many dB
    /// louder than it was there.
    static let wordRisesBy = 6.0

    public private(set) var detector: FoundItDetector
    /// The capture sample of the next frame.
    public private(set) var position = 0
    /// The quiet being listened to: where its words may begin, the level there, the loudest since.
    private var quiet: (from: Int, levelThere: Double?, loudest: Double) = (.max, nil, -90)
    /// A word that began in bodo's last moments, waiting to rise.
    private var begunEarly: FoundItDetector.Detection?
    /// A word was still sounding where the quiet began (`FoundItDetector.endWord`).
    private var soundingAtQuiet = false

    public init(tuning: FoundItDetector.Tuning = .init()) {
        detector = FoundItDetector(tuning: tuning)
    }

    /// Hears the next 10 ms; returns what the person was heard to begin in `window.words`.
    public mutating func feed(_ frame: UnsafeBufferPointer<Int16>, in window: Window) -> FoundItDetector.Detection? {
        let from = window.words.lowerBound, until = window.words.upperBound
        let detection = detector.feed(frame, listeningFrom: from, room: window.room.contains(position))
        position += frame.count
        if from != quiet.from { quiet = (from, nil, -90); soundingAtQuiet = false }
        if quiet.levelThere == nil, from < position, from != .max {
            quiet.levelThere = detector.lastLevel
            quiet.loudest = detector.lastLevel
            // Still in a word where the quiet begins: bodo's echo, or the person speaking into
            // it. What goes on is heard anew, and counts if it rises.
            if detector.hearingWord {
                detector.endWord()
                soundingAtQuiet = true
            }
        } else if quiet.levelThere != nil {
            quiet.loudest = max(quiet.loudest, detector.lastLevel)
        }
        let rate = FoundItDetector.sampleRate
        let risen = rate * Window.echoMilliseconds / 1000
        let early = rate * Window.reverberationMilliseconds / 1000
        if let detection, detection.onset >= from, detection.onset < until,
           !(soundingAtQuiet && detection.kind == .voice && detection.onset < from + risen) {
            begunEarly = nil
            return detection
        } else if let detection, detection.kind == .voice, from != .max, detection.onset < until, detection.onset >= from - early {
            begunEarly = detection
        }
        // A word begun in bodo's last moments (or over their echo) counts once it grows louder
        // after them: an echo only fades, the person's word rises.
        guard let begun = begunEarly else { return nil }
        if !detector.hearingWord || from == .max {
            begunEarly = nil
        } else if let there = quiet.levelThere, quiet.loudest >= there + Self.wordRisesBy {
            begunEarly = nil
            return FoundItDetector.Detection(kind: .voice, onset: begun.onset, decidedAt: position, aboveRoom: begun.aboveRoom)
        }
        return nil
    }
}
