import Foundation
import ArgumentParser
import BodoKit

/// The options every command that builds a session shares: which routine, which voice, which
/// side, and the timing. Parsing them is the first step of the pipeline.
struct SessionOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: ArgumentHelp(
        "The routine: a built-in name, a name in $XDG_CONFIG_HOME/bodo/scripts, or a path to a YAML file.",
        valueName: "name|path"))
    var script = Library.defaultScript

    @Option(name: .shortAndLong, help: ArgumentHelp(
        "The voice profile: a built-in name (see `bodo voices`), a name in $XDG_CONFIG_HOME/bodo/voices, or a path.",
        valueName: "name|path"))
    var voice = Library.defaultVoice

    @Option(help: ArgumentHelp(
        "The side to work: left or right. The side the script is not written for mirrors every point, stretch and word.",
        valueName: "left|right"))
    var side: String?

    @Option(help: ArgumentHelp("Seconds to press each point, one tick a second (default: the script's, usually 7).",
                               valueName: "seconds"))
    var hold: String?

    @Option(help: ArgumentHelp(
        "Quiet time to find each point after its search cue (default: the script's, usually 10s); `learned`: each point's own time, from your journal's searches.",
        valueName: "duration|learned"))
    var search: String?

    @Option(help: ArgumentHelp("The journal of sessions (default: $BODO_JOURNAL, else $XDG_DATA_HOME/bodo/journal.txt).",
                               valueName: "path"))
    var journal: String?

    @Option(help: ArgumentHelp("Time on each side of each stretch (default: the script's, usually 30s).",
                               valueName: "duration"))
    var stretch: String?

    @Option(help: ArgumentHelp("Quiet time after each release, which is slow (default: the script's, usually 5s).",
                               valueName: "duration"))
    var release: String?

    @Option(help: ArgumentHelp("Time to get into a new position, after its words (default: the script's, usually 8s).",
                               valueName: "duration"))
    var transition: String?

    @Flag(help: "The short introduction, for people who know the routine (the script's intro_short).")
    var brief = false

    @Flag(help: "For your first sessions: every search twice as long, and halfway through it what to do when the sharp pain is not there yet (also the script's timing.beginner).")
    var beginner = false

    // Unconditional: the value is often negative, and `--voice-volume -3` must not read as an option.
    @Option(parsing: .unconditional, help: ArgumentHelp(
        "The voice louder or quieter than the usual -19 LUFS, in dB, -30 to 6 (default: the voice profile's, usually 0). Above about +3 the peak limiter holds the loudest syllables back, so the top of the range adds less loudness than it says.",
        valueName: "dB"))
    var voiceVolume: Int?

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "The tick louder or quieter than its usual 8 dB below the voice's peaks, in dB, -30 to 6 (default: the profile's, usually 0).",
        valueName: "dB"))
    var tickVolume: Int?

    @Flag(name: .customLong("count"), inversion: .prefixedNo,
          help: "Speak the seconds left after each tick of a hold.")
    var count = true

    /// The plan options, each checked and named by its option when wrong.
    func planOptions() throws -> PlanOptions {
        var options = PlanOptions(count: count)
        if let side {
            guard let value = Side(rawValue: side.lowercased()), value != .center else {
                throw BodoError(at: .option("--side"), "must be left or right, not \(excerpt(side))")
            }
            options.side = value
        }
        options.hold = try hold.map { try Self.duration($0, "--hold") }
        if let hold = options.hold, let problem = Timing.holdProblem(hold) {
            throw BodoError(at: .option("--hold"), problem)
        }
        options.search = try search.flatMap { $0 == "learned" ? nil : try Self.duration($0, "--search") }
        options.stretch = try stretch.map { try Self.duration($0, "--stretch") }
        options.release = try release.map { try Self.duration($0, "--release") }
        options.transition = try transition.map { try Self.duration($0, "--transition") }
        options.brief = brief
        options.beginner = beginner
        for (value, option) in [(voiceVolume, "--voice-volume"), (tickVolume, "--tick-volume")] {
            if let value, !VoiceProfile.levelRange.contains(value) {
                throw BodoError(at: .option(option), "must be between -30 and 6 dB, not \(value)")
            }
        }
        return options
    }

    /// How a session was made, for an exported file's comment: the routine, the voice and the
    /// options that changed it. No date or path, so the same options give the same file.
    func summary(adding more: [String] = []) -> String {
        var options: [String] = []
        if let side { options.append("--side \(side)") }
        if let hold { options.append("--hold \(hold)") }
        if let search { options.append("--search \(search)") }
        if let stretch { options.append("--stretch \(stretch)") }
        if let release { options.append("--release \(release)") }
        if let transition { options.append("--transition \(transition)") }
        if brief { options.append("--brief") }
        if beginner { options.append("--beginner") }
        if !count { options.append("--no-count") }
        if let voiceVolume { options.append("--voice-volume \(voiceVolume)") }
        if let tickVolume { options.append("--tick-volume \(tickVolume)") }
        options += more
        let name = { (text: String) in String(text.split(separator: "/").last ?? "") }
        return "Made by bodo from the routine '\(name(script))' with the voice '\(name(voice))'"
            + (options.isEmpty ? "." : "; options: \(options.joined(separator: " ")).")
    }

    /// The files the session is made from, which nothing it writes may replace.
    var inputs: [String] {
        let library = Library()
        return [library.path(.scripts, script), library.path(.voices, voice)]
    }

    /// The journal this command reads and writes, if there is a place for one.
    var journalFile: Journal? {
        (journal ?? Journal.defaultPath()).map(Journal.init(path:))
    }

    /// Reads the options, the routine and the voice profile, as `makeSession` will, and throws
    /// what is wrong with them; makes nothing.
    func check(library: Library = Library()) throws {
        _ = try planOptions()
        _ = try library.routine(script)
        _ = try library.voice(voice)
    }

    /// Loads everything and runs the pipeline up to the timeline. `adjust` may add what the
    /// command knows (which session of the week a live one is).
    /// `played`: the session is played as it is made, so its synthesis workers stay out of the
    /// way of the sound: one, at nice 10 (see `SynthesisWorkers.niceness`).
    /// `encoded`: the session's own process encodes as the speech arrives (every format but WAV,
    /// and the page's MP3), which is work as long as the synthesis or longer, so it keeps a core
    /// to itself and the workers get the rest. Measured on 2 cores, 1 worker against 2: FLAC
    /// x0.88 (x1.14 against `flac -5` instead of x1.27), MP3 and Vorbis x0.98, Opus x1.01; WAV,
    /// whose writing is light, x1.35, so it keeps one worker per core.
    func makeSession(library: Library = Library(), played: Bool = false, encoded: Bool = false,
                     adjust: (inout PlanOptions) -> Void = { _ in }) throws -> Session {
        var options = try planOptions()
        let routine = try library.routine(script)
        if search == "learned" { options.learnedSearch = learnedSearch(for: routine) }
        adjust(&options)
        let profile = try library.voice(voice)
        options.voiceVolume = Double(voiceVolume ?? profile.voiceVolume)
        options.tickVolume = Double(tickVolume ?? profile.tickVolume)
        // A played session needs its speech only ahead of the listener: one worker (it keeps
        // ahead many times over) beside the sound, not one per core all starting at once.
        let environment = Foundation.ProcessInfo.processInfo.environment
        let count = try SynthesisWorkers.count(environment: environment)
        let chosen = environment["BODO_SYNTHESIS_WORKERS"] != nil ? count : played ? 1 : encoded ? max(1, count - 1) : count
        let workers = SynthesisWorkers(executable: Bodo.executable, count: chosen, niceness: played ? 10 : 0)
        return try Session(routine: routine, options: options, synthesizer: EspeakSynthesizer(voice: profile, workers: workers))
    }

    /// Each point's search time from the journal, or the script's (said in one line) when the
    /// journal has too few searches.
    private func learnedSearch(for routine: Routine) -> [Int: ScriptDuration] {
        let entries = (try? journalFile?.entries()) ?? []
        guard let (times, sessions) = LearnedPace.searchTimes(for: routine, from: entries) else {
            let recorded = entries.filter { $0.routine == routine.name && !$0.searches.isEmpty }.count
            Console.error("--search learned: no point of this routine has \(LearnedPace.fewest) recorded searches yet "
                + "(the journal has searches from \(counted(recorded, "session")) of it); using the script's times")
            return [:]
        }
        Console.error("--search learned: times from \(counted(sessions, "session")): "
            + times.sorted { $0.key < $1.key }.map { "point \($0.key) \($0.value)" }.joined(separator: ", "))
        return times
    }

    /// A duration option's value, or one line naming the option.
    static func duration(_ text: String, _ option: String) throws -> ScriptDuration {
        switch ScriptDuration.parse(text) {
        case let .success(value): return value
        case let .failure(problem): throw BodoError(at: .option(option), problem.description)
        }
    }
}
