import CMediaKeys
import Foundation

/// bodo on the desktop's session bus as an MPRIS player (org.mpris.MediaPlayer2.bodo), so that
/// a headset's button, a keyboard's media keys and the desktop's media panel reach a session
/// whose person cannot reach the keyboard: play and pause, next and previous (as `n` and `b`),
/// stop (as `q`); the routine as album and the point or stretch being heard as title; the
/// session's position and length.
///
/// Used on the player's rendering thread only, through `SessionControls`-like composites: the
/// bus is read in the player's own wait (`descriptor`) and answered in `command()`, and nothing
/// here ever waits for the bus, so a bus that hangs costs the session nothing. The D-Bus side is
/// C (CMediaKeys), because sd-bus builds its object tables with macros.
public final class MediaKeys {
    private let handle: OpaquePointer
    private let sampleRate: Int
    private let album: String
    private var failed = false
    private var last: PlayerStatus?

    /// Connects and asks for the name; nil when there is no session bus (a console, ssh, a
    /// service), and then nothing changes. The name is owned a moment later (`name`).
    public init?(album: String, sampleRate: Int) {
        var error: Int32 = 0
        guard let handle = bodo_mpris_open(album, &error) else { return nil }
        self.handle = handle
        self.sampleRate = sampleRate
        self.album = album
    }

    deinit { bodo_mpris_close(handle) }

    /// The bus connection, to wait on with the player's other inputs; nil once it is gone.
    public var descriptor: Int32? { failed ? nil : bodo_mpris_fd(handle) }

    /// The bus name once the bus has given it (after a few round trips), else nil.
    public var name: String? { bodo_mpris_name(handle).map { String(cString: $0) } }

    /// Answers what the bus sent, without waiting, and returns the oldest command a key asked for.
    public func command() -> PlayerCommand? {
        if !failed, bodo_mpris_process(handle) < 0 { failed = true }
        switch Int(bodo_mpris_take_command(handle)) {
        case Int(BODO_MPRIS_PLAY.rawValue): return .resume
        case Int(BODO_MPRIS_PAUSE.rawValue): return .pause
        case Int(BODO_MPRIS_PLAY_PAUSE.rawValue): return .togglePause
        case Int(BODO_MPRIS_NEXT.rawValue): return .next
        case Int(BODO_MPRIS_PREVIOUS.rawValue): return .back
        case Int(BODO_MPRIS_STOP.rawValue): return .quit
        default: return nil
        }
    }

    /// Where the session is (the player's status, about five times a second).
    public func show(_ status: PlayerStatus) {
        last = status
        let state = status.paused ? BODO_MPRIS_PAUSED : BODO_MPRIS_PLAYING
        _ = bodo_mpris_update(handle, Int32(state.rawValue), status.title ?? album, microseconds(status.position),
                              Self.now(), microseconds(status.totalSamples))
    }

    /// What the player did: a pause or a resume shows at once (not at the next status), and a
    /// jump is the Seeked signal, so a panel's position follows it.
    public func note(_ event: PlayerEvent) {
        switch event {
        case .paused(let at):
            if var status = last { status.paused = true; status.position = at; show(status) }
        case .resumed(let at):
            if var status = last { status.paused = false; status.position = at; show(status) }
            _ = bodo_mpris_seeked(handle, microseconds(at), Self.now())
        case .jumped(_, let to):
            _ = bodo_mpris_seeked(handle, microseconds(to), Self.now())
        default:
            break
        }
    }

    private func microseconds(_ samples: Int) -> Int64 {
        Int64(samples) * 1_000_000 / Int64(sampleRate)
    }

    private static func now() -> Int64 { Int64(MonotonicClock.nanoseconds() / 1000) }
}
