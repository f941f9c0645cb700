// Shared by the subtitles and tags targets: a session's timeline built from fuzzed bytes, the
// way bodo builds one (a cue plan laid out by the TimelineScheduler, with stand-in clip
// lengths), so any text can reach a cue, a hold's count, a point's title or the file's title.
//
// Input: byte 0 holds options (bits 0-2: how often the steps repeat, up to 1100 times, for
// hundreds of chapters; bits 3-4: the sample rate); the rest is chunks separated by 0xFF (never
// in UTF-8): the routine's name, the file's comment, then one step a chunk. A step's first
// byte picks its kind (bits 0-1: words, words, a hold, a title) and context (bits 2-4: none,
// points 1-4, stretches 1-3); its second byte picks the phase and pause of words or the
// seconds of a hold; the rest is its text (a hold's count: its words split at spaces).
@testable import BodoKit
import Foundation

struct FuzzSession {
    var title: String
    var comment: String
    var timeline: Timeline
}

func fuzzSession(_ data: UnsafePointer<UInt8>, _ size: Int) -> FuzzSession? {
    guard size > 0 else { return nil }
    let options = data[0]
    let chunks = UnsafeBufferPointer(start: data + 1, count: size - 1).split(separator: 0xFF, omittingEmptySubsequences: false)
    func text<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 { String(decoding: bytes, as: UTF8.self) }
    let name = chunks.first.map(text) ?? "Fuzz"
    let comment = chunks.count > 1 ? text(chunks[1]) : ""
    let repeats = [1, 1, 1, 2, 3, 17, 300, 1100][Int(options & 7)]
    let rate = [22050, 44100, 48000, 8000][Int(options >> 3 & 3)]

    var base: [(step: PlanStep, title: String?)] = []
    for chunk in chunks.dropFirst(2) {
        guard let kind = chunk.first else { continue }
        let parameter = chunk.dropFirst().first ?? 0
        let words = text(chunk.dropFirst(2))
        let slot = Int(kind >> 2 & 7)
        let context = slot == 0 ? CueContext.none : slot <= 4 ? CueContext(point: slot) : CueContext(stretch: slot - 4)
        switch kind & 3 {
        case 0, 1:
            // The planner never says nothing.
            guard !words.isEmpty else { continue }
            let phase = Phase.allCases[Int(parameter) % Phase.allCases.count]
            base.append((.say(words, phase, context, pause: ScriptDuration(milliseconds: Int(parameter) * 50)), nil))
        case 2:
            let count = words.isEmpty ? [] : words.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            base.append((.hold(seconds: Int(parameter) % 6 + 1, count: count, context), nil))
        default:
            base.append((.say("-", .announce, context, pause: .seconds(1)), words))
        }
    }
    guard !base.isEmpty, base.count * repeats <= 30_000 else { return nil }

    // Each repeat moves the contexts on, so every one is a new point or stretch (a new chapter).
    func moved(_ context: CueContext, _ round: Int) -> CueContext {
        CueContext(point: context.point.map { $0 + 10 * round }, stretch: context.stretch.map { $0 + 10 * round })
    }
    var steps: [PlanStep] = [], titles: [CueContext: String] = [:]
    for round in 0..<repeats {
        for (step, title) in base {
            switch step {
            case let .say(words, phase, context, pause):
                steps.append(.say(words, phase, moved(context, round), pause: pause))
                if let title, context != .none { titles[moved(context, round)] = title }
            case let .hold(seconds, count, context):
                steps.append(.hold(seconds: seconds, count: count, moved(context, round)))
            }
        }
    }
    let plan = CuePlan(steps: steps, titles: titles)
    var scheduler = TimelineScheduler(plan: plan, sampleRate: rate, tickLength: rate * 3 / 100)
    let phrases = plan.phrases
    let index = Dictionary(phrases.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
    // Stand-in lengths: 60 samples a byte at 22050 Hz, like a fast voice. A session past the
    // day's limit is refused, which is a fine answer.
    guard (try? scheduler.scheduleAll { words in (index[words] ?? 0, max(1, words.utf8.count) * 60 * rate / 22050) }) != nil else { return nil }
    return FuzzSession(title: "bodo: \(name)", comment: comment, timeline: Timeline(scheduler))
}

// MARK: Checks shared by the readers

/// C0, DEL and C1: what a tag's value and a subtitle's text must never carry.
func isControl(_ scalar: Unicode.Scalar) -> Bool {
    scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
}

func hasControl(_ text: String) -> Bool { text.unicodeScalars.contains(where: isControl) }

/// Text that every writer must pass through unchanged: letters, digits, spaces and a few
/// punctuation marks with no meaning in any of the formats.
func isPlain(_ text: String) -> Bool {
    !text.isEmpty && text.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || ("0"..."9").contains($0) || " .,!?'()".unicodeScalars.contains($0) }
        && text.first != " " && text.last != " " && !text.contains("  ")
}

/// Lines as a reader sees them: \n, \r\n or a lone \r end one (the last, empty after the
/// final newline, is dropped).
func readerLines(_ text: String) -> [String] {
    let scalars = Array(text.unicodeScalars)
    var lines: [String] = [], start = 0, i = 0
    while i <= scalars.count {
        if i == scalars.count || scalars[i] == "\n" || scalars[i] == "\r" {
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[start..<i])
            lines.append(String(view))
            if i < scalars.count, scalars[i] == "\r", i + 1 < scalars.count, scalars[i + 1] == "\n" { i += 1 }
            start = i + 1
        }
        i += 1
    }
    if lines.last == "" { lines.removeLast() }
    return lines
}

func fail(_ what: String, _ output: String) -> Never {
    fatalError("\(what)\n--- output ---\n\(output.prefix(3000).debugDescription)")
}
