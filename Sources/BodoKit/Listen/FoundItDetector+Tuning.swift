/// What the detector reports, and the thresholds it decides by.
extension FoundItDetector {
    public enum Kind: String, Sendable, Equatable { case voice, tap }

    public struct Detection: Sendable, Equatable {
        public var kind: Kind
        /// The sample (in the detector's stream, from its first frame) where the sound began.
        public var onset: Int
        /// The sample at which the detector decided: `decidedAt - onset` is its delay.
        public var decidedAt: Int
        /// How far above the room the sound was, in dB.
        public var aboveRoom: Double
    }

    /// A sound heard to its end: where it began and ended, in the detector's samples.
    public struct Sound: Sendable, Equatable {
        public var kind: Kind
        public var onset: Int
        public var end: Int
    }

    /// The thresholds, chosen with `bench/listen.sh` (docs/listening.md).
    public struct Tuning: Sendable {
        /// A voiced frame must be this far above the noise floor, plus `busyRoom` dB for each dB
        /// the room's loudest fifth stands above its floor (beyond the 2 dB steady noise has):
        /// in a steady room a word 10 dB above it is heard; where someone talks in the
        /// background, only a voice well above that talk is.
        public var overFloor = 6.0
        public var busyRoom = 1.5
        /// Voiced frames (10 ms) a word needs within `voiceWindow` frames: about 200 ms of voice.
        public var voicedFrames = 16
        public var voiceWindow = 24
        /// A tap: a frame's peak this far above the room, after quiet, and gone within 100 ms.
        public var tapOverRoom = 20.0
        /// ... and this far above the room's own sharp sounds lately (a clock's ticks, typing),
        /// with no other sharp sound in the `tapAlone` frames after it: a tap is single.
        public var tapOverImpulses = 6.0
        public var tapAlone = 12
        /// How fast the room's sharp sounds are forgotten, in dB per second of the room: slowly
        /// enough that typing's next burst, seconds later, still finds the bar its keys set.
        public var impulsesFall = 0.25
        /// WebRTC's mode: 0 (calls most things voice) to 3 (calls least).
        public var vadMode = 2
        public init() {}
    }
}
