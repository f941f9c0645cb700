import CWebRTCVAD
import Foundation

/// Hears the person say they found the point: a voiced sound of about 200 ms or more (any word:
/// "now", "found", "yes"), or a sharp tap of the stick on the floor, clearly above the room.
///
/// Why this design (the evidence is in docs/listening.md): WebRTC's voice detector tells voiced
/// frames from steady noise and from clicks well, but it is not told how loud anything is, so it
/// also calls quiet background speech and loud rumble voice. The room's own level decides that:
/// a frame counts only when it is well above both the room's noise floor and its usual activity
/// (a radio playing low, someone talking in the next room), each measured over the last few
/// seconds. A tap is not voiced at all: it is a sudden, short peak far above the room.
///
/// Works on 16 kHz mono in 10 ms frames; deterministic, no allocation after `init` (it runs on
/// the listening thread, fed from the capture ring).
public struct FoundItDetector: ~Copyable {
    public static let sampleRate = 16000
    public static let frameSamples = 160

    static let tapQuietBefore = 4
    static let tapLongest = 10
    private let tuning: Tuning
    /// The room is measured over the last 3 s.
    static let historyFrames = 300

    private let vad: OpaquePointer
    /// Frame levels (dBFS) of the last `historyFrames` frames that were not part of an event.
    private var history: UnsafeMutableBufferPointer<Double>
    /// Whether WebRTC called each of those frames voice.
    private var historyVoiced: UnsafeMutableBufferPointer<Bool>
    private var historyCount = 0, historyNext = 0
    private var sorted: UnsafeMutableBufferPointer<Double>
    /// Of the last `voiceWindow` frames: which were voiced and loud enough (a ring of bits).
    private var recentVoiced: UInt64 = 0
    private var voicedRunStart: Int?
    /// After a word is heard, the rest of it is not another: nothing more until 100 ms without voice.
    private var inWord = false
    /// The word being heard after its detection: its onset, and the end of its last loud voiced frame.
    private var word: (onset: Int, end: Int)?
    /// Frames of a word not yet decided (its voiced run so far), held back from the room's
    /// history: if it becomes a word said to bodo they are dropped, otherwise remembered late.
    private var pending: UnsafeMutableBufferPointer<(level: Double, voiced: Bool)>
    private var pendingCount = 0
    /// The word being heard was said to bodo (`feed`'s `listeningFrom`): none of it is the room.
    private var wordForBodo = false
    static let pendingFrames = 64
    /// The last sound that was detected and has ended (a word 100 ms after its last voice, a
    /// tap when it is detected): how long it lasted, for `--verbose`.
    public private(set) var lastSound: Sound?
    private var quietFrames = 0
    /// A tap being heard: its onset, frames so far, peak, and whether it has ended (then it
    /// waits `tapAlone` frames for a second sharp sound that would make it the room's).
    private var tap: (onset: Int, frames: Int, peak: Double, endedAt: Int?)?
    /// The room's own sharp sounds (a clock's ticks, keys, a radiator): the peak of the loudest
    /// lately, in dBFS, falling `impulsesFall` dB a second of the room. A tap must stand over it, so a clock
    /// ticking never ends a search; bodo's own sounds and the person's taps never raise it.
    private var impulseRoom = -90.0
    private var frameIndex = 0
    private var previous: Int32 = 0
    /// The room's usual edge peak (a slow average of frames' first-difference peaks, in dBFS).
    private var edgeRoom = -90.0
    /// The room as last measured: its floor and its usual activity, in dBFS.
    /// The last frame's level (dBFS), and whether a word heard is still going on.
    public private(set) var lastLevel = -90.0
    public var hearingWord: Bool { inWord }
    public private(set) var noiseFloor = -90.0
    public private(set) var activity = -90.0

    public init(tuning: Tuning = Tuning()) {
        self.tuning = tuning
        guard let vad = WebRtcVad_Create() else { preconditionFailure("WebRTC's voice detector could not allocate its state") }
        WebRtcVad_Init(vad)
        WebRtcVad_set_mode(vad, Int32(tuning.vadMode))
        self.vad = vad
        history = .allocate(capacity: Self.historyFrames)
        historyVoiced = .allocate(capacity: Self.historyFrames)
        historyVoiced.initialize(repeating: false)
        sorted = .allocate(capacity: Self.historyFrames)
        pending = .allocate(capacity: Self.pendingFrames)
    }

    deinit {
        WebRtcVad_Free(vad)
        history.deallocate()
        historyVoiced.deallocate()
        sorted.deallocate()
        pending.deallocate()
    }

    /// Ends the word being heard, so a voice that goes on is heard as a new one: the player's
    /// quiet begins, and what sounds on into it may be the person speaking into bodo's echo.
    public mutating func endWord() {
        guard inWord else { return }
        inWord = false
        word = nil
        wordForBodo = false
        recentVoiced = 0
        voicedRunStart = nil
    }

    /// Takes the next 10 ms (exactly `frameSamples` samples); returns a detection when this
    /// frame completes one.
    ///
    /// A word whose onset is at or after `listeningFrom` is said to bodo (the player is waiting
    /// for it): none of its frames count as the room's talk, so the person's "ready" never
    /// raises the bar for their "now" a few seconds later. Words outside it (talk in the room
    /// while bodo is quiet) are the room's, and raise the bar as they should.
    ///
    /// `room: false` says the frame holds bodo's own sound or its echo (the player knows when
    /// it sounds): it is heard, but teaches nothing about the room, so a speaker's echo into
    /// the microphone never raises the bar for the word after it.
    public mutating func feed(_ frame: UnsafeBufferPointer<Int16>, listeningFrom: Int = .max, room isRoom: Bool = true) -> Detection? {
        precondition(frame.count == Self.frameSamples, "the detector takes 10 ms frames")
        defer { frameIndex += 1 }
        var energy = 0.0
        // A tap is a click: its peak is measured on the signal's changes (a first difference),
        // which rumble and brown noise barely have.
        var edge: Int32 = 0
        for sample in frame {
            energy += Double(sample) * Double(sample)
            edge = max(edge, abs(Int32(sample) - previous))
            previous = Int32(sample)
        }
        let level = 10 * log10(max(energy / Double(frame.count), 1) / (32768.0 * 32768.0))
        lastLevel = level
        let peakLevel = 20 * log10(max(Double(edge), 1) / 32768)
        if isRoom { rememberEdge(peakLevel) }
        let room = edgeRoom
        let sample = frameIndex * Self.frameSamples

        // A tap: a sudden peak after quiet, short, and single. Any sharp sound that is not one
        // is the room's, and raises the bar for the next.
        let sharp = peakLevel >= room + tuning.tapOverRoom
        if isRoom { impulseRoom = max(-90, impulseRoom - tuning.impulsesFall / 100) }
        if var current = tap {
            current.frames += 1
            if let ended = current.endedAt {
                if sharp {
                    // A second sharp sound: the room's (typing, a clock), both of them.
                    tap = nil
                    if isRoom { impulseRoom = max(impulseRoom, current.peak, peakLevel) }
                } else if frameIndex - ended >= tuning.tapAlone {
                    tap = nil
                    lastSound = Sound(kind: .tap, onset: current.onset, end: ended * Self.frameSamples)
                    if current.onset < listeningFrom, isRoom { impulseRoom = max(impulseRoom, current.peak) }
                    return Detection(kind: .tap, onset: current.onset, decidedAt: sample + Self.frameSamples, aboveRoom: current.peak - room)
                } else {
                    tap = current
                }
            } else if level < noiseFloor + tuning.overFloor {
                current.endedAt = frameIndex
                tap = current
            } else if current.frames > Self.tapLongest {
                // Too long for a tap: a thump, a door.
                tap = nil
                if isRoom { impulseRoom = max(impulseRoom, current.peak) }
            } else {
                tap = current
            }
        } else if sharp, quietFrames >= Self.tapQuietBefore, historyCount >= Self.tapQuietBefore,
                  peakLevel >= impulseRoom + tuning.tapOverImpulses {
            tap = (sample, 0, peakLevel, nil)
        } else if sharp, isRoom {
            impulseRoom = max(impulseRoom, peakLevel)
        }

        // A word: enough voiced, loud frames in the window.
        let voiced = WebRtcVad_Process(vad, Int32(Self.sampleRate), frame.baseAddress, frame.count) == 1
        let threshold = noiseFloor + tuning.overFloor + tuning.busyRoom * max(0, activity - noiseFloor - 2)
        let loud = level >= threshold
        let windowMask: UInt64 = (1 << UInt64(tuning.voiceWindow)) - 1
        recentVoiced = ((recentVoiced << 1) | (voiced && loud ? 1 : 0)) & windowMask
        if inWord, recentVoiced & 0b11_1111_1111 == 0 {
            inWord = false
            wordForBodo = false
            if let heard = word { lastSound = Sound(kind: .voice, onset: heard.onset, end: heard.end) }
            word = nil
        }
        if voiced && loud {
            if inWord, word != nil { word!.end = sample + Self.frameSamples }
            if voicedRunStart == nil { voicedRunStart = sample }
        } else if recentVoiced & 0b111 == 0 {
            voicedRunStart = nil
            commitPending()
        }
        if !inWord, recentVoiced.nonzeroBitCount >= tuning.voicedFrames, let onset = voicedRunStart {
            inWord = true
            word = (onset, sample + Self.frameSamples)
            voicedRunStart = nil
            wordForBodo = onset >= listeningFrom
            if wordForBodo { pendingCount = 0 } else { commitPending() }
            return Detection(kind: .voice, onset: onset, decidedAt: sample + Self.frameSamples, aboveRoom: level - noiseFloor)
        }

        // The room: frames that are no part of an event.
        quietFrames = peakLevel < edgeRoom + 6 || historyCount < Self.tapQuietBefore ? quietFrames + 1 : 0
        if tap == nil, !wordForBodo, isRoom {
            if voicedRunStart != nil, !inWord { hold(level, voiced: voiced) } else { remember(level, voiced: voiced) }
        }
        return nil
    }

    /// Keeps a frame of a voiced run back until it is known whether the run is a word said to
    /// bodo; the oldest goes to the room when there are too many (a run that never decides).
    private mutating func hold(_ level: Double, voiced: Bool) {
        if pendingCount == Self.pendingFrames {
            remember(pending[0].level, voiced: pending[0].voiced)
            for index in 1..<pendingCount { pending[index - 1] = pending[index] }
            pendingCount -= 1
        }
        pending[pendingCount] = (level, voiced)
        pendingCount += 1
    }

    /// The held frames were the room's after all.
    private mutating func commitPending() {
        for index in 0..<pendingCount { remember(pending[index].level, voiced: pending[index].voiced) }
        pendingCount = 0
    }

    /// Follows the room's usual click level: down fast, up slowly, never by a tap itself.
    private mutating func rememberEdge(_ peak: Double) {
        if historyCount < Self.tapQuietBefore { edgeRoom = max(edgeRoom, peak); return }
        edgeRoom += peak < edgeRoom ? (peak - edgeRoom) * 0.05 : min(peak - edgeRoom, 3) * 0.02
    }

    /// Adds a frame's level to the room's history and measures the room again: its floor is
    /// the quietest fifth of the last 3 s, its activity the loudest fifth of the frames in them
    /// that WebRTC called voice (someone talking nearby, a radio), fading toward the floor when
    /// there are too few of them (a steady fan swings in level but is not voice).
    private mutating func remember(_ level: Double, voiced: Bool) {
        history[historyNext] = level
        historyVoiced[historyNext] = voiced
        historyNext = (historyNext + 1) % Self.historyFrames
        historyCount = min(historyCount + 1, Self.historyFrames)
        // Every 10th frame is often enough for a room.
        guard frameIndex % 10 == 0 || historyCount < 10 else { return }
        for index in 0..<historyCount { sorted[index] = history[index] }
        var all = UnsafeMutableBufferPointer(rebasing: sorted[0..<historyCount])
        all.sort()
        noiseFloor = all[historyCount / 5]
        var voicedCount = 0
        for index in 0..<historyCount where historyVoiced[index] {
            sorted[voicedCount] = history[index]
            voicedCount += 1
        }
        // Talk that pauses is still there: its level fades by 1 dB a second, not at once.
        guard voicedCount >= 30 else { activity = max(noiseFloor, activity - 0.1); return }
        var talk = UnsafeMutableBufferPointer(rebasing: sorted[0..<voicedCount])
        talk.sort()
        activity = talk[voicedCount * 4 / 5]
    }
}
