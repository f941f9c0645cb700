// The "found it" detector's benchmark (issues 9 and 25): per class of sound, how often a search
// ends (detection rate for the person's words and taps, false advances per hour for the room's
// sounds) and the delay from the sound's onset to the decision, over a corpus this program
// builds at 16 kHz (Signals.swift, RoomSounds.swift):
// - words: real recorded speech (Debian's pocketsphinx-testdata) and espeak-ng words, 6, 10 and
//   20 dB over pink, brown and fan noise, and 10 dB over a television playing at -40 dBFS;
// - taps of a stick on three wooden floors, their peak 20 to 40 dB over the room's noise;
// - words said right after bodo's own voice, which echoes back at -20 and -10 dB, dry and with
//   a room's reverberation, heard as `bodo play --listen` hears them (`GuardedDetector`);
// - the room: steady noises, a fan switched on, a clock, typing, a door, a television, talk in
//   the next room and in the room, bodo's whole session echoing back; and a cough and a bark,
//   which end a search as a word does (docs/listening.md says why that is accepted).
// Usage: bodo-listen-bench [MINUTES_OF_EACH_NEGATIVE]   (default 12)
// Figures go to bench/RESULTS.md; `bench/listen.sh` builds and runs this.
import BodoKit
import Foundation

let minutes = CommandLine.arguments.count > 1 ? Double(CommandLine.arguments[1]) ?? 12 : 12
/// Tuning to try, from the environment (BODO_TUNE="overFloor=6 busyRoom=1.5 ..."), for choosing the defaults.
let tuning: FoundItDetector.Tuning = {
    var tuning = FoundItDetector.Tuning()
    for pair in (ProcessInfo.processInfo.environment["BODO_TUNE"] ?? "").split(separator: " ") {
        let parts = pair.split(separator: "=")
        guard parts.count == 2, let value = Double(parts[1]) else { continue }
        switch parts[0] {
        case "overFloor": tuning.overFloor = value
        case "busyRoom": tuning.busyRoom = value
        case "voicedFrames": tuning.voicedFrames = Int(value)
        case "voiceWindow": tuning.voiceWindow = Int(value)
        case "tapOverRoom": tuning.tapOverRoom = value
        case "tapOverImpulses": tuning.tapOverImpulses = value
        case "vadMode": tuning.vadMode = Int(value)
        case "tapAlone": tuning.tapAlone = Int(value)
        case "impulsesFall": tuning.impulsesFall = value
        default: break
        }
    }
    return tuning
}()

// MARK: Running the detector

struct Heard { var onset: Int; var decidedAt: Int; var kind: FoundItDetector.Kind }

func frames(of x: [Float], _ body: (UnsafeBufferPointer<Int16>, Int) -> Void) {
    var frame = [Int16](repeating: 0, count: FoundItDetector.frameSamples)
    for start in stride(from: 0, through: x.count - frame.count, by: frame.count) {
        for i in 0..<frame.count { frame[i] = Int16(max(-32768, min(32767, x[start + i] * 32768))) }
        frame.withUnsafeBufferPointer { body($0, start) }
    }
}

/// `BODO_SHOW=1` prints each detection with the room as the detector measured it then.
let show = ProcessInfo.processInfo.environment["BODO_SHOW"] != nil

/// Everything heard in `x` by a detector that always listens.
func listen(_ x: [Float]) -> [Heard] {
    var detector = FoundItDetector(tuning: tuning)
    var heard: [Heard] = []
    frames(of: x) { frame, _ in
        if let found = detector.feed(frame) {
            heard.append(Heard(onset: found.onset, decidedAt: found.decidedAt, kind: found.kind))
            if show {
                FileHandle.standardError.write(Data(String(format: "  %@ at %.2f s, %.1f dB over the floor %.1f, talk %.1f, level %.1f\n", found.kind.rawValue,
                    Double(found.onset) / Double(rate), found.aboveRoom, detector.noiseFloor, detector.activity, detector.lastLevel).utf8))
            }
        }
    }
    return heard
}

/// What a session's waits hear in `x`, as `bodo play --listen` hears: bodo sounds from
/// `firstSound`, and each wait (start: where bodo falls silent, end: where it speaks again) is
/// listened to until its end.
func listen(_ x: [Float], waits: [Range<Int>], firstSound: Int) -> [Heard] {
    var guarded = GuardedDetector(tuning: tuning)
    var window = GuardedDetector.Window()
    window.bodoSounds(from: firstSound)
    var next = 0, inWait = false
    var heard: [Heard] = []
    frames(of: x) { frame, position in
        if inWait, position >= waits[next].upperBound {
            window.stopListening(at: waits[next].upperBound)
            inWait = false
            next += 1
        }
        if !inWait, next < waits.count, position >= waits[next].lowerBound {
            window = GuardedDetector.Window(afterBodoStopsAt: waits[next].lowerBound, nextSoundAt: waits[next].upperBound)
            inWait = true
        }
        if let found = guarded.feed(frame, in: window) { heard.append(Heard(onset: found.onset, decidedAt: found.decidedAt, kind: found.kind)) }
    }
    return heard
}

// MARK: The table

struct Row {
    var name: String
    var tried = 0, heard = 0, early = 0
    var delays: [Double] = []
    var missed: [String] = []
    var minutes = 0.0
    var falseAdvances: [Heard] = []
}
var positives: [Row] = [], negatives: [Row] = []

/// One try: `stream` holds a sound (named `name`) whose onset is at `onset`; it is heard if a
/// detection is decided within 750 ms of the onset, and anything decided before it is early.
func tryOne(_ row: inout Row, _ name: String, _ heard: [Heard], onset: Int, from start: Int = 0) {
    row.tried += 1
    if heard.contains(where: { $0.decidedAt < onset && $0.onset >= start }) { row.early += 1 }
    if let hit = heard.first(where: { $0.decidedAt >= onset && $0.decidedAt <= onset + rate * 3 / 4 }) {
        row.heard += 1
        row.delays.append(Double(hit.decidedAt - onset) / Double(rate) * 1000)
    } else {
        row.missed.append(name)
    }
}

/// The onset of a sound placed at `at`: its first 10 ms frame within 20 dB of its loudest.
func onset(of sound: [Float], at: Int) -> Int {
    let levels = stride(from: 0, to: sound.count - 160, by: 160).map { rms(sound[$0..<$0 + 160]) }
    let loudest = levels.max() ?? 0
    return at + 160 * (levels.firstIndex { $0 > loudest / 10 } ?? 0)
}

@MainActor func negative(_ name: String, _ stream: [Float], waits: [Range<Int>]? = nil, firstSound: Int = 0) {
    // A session listens to the room for a second before its first search (the room check).
    let heard = (waits.map { listen(stream, waits: $0, firstSound: firstSound) } ?? listen(stream)).filter { $0.onset >= rate }
    negatives.append(Row(name: name, minutes: Double(stream.count) / Double(rate) / 60, falseAdvances: heard))
    FileHandle.standardError.write(Data("  \(name): \(heard.count)\n".utf8))
}

func milliseconds(_ delays: [Double]) -> String {
    guard !delays.isEmpty else { return "- | - | -" }
    let sorted = delays.sorted()
    return String(format: "%.0f | %.0f | %.0f", sorted[sorted.count / 2], sorted[min(sorted.count - 1, sorted.count * 95 / 100)], sorted.last!)
}

@MainActor func printTable() {
    print("| the person's sound | heard | early | onset to decision: median / 95th / longest ms |")
    print("| --- | --- | --- | --- |")
    for row in positives {
        print(String(format: "| %@ | %d of %d (%.0f%%) | %d | %@ |", row.name, row.heard, row.tried, 100 * Double(row.heard) / Double(max(1, row.tried)), row.early, milliseconds(row.delays)))
    }
    print("")
    print("| the room's sound | minutes | searches it ended | per hour | first of them |")
    print("| --- | --- | --- | --- | --- |")
    for row in negatives {
        let first = row.falseAdvances.prefix(3).map { "\($0.kind.rawValue) at \(String(format: "%.1f", Double($0.onset) / Double(rate))) s" }.joined(separator: ", ")
        print(String(format: "| %@ | %.0f | %d | %.1f | %@ |", row.name, row.minutes, row.falseAdvances.count, Double(row.falseAdvances.count) / row.minutes * 60, first))
    }
    for row in positives where !row.missed.isEmpty { print("missed, \(row.name): \(row.missed.joined(separator: ", "))") }
}

try runCorpus()
printTable()
