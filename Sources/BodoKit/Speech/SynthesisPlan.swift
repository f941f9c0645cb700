/// How a session's phrases are split for synthesis: runs of consecutive phrases, each made by
/// an engine in the state it has just after it starts.
///
/// espeak-ng's sound depends on everything it said before in the same process (the same phrase
/// said after another comes out a few hundred samples longer, and restarting the engine does
/// not reset it: measured with espeak-ng 1.51). So a phrase's samples are only fixed if what
/// comes before it is fixed. The batches are that: they depend on the phrases alone, never on
/// how many cores or workers there are, and each starts from a fresh engine, so the output is
/// the same on one core or sixteen, whichever worker made which batch.
public struct SynthesisPlan: Sendable, Equatable {
    /// Each batch's phrases, as indexes into the session's phrases, in order.
    public let batches: [Range<Int>]

    /// A batch closes once it holds this many characters. Smaller batches spread better over
    /// many cores; each costs one fork of a worker (under a millisecond). At 400, the default
    /// session's 4,248 characters make 11 batches.
    public static let batchCharacters = 400

    public init(phrases: [String]) {
        var batches: [Range<Int>] = []
        var start = 0
        var characters = 0
        for (index, phrase) in phrases.enumerated() {
            characters += phrase.utf8.count
            if characters >= Self.batchCharacters {
                batches.append(start..<(index + 1))
                start = index + 1
                characters = 0
            }
        }
        if start < phrases.count { batches.append(start..<phrases.count) }
        self.batches = batches
    }
}
