import ArgumentParser
import BodoKit
import Foundation

struct Play: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Play the session live through ALSA (what plain `bodo` does).",
        discussion: """
        Lie down and listen: bodo names each point and its side, gives you time to find it, \
        ticks once a second while you press, and says when to release. You never need to touch \
        anything, but when a hand is free, on a terminal:
          space  pause / resume (on resume bodo says where you are)
          n      skip to the next point or stretch
          b      back to the start of this point or stretch
          q      quit            (Ctrl-C also stops, with a short fade)

        On a desktop, headset buttons, a keyboard's media keys and the desktop's media panel work \
        too (bodo is an MPRIS player there, org.mpris.MediaPlayer2.bodo): play and pause, next and \
        previous (as n and b), stop (as q); the panel shows the point or stretch being heard. \
        Without a desktop session bus nothing changes.

        What plays is exactly what `bodo export` writes for the same options, but for one \
        sentence at the end that says which session of the week this is (from your journal: \
        `bodo journal`; --no-journal leaves this session out of it and says nothing). With no sound \
        device, bodo says so and exits with status 3; `bodo export session.wav` gives you the \
        session as a file instead. `bodo devices` lists the devices ALSA offers.
        """
    )

    @OptionGroup var session: SessionOptions

    @Option(help: ArgumentHelp("The ALSA playback device (see `bodo devices`).", valueName: "name"))
    var device = "default"

    @Option(help: ArgumentHelp("Output buffer in milliseconds (default 60), in four periods; larger is safer on a busy machine and costs less CPU, smaller answers keys and Ctrl-C sooner (the sound stops about a buffer and a quarter after a key).",
                               valueName: "ms"))
    var latency: Int?

    @Option(help: ArgumentHelp("Start at point N, or at a stretch with stretch:N.", valueName: "N|stretch:N"))
    var from: String?

    @Flag(name: .shortAndLong, help: "No progress line and no summary.")
    var quiet = false

    @Flag(help: "Also print what the device granted, when the first sound left, the drift, and the name bodo has on the session bus for media keys.")
    var verbose = false

    @Flag(help: "Leave this session out of the journal (see `bodo journal`).")
    var noJournal = false

    @Flag(help: "Listen through the microphone: say a word or tap the floor when you have found a point, and bodo goes on to \"press\" (a search lasts at most --search-max); say a word once you are in a new position, and it goes on to the search (or it goes on after the move's time).")
    var listen = false

    @Option(help: ArgumentHelp("With --listen, the longest a search waits for you, with a reminder halfway (default: the script's search_max, usually 45s).",
                               valueName: "duration"))
    var searchMax: String?

    @Option(help: ArgumentHelp("The ALSA capture device to listen with (see `arecord -L`).", valueName: "name"))
    var mic = "default"

    @Flag(help: "Open --device or --mic even if it writes into a file that exists. ALSA's file plugin (`file:'x',raw`, `tee:...`, or `type file` in ~/.asoundrc) empties its file and fills it with sound, for a microphone too; without --force bodo refuses such a device (status 2) and only ever makes new files.")
    var force = false

    func validate() throws {
        if let latency, !(4...2000).contains(latency) {
            throw BodoError(at: .option("--latency"), "must be between 4 and 2000 milliseconds, not \(latency)")
        }
    }

    func run() throws {
        let searchMax = try self.searchMax.map { try SessionOptions.duration($0, "--search-max") }
        // Bad input is told before the microphone opens and listens to the room for a second.
        if listen { try session.check() }
        if !force {
            try DeviceCheck.refuseFileOverwrite(device, option: "--device")
            if listen { try DeviceCheck.refuseFileOverwrite(mic, option: "--mic") }
        }
        // A journal bodo may not write is said once, here, and then left alone.
        var journal = noJournal ? nil : session.journalFile
        if let problem = journal?.problem(inputs: session.inputs) {
            Console.error("\(problem) (this session will not be in the journal)")
            journal = nil
        }
        var earlier: [Journal.Entry] = []
        do { earlier = try journal?.entries() ?? [] } catch {
            Console.error("\(error) (this session will not be in the journal)")
            journal = nil
        }
        let listener = listen ? try openMicrophone() : nil
        defer { listener?.stop() }
        let startPoint = try from.map { try SessionRange.Place($0, option: "--from") }?.point
        let built = try session.makeSession(played: true) { options in
            options.startPoint = startPoint
            // The outro says which session of the week this is.
            if journal != nil { options.sessionOfTheWeek = JournalSummary(earlier).sessionsThisWeek + 1 }
            options.listen = listener != nil
            options.searchMax = searchMax
        }
        var options = PlayOptions()
        options.device = device
        options.mayOverwriteFiles = force
        if let latency { options.latencyMilliseconds = latency }
        options.listener = listener
        if let from { options.startAt = try startPosition(from, in: built) }

        let terminal = Terminal()
        let progress = ProgressLine(enabled: !quiet && isatty(STDOUT_FILENO) == 1, fd: STDOUT_FILENO)
        // Media keys and headset buttons, when there is a desktop session bus; none, silently, otherwise.
        let media = MediaKeys(album: built.routine.name, sampleRate: built.sampleRate)
        var announced = false
        var controls = SessionControls(keyboard: KeyboardControls(terminal: terminal), media: media)
        Interrupt.install()
        defer { terminal.restore() }

        let summary = try LivePlayer(session: built, options: options).play(
            controls: &controls,
            events: { event in
                media?.note(event)
                switch event {
                case let .started(parameters, firstFrames) where verbose:
                    Console.error(parameters.description)
                    Console.error(String(format: "first frames to ALSA at %.3f ms (CLOCK_MONOTONIC)", Double(firstFrames) / 1e6))
                case let .listening(context, phase) where verbose:
                    progress.clear()
                    Console.error("listening: \(built.plan.titles[context] ?? "the session"), \(phase.rawValue)")
                case let .found(found) where verbose:
                    progress.clear()
                    Console.error(String(format: "heard a %@ %.0f dB over the room, %.1f s into the %@ at %@ (decided %.0f ms after it began, acted on %.0f ms later); going on",
                                         found.kind == .voice ? "word" : "tap", found.aboveRoom, found.waited, found.phase == .search ? "search" : "move",
                                         built.plan.titles[found.context] ?? "the session", found.heardFor * 1000, found.actedAfter * 1000))
                case let .soundEnded(kind, seconds) where verbose:
                    progress.clear()
                    Console.error(String(format: "the %@ lasted %.0f ms", kind == .voice ? "word" : "tap", seconds * 1000))
                case let .underrun(position, count, buffer, ring) where count == 1 || verbose:
                    // The device ran dry and was restarted: said once, above the progress line,
                    // with what to do (`--verbose` says each, and what was ready for it).
                    progress.clear()
                    Console.error("the sound device ran out of samples at \(SampleTime(position, built.sampleRate).minutes); "
                        + "going on with a \(buffer) ms buffer (on a busy machine, --latency \(buffer) starts with one)"
                        + (verbose ? "; \(ring) ms were ready for it" : ""))
                default:
                    break
                }
            },
            status: { status in
                media?.show(status)
                if verbose, !announced, let name = media?.name {
                    announced = true
                    progress.clear()
                    Console.error("media keys: bodo is \(name) on the session bus")
                }
                progress.show(Self.describe(status, sampleRate: built.sampleRate))
            })
        progress.clear()
        terminal.restore()
        report(summary, session: built)
        if listener != nil, !summary.searches.isEmpty || !summary.searchesWithoutWord.isEmpty, !quiet {
            let found = summary.searches.map { ($0.key, "point \($0.key) \(Int(saturating: $0.value)) s") }
            let ranOut = summary.searchesWithoutWord.map { ($0.key, "point \($0.key) no word (\(Int(saturating: $0.value)) s)") }
            Console.error("searches: " + (found + ranOut).sorted { $0.0 < $1.0 }.map(\.1).joined(separator: ", "))
        }
        if let journal { record(summary, session: built, startAt: options.startAt, in: journal) }
        if summary.stoppedBy == .interrupt { throw ExitCode(Interrupt.exitStatus) }
    }

    /// Opens the microphone and listens to the room for a second: one line says what it heard
    /// and whether listening can work. Without a microphone, one line says so and the session
    /// keeps its fixed times.
    /// Bad input (a device that would overwrite a file) stops bodo instead.
    private func openMicrophone() throws -> Listener? {
        let listener: Listener
        do {
            listener = try Listener(device: mic, mayOverwriteFiles: force)
        } catch let error as BodoError where error.kind == .badInput {
            throw error
        } catch {
            Console.error("\(error); the searches keep their fixed times")
            return nil
        }
        switch listener.checkRoom() {
        case let .silent(problem):
            Console.error("--mic: \(excerpt(mic)) gave no sound\(problem.map { ": \($0.message)" } ?? ""); the searches keep their fixed times")
            listener.stop()
            return nil
        case let .heard(floor, loud: true):
            Console.error(String(format: "listening on %@: the room is loud (%.0f dBFS); bodo may not hear you, and each search still ends after search_max",
                                 excerpt(mic), floor))
        case let .heard(floor, loud: false) where !quiet:
            Console.error(String(format: "listening on %@: the room is at %.0f dBFS; say a word or tap the floor when you have found a point",
                                 excerpt(mic), floor))
        case .heard:
            break
        }
        return listener
    }

    /// One entry in the journal, completed or stopped; a journal that cannot be written costs
    /// one line, never the session.
    private func record(_ summary: PlaySummary, session: Session, startAt: Int, in journal: Journal) {
        do { try journal.append(summary.journalEntry(of: session, startAt: startAt), inputs: self.session.inputs) } catch {
            Console.error("\(error) (this session is not in the journal)")
        }
    }

    private func report(_ summary: PlaySummary, session: Session) {
        let rate = summary.parameters.sampleRate
        if verbose {
            Console.error(String(
                format: "played %d frames (%.3f s) in %.3f s from the first frame handed to ALSA to the end of the drain; "
                    + "drift against the wall clock %+.1f ms; %d underruns",
                summary.framesPlayed, Double(summary.framesPlayed) / Double(rate), summary.wallSeconds,
                summary.driftSeconds * 1000, summary.underruns))
        }
        guard !quiet, isatty(STDOUT_FILENO) == 1 else { return }
        let total = (try? session.timeline().totalSamples) ?? summary.position
        if summary.stoppedBy == nil {
            try? Console.out("bodo: session complete (\(SampleTime(total, rate).minutes)). Get up slowly.\n")
        } else {
            try? Console.out("bodo: stopped at \(SampleTime(summary.position, rate).minutes) of \(SampleTime(total, rate).minutes).\n")
        }
    }

    /// "Point 4, right side: press  2:51 / 14:05" (the plan's own title for the point or
    /// stretch), "intro  0:12 / 14:05", or "paused at ..." with how to go on.
    static func describe(_ status: PlayerStatus, sampleRate rate: Int) -> String {
        let place = status.title ?? status.phase?.rawValue ?? "intro"
        let phase = (status.title == nil ? "" : status.phase.map { ": \($0.rawValue)" } ?? "") + (status.listening ? " (listening)" : "")
        let time = "\(SampleTime(status.position, rate).minutes) / \(SampleTime(status.totalSamples, rate).minutes)"
        return status.paused ? "paused at \(place)\(phase)  \(time)  (space resumes)" : "\(place)\(phase)  \(time)"
    }

    /// `--from 5` or `--from stretch:2`: the start of that point or stretch.
    private func startPosition(_ text: String, in session: Session) throws -> Int {
        try SessionRange.start(of: SessionRange.Place(text, option: "--from"), in: session)
    }
}
