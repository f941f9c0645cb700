// The room's sounds, synthesized with the parameters written here (issue 25): a tap of the stick
// on wood, and what a living room makes that must not end a search. Levels are set by the
// caller; each maker returns its sound at about unit peak or unit active level.
import Foundation

/// A stick tapped on a wooden floor: a short noise click (the contact), then the wood's modes
/// ringing out, lower ones longer. Three floors with different modes.
func woodTap(_ kind: Int) -> [Float] {
    let modes: [[(Double, Double, Double)]] = [ // frequency Hz, decay s, amplitude
        [(180, 0.025, 0.6), (620, 0.012, 1), (1400, 0.006, 0.7), (2900, 0.003, 0.5)],
        [(240, 0.030, 0.8), (900, 0.010, 1), (2100, 0.004, 0.6)],
        [(130, 0.040, 1), (480, 0.015, 0.7), (1700, 0.005, 0.4), (3600, 0.002, 0.4)],
    ]
    let count = rate / 10
    var noise = Noise(state: UInt64(kind + 41))
    var tap = (0..<count).map { i in Float(noise.next() * exp(-Double(i) / (0.0008 * Double(rate)))) * 0.8 }
    for (frequency, decay, amplitude) in modes[kind % modes.count] {
        for (i, value) in mode(frequency, decay: decay, count: count).enumerated() { tap[i] += value * Float(amplitude) }
    }
    return peakScaled(tap, to: 1)
}

/// A wall clock: a tick every second, each a 2 ms click with a 3 kHz ring, alternating tick and tock.
func clock(_ count: Int) -> [Float] {
    var out = [Float](repeating: 0, count: count)
    let tick = peakScaled(zip(mode(3000, decay: 0.002, count: rate / 50), mode(4700, decay: 0.001, count: rate / 50)).map { $0 + $1 }, to: 1)
    for (n, at) in stride(from: rate / 3, to: count, by: rate).enumerated() {
        mix(tick.map { $0 * (n % 2 == 0 ? 1 : 0.7) }, into: &out, at: at)
    }
    return out
}

/// Typing: bursts of 3 to 14 keys, 90 to 250 ms apart, every 2 to 8 s; each key a press and
/// a release click 70 ms apart, of varying strength.
func typing(_ count: Int, seed: UInt64) -> [Float] {
    var noise = Noise(state: seed)
    var out = [Float](repeating: 0, count: count)
    func click(_ strength: Double) -> [Float] {
        let body = mode(1800 + 600 * noise.next(), decay: 0.003, count: rate / 40)
        return body.enumerated().map { i, value in (value + Float(noise.next() * exp(-Double(i) / 8))) * Float(strength) }
    }
    var at = rate
    while at < count {
        let keys = 3 + Int(abs(noise.next()) * 11)
        for _ in 0..<keys {
            let strength = 0.6 + 0.4 * abs(noise.next())
            mix(click(strength), into: &out, at: at)
            mix(click(strength * 0.5), into: &out, at: at + rate * 7 / 100)
            at += rate * (90 + Int(abs(noise.next()) * 160)) / 1000
        }
        at += rate * (2000 + Int(abs(noise.next()) * 6000)) / 1000
    }
    return peakScaled(out, to: 1)
}

/// A door closing in the room, every `every` seconds: the latch's click, the panel's low thud
/// (70 and 110 Hz), and the room's reverberation after it.
func doors(_ count: Int, every: Int = 20) -> [Float] {
    var noise = Noise(state: 77)
    let latch = mode(2500, decay: 0.002, count: rate / 20).map { $0 * 0.5 + Float(noise.next()) * 0.1 }
    var door = zip(mode(70, decay: 0.08, count: rate / 2), mode(110, decay: 0.05, count: rate / 2)).map { $0 + 0.6 * $1 }
    mix(latch, into: &door, at: rate / 100)
    let closing = peakScaled(reverberated(door, seconds: 0.6), to: 1)
    var out = [Float](repeating: 0, count: count)
    for at in stride(from: rate * 3, to: count, by: rate * every) { mix(closing, into: &out, at: at) }
    return out
}

/// A fan switched on and off: off for 20 s, then on for 20 s (it spins up over 0.4 s), at unit
/// active level while on, over and over.
func fanSwitched(_ count: Int) -> [Float] {
    let running = fan(count, seed: 9)
    let cycle = rate * 40, spinUp = Double(rate) * 0.4
    return running.enumerated().map { i, value in
        let t = i % cycle - cycle / 2
        return t < 0 ? 0 : value * Float(min(1, Double(t) / spinUp))
    }
}

/// Music: a chord every half second (three notes with harmonics, struck and decaying), as a
/// television's programme has between its talk.
func music(_ count: Int) -> [Float] {
    let chords: [[Double]] = [[220, 277, 330], [196, 247, 294], [175, 220, 262], [196, 247, 330]]
    var out = [Float](repeating: 0, count: count)
    for (n, at) in stride(from: 0, to: count, by: rate / 2).enumerated() {
        for note in chords[(n / 2) % chords.count] {
            for harmonic in 1...3 {
                let ring = mode(note * Double(harmonic), decay: 0.3, count: rate / 2)
                mix(ring.map { $0 / Float(harmonic) }, into: &out, at: at)
            }
        }
    }
    return out
}

/// Talk: recordings one after another with pauses up to a second between them.
func talk(_ count: Int, from speech: [[Float]], seed: UInt64) -> [Float] {
    var out: [Float] = []
    var noise = Noise(state: seed)
    while out.count < count {
        for sound in speech { out += sound + [Float](repeating: 0, count: Int(abs(noise.next()) * Double(rate))) }
    }
    return Array(out.prefix(count))
}

/// A cough: a sharp breath of noise (about 300 ms) shaped by the throat (400-2500 Hz).
func cough() -> [Float] {
    var noise = Noise(state: 5)
    let length = rate * 3 / 10
    let raw = (0..<length).map { i -> Float in
        let t = Double(i) / Double(length)
        return Float(noise.next() * min(1, t * 30) * exp(-4 * t))
    }
    let shaped = zip(lowPassed(raw, cutoff: 2500), lowPassed(raw, cutoff: 400)).map { $0 - $1 }
    return scaled(shaped, to: 1)
}

/// A dog's bark, twice: a harmonic sound at about 500 Hz falling, 150 ms each, 300 ms apart.
func bark() -> [Float] {
    let length = rate * 15 / 100
    var woof = [Float](repeating: 0, count: length)
    var phase = 0.0
    for i in 0..<length {
        let t = Double(i) / Double(length)
        phase += 2 * .pi * (550 - 150 * t) / Double(rate)
        let envelope = min(1, t * 20) * (1 - t)
        woof[i] = Float(envelope * (sin(phase) + 0.6 * sin(2 * phase) + 0.4 * sin(3 * phase) + 0.2 * sin(5 * phase)))
    }
    var out = woof + [Float](repeating: 0, count: rate * 15 / 100) + woof
    out = scaled(out, to: 1)
    return out
}
