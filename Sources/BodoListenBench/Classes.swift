// The classes of the benchmark, each a row of its table (main.swift): how the corpus is put
// together, at which levels, and what counts.
import BodoKit
import Foundation

/// The room's own noise: about -50 dBFS.
let floorLevel = 0.003

@MainActor func runCorpus() throws {
    let speech = try recordedAndSpokenWords()
    let words = speech.map(\.samples)
    let backgrounds: [(name: String, make: (Int, UInt64) -> [Float])] = [("pink", pink), ("brown", brown), ("fan", fan)]

    // Words over steady noise.
    for aboveRoom in [20.0, 10.0, 6.0] {
        var row = Row(name: "words, \(Int(aboveRoom)) dB over pink, brown and fan noise")
        for (backgroundName, make) in backgrounds {
            for (index, sound) in speech.enumerated() {
                var stream = scaled(make(rate * 5 + sound.samples.count, UInt64(index + 7)), to: floorLevel)
                let word = scaled(sound.samples, to: floorLevel * dBFS(aboveRoom))
                mix(word, into: &stream, at: rate * 5 / 2)
                tryOne(&row, "\(sound.name) (\(backgroundName))", listen(stream), onset: onset(of: word, at: rate * 5 / 2))
            }
        }
        positives.append(row)
    }

    // Words over a television: talk and music at -40 dBFS, the word 10 dB over it.
    let tvLevel = dBFS(-40)
    func television(_ count: Int, seed: UInt64) -> [Float] {
        let programme = zip(scaled(talk(count, from: words.shuffled(seed: seed), seed: seed), to: 1), scaled(music(count), to: 0.5)).map { $0 + $1 }
        return zip(scaled(programme, to: tvLevel), scaled(pink(count, seed: seed), to: floorLevel)).map { $0 + $1 }
    }
    var overTV = Row(name: "words, 10 dB over a television at -40 dBFS")
    for (index, sound) in speech.enumerated() {
        for at in [4, 7] {
            var stream = television(rate * (at + 3), seed: UInt64(index * 10 + at))
            let word = scaled(sound.samples, to: tvLevel * dBFS(10))
            mix(word, into: &stream, at: rate * at)
            tryOne(&overTV, "\(sound.name) at \(at) s", listen(stream), onset: onset(of: word, at: rate * at), from: rate)
        }
    }
    positives.append(overTV)

    // Taps on wood, from soft to hard: peak 20 to 40 dB over the room's noise (its RMS).
    for peakOverRoom in [20.0, 26.0, 32.0, 40.0] {
        var row = Row(name: "taps on wood, peak \(Int(peakOverRoom)) dB over the room")
        for (backgroundName, make) in backgrounds {
            for kind in 0..<3 {
                for repeatIndex in 0..<3 {
                    var stream = scaled(make(rate * 5, UInt64(kind * 3 + repeatIndex + 50)), to: floorLevel)
                    let tap = peakScaled(woodTap(kind), to: floorLevel * dBFS(peakOverRoom))
                    let at = rate * 5 / 2 + repeatIndex * 37
                    mix(tap, into: &stream, at: at)
                    tryOne(&row, "floor \(kind + 1) (\(backgroundName))", listen(stream), onset: at)
                }
            }
        }
        positives.append(row)
    }

    // bodo's own session, as played: its phrases echo back into the microphone.
    // Listened (`--listen`): its waits are where a word counts; with none, each runs its longest.
    var options = PlanOptions()
    options.listen = true
    let session = try Session(routine: Library().routine("back"), options: options, synthesizer: EspeakSynthesizer(voice: Library().voice("default")))
    let timeline = try session.timeline()
    var renderer = session.makeRenderer()
    var rendered: [Float] = []
    var block = [Int16](repeating: 0, count: 8192)
    while case let n = try block.withUnsafeMutableBufferPointer({ try renderer.render(into: $0) }), n > 0 {
        rendered += block[..<n].map { Float($0) / 32768 }
    }
    let played = resample(rendered, from: session.sampleRate)
    func mapped(_ position: Int) -> Int { position * rate / session.sampleRate }
    let waits = timeline.waits.map { mapped($0.start)..<mapped($0.end) }
    // The echo reaches the microphone 20 ms after bodo's clock says it sounded (speaker, air,
    // the microphone's buffer).
    let echoDelay = rate / 50
    let echoes: [(name: String, gain: Double, reverb: Bool)] = [("no echo", 0, false), ("echo -20 dB", -20, false), ("echo -20 dB, reverberant", -20, true),
                                                               ("echo -10 dB", -10, false), ("echo -10 dB, reverberant", -10, true)]

    // A word said right after bodo's last words before a wait: 0, 150, 400 and 1000 ms after.
    for echo in echoes {
        var row = Row(name: "words, 10 dB over pink noise, right after bodo's words (\(echo.name))")
        for (index, wait) in waits.prefix(4).enumerated() {
            // bodo's last phrase before the wait, in a stream 3 s of room before it.
            let phraseStart = max(0, wait.lowerBound - rate * 4)
            let phrase = Array(played[phraseStart..<wait.lowerBound])
            let voice = echo.gain == 0 ? phrase.map { _ in 0 } : phrase.map { $0 * Float(dBFS(echo.gain)) }
            let heardVoice = echo.reverb ? reverberated(voice) : voice
            for (gapIndex, gap) in [0, 150, 400, 1000].enumerated() {
                let sound = speech[(index * 4 + gapIndex) % speech.count]
                let quiet = rate * 3 + echoDelay + phrase.count
                var stream = scaled(pink(quiet + rate * 4, seed: UInt64(index * 4 + gapIndex + 200)), to: floorLevel)
                mix(heardVoice, into: &stream, at: rate * 3 + echoDelay)
                let word = scaled(sound.samples, to: floorLevel * dBFS(10))
                let at = rate * 3 + phrase.count + rate * gap / 1000
                mix(word, into: &stream, at: at)
                let heard = listen(stream, waits: [rate * 3 + phrase.count..<stream.count], firstSound: rate * 3)
                tryOne(&row, "\(sound.name) +\(gap) ms", heard, onset: onset(of: word, at: at), from: rate * 3 + phrase.count)
            }
        }
        positives.append(row)
    }

    // The room's sounds, each for `minutes`, over the room's noise.
    let length = Int(minutes * 60) * rate
    let room = scaled(pink(length, seed: 1), to: floorLevel)
    func inRoom(_ x: [Float]) -> [Float] { zip(x, room).map { $0 + $1 } }
    let wordLevel = floorLevel * dBFS(20)
    for (name, make) in backgrounds { negative("\(name) noise", scaled(make(length, 1), to: floorLevel)) }
    negative("a fan switched on (+15 dB) every 40 s", inRoom(fanSwitched(length).map { $0 * Float(floorLevel * dBFS(15)) }))
    negative("a clock ticking, peak 30 dB over the room", inRoom(clock(length).map { $0 * Float(floorLevel * dBFS(30)) }))
    negative("typing, peak 30 dB over the room", inRoom(typing(length, seed: 4).map { $0 * Float(floorLevel * dBFS(30)) }))
    negative("a door closing every 20 s, peak 30 dB over the room", inRoom(doors(length).map { $0 * Float(floorLevel * dBFS(30)) }))
    negative("a television at -40 dBFS", television(length, seed: 3))
    negative("talk in the next room (-45 dBFS through the wall)", inRoom(scaled(lowPassed(talk(length, from: words, seed: 8), cutoff: 500), to: dBFS(-45))))
    negative("talk in the room, 15 dB under the words", inRoom(scaled(talk(length, from: words, seed: 3), to: wordLevel / dBFS(15))))
    for echo in echoes.dropFirst() {
        var voice = Array(played.prefix(length)).map { $0 * Float(dBFS(echo.gain)) }
        if echo.reverb { voice = Array(reverberated(voice).prefix(voice.count)) }
        var stream = [Float](repeating: 0, count: echoDelay) + voice
        stream = inRoom(Array(stream.prefix(room.count)) + [Float](repeating: 0, count: max(0, room.count - stream.count)))
        negative("bodo's session, \(echo.name) (its waits listened)", stream, waits: waits, firstSound: 0)
    }

    // A cough and a bark near the person end a search as a word would: how often.
    for (name, sound) in [("a cough, 20 dB over the room", cough()), ("a dog barking twice, 20 dB over the room", bark())] {
        var row = Row(name: name + " (accepted as a word)")
        for (backgroundName, make) in backgrounds {
            for repeatIndex in 0..<3 {
                var stream = scaled(make(rate * 5, UInt64(repeatIndex + 90)), to: floorLevel)
                let loud = sound.map { $0 * Float(floorLevel * dBFS(20)) }
                mix(loud, into: &stream, at: rate * 5 / 2)
                tryOne(&row, backgroundName, listen(stream), onset: onset(of: loud, at: rate * 5 / 2))
            }
        }
        positives.append(row)
    }
}

/// Real recorded speech (single words and short phrases), then espeak-ng's words.
func recordedAndSpokenWords() throws -> [(name: String, samples: [Float])] {
    var speech: [(name: String, samples: [Float])] = []
    let testdata = "/usr/share/pocketsphinx/test/data"
    for name in ["cards/001.wav", "cards/002.wav", "cards/003.wav", "cards/004.wav", "cards/005.wav",
                 "goforward.raw", "numbers.raw", "something.raw", "tidigits/dhd.2934z.raw"] {
        if let samples = readSound("\(testdata)/\(name)") { speech.append((name, samples)) }
    }
    // Real sentences cut to their first second.
    for name in ["librivox/sense_and_sensibility_01_austen_64kb-0870.wav", "librivox/sense_and_sensibility_01_austen_64kb-0890.wav"] {
        guard let samples = readSound("\(testdata)/\(name)") else { continue }
        speech.append((name, Array(samples.prefix(rate))))
    }
    if speech.isEmpty {
        FileHandle.standardError.write(Data("bodo-listen-bench: no recordings in \(testdata) (apt-get install pocketsphinx-testdata)\n".utf8))
        exit(1)
    }
    let engine = try EspeakSynthesizer(voice: Library().voice("default"))
    for word in ["now", "found", "yes", "here", "got it", "okay"] {
        try engine.synthesize([word]) { _, clip in
            speech.append(("espeak '\(word)'", resample(clip.map { Float($0) / 32768 }, from: engine.sampleRate)))
        }
    }
    return speech
}

extension Array {
    /// The same order for the same seed.
    func shuffled(seed: UInt64) -> [Element] {
        var noise = Noise(state: seed), out = self
        for i in stride(from: out.count - 1, to: 0, by: -1) { out.swapAt(i, Int(abs(noise.next()) * Double(i + 1)) % (i + 1)) }
        return out
    }
}
