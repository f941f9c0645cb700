import Foundation

/// What a person can ask of a live session (none of it is ever needed to follow one).
/// `pause` and `resume` are a media player's separate Pause and Play: each does nothing when the
/// session already is so, where the space bar's `togglePause` always changes it.
public enum PlayerCommand: Sendable, Equatable {
    case togglePause, pause, resume, next, back, quit, interrupt
}

/// Where commands come from: a terminal's keys, a signal, the desktop's media keys, or nothing.
public protocol PlayerControls {
    /// Descriptors the player watches while it waits (a terminal, a signal's pipe, the session
    /// bus): any of them becoming readable ends the wait at once.
    var inputs: [Int32] { get }
    /// Called after every wait, with those of `inputs` that have something to read; nil when no
    /// command is due.
    mutating func command(ready: Set<Int32>) -> PlayerCommand?
}

/// What happens in a live session, as it happens: the command that plays it says what it
/// wants of these (a line for an underrun, the device's parameters with `--verbose`).
public enum PlayerEvent: Sendable, Equatable {
    /// The first frames were handed to the device, which granted `parameters`, at `firstFramesAt`
    /// (CLOCK_MONOTONIC, nanoseconds).
    case started(DeviceParameters, firstFramesAt: UInt64)
    /// The device ran out of samples around this session position and was restarted, with a
    /// buffer of `bufferMilliseconds` now; the session goes on. `count`: underruns so far.
    /// `ringMilliseconds`: what the ring held for the device then: about nothing when the
    /// rendering (or the speech behind it) was late, more when the device's thread was.
    case underrun(at: Int, count: Int, bufferMilliseconds: Int, ringMilliseconds: Int)
    /// `n` or `b`: the session moved from one position to another (everything after a jump
    /// plays as the timeline has it, exact to the sample).
    case jumped(from: Int, to: Int)
    case paused(at: Int)
    /// Picking up at `at`, after the short words that say where that is.
    case resumed(at: Int)
    /// A wait of the person's began (a search, a move into position): bodo listens.
    case listening(CueContext, Phase)
    /// The person said so: the session goes straight on at `found.to`.
    case found(FoundIt)
    /// The sound that was "found it" has ended: it lasted `seconds`.
    case soundEnded(FoundItDetector.Kind, seconds: Double)
}

/// "Found it", as heard: what, how loud, how long, which wait it ended.
public struct FoundIt: Sendable, Equatable {
    /// A word or a tap.
    public var kind: FoundItDetector.Kind
    /// How far above the room it was, in dB.
    public var aboveRoom: Double
    /// How much of the sound had been heard when the detector decided (from its onset), in seconds.
    public var heardFor: Double
    /// From the decision until the player acted on it, on the microphone's clock, in seconds.
    public var actedAfter: Double
    /// Seconds from the start of the wait until bodo went on (the search's length).
    public var waited: Double
    public var context: CueContext
    /// The wait it ended: a search, or a move into position.
    public var phase: Phase
    /// The session position the session goes on at (the press).
    public var to: Int
}

/// Where the session is, for a progress line.
public struct PlayerStatus: Sendable, Equatable {
    /// The sample being heard.
    public var position: Int
    public var totalSamples: Int
    public var context: CueContext
    /// The point's or stretch's name as the plan has it ("Point 4, right side"); nil outside them.
    public var title: String?
    public var phase: Phase?
    public var paused: Bool
    /// bodo is listening for "found it".
    public var listening = false
}

public struct PlayOptions: Sendable {
    public var device = "default"
    /// The device buffer, in four periods (`PCMDevice`). 60 ms: on a busy machine
    /// (bench/load.sh, eight busy processes on two cores, the writer at real-time priority)
    /// 20 ms through PulseAudio left gaps, because the server's own thread that takes the data
    /// is not real-time; Ctrl-C still ends the sound and exits in about 80 ms (bench/play-stop.sh:
    /// the buffer, a quarter of it for the write in progress, and the 10 ms fade). The tick's
    /// timing is the timeline's, so the buffer only sets how soon a command is heard.
    public var latencyMilliseconds = 60
    /// The session sample to start at (the start of a point or stretch for `--from`).
    public var startAt = 0
    /// Listens for "found it" during the person's waits (`--listen`): given exactly when the
    /// session's plan was made with `PlanOptions.listen` (`LivePlayer.play` refuses otherwise).
    public var listener: Listener?
    /// Open a device even when it would truncate an existing file (`--force`; see `PCMDevice`).
    public var mayOverwriteFiles = false

    public init() {}
}

/// How a live session ended.
public struct PlaySummary: Sendable {
    public var parameters: DeviceParameters
    /// How it stopped: at the end, or asked to (`q`, Ctrl-C).
    public var stoppedBy: PlayerCommand?
    /// The session sample heard last.
    public var position: Int
    public var underruns: Int
    /// Frames handed to the device, silences of pauses included.
    public var framesPlayed: Int
    /// Wall time from the first frame handed to the device until it had played the last.
    public var wallSeconds: Double
    /// How far the sound fell behind (+) or ran ahead of (-) the wall clock over the session:
    /// between a moment early on and the last write, the wall time elapsed minus the frames the
    /// device says it played in it (frames written minus its delay) over the rate. Underruns and
    /// a device clock off its nominal rate show here; the pipeline's fixed latency cancels out.
    public var driftSeconds: Double
    /// CLOCK_MONOTONIC when the first frames were handed to ALSA, in nanoseconds.
    public var firstFramesAt: UInt64
    /// How long each point's search took until "found it", in seconds, when bodo listened (what
    /// the journal keeps for a learned pace); and the searches that ran out with no word.
    public var searches: [Int: Double] = [:]
    public var searchesWithoutWord: [Int: Double] = [:]
}
