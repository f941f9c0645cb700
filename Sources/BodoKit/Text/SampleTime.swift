/// A sample position as the text each output writes. Every time bodo prints or writes comes
/// from here, in integer arithmetic from the one position (never from summed seconds), so the
/// preview, the subtitles, the chapters and the page cannot disagree by a rounding.
public struct SampleTime: Sendable, Equatable {
    public let samples: Int
    public let sampleRate: Int

    public init(_ samples: Int, _ sampleRate: Int) {
        self.samples = samples
        self.sampleRate = sampleRate
    }

    /// Truncated, as a player's position is: a cue is never shown before it sounds.
    public var milliseconds: Int { samples * 1000 / sampleRate }

    /// m:ss.mmm: the text preview and the summary lines.
    public var clock: String {
        let ms = milliseconds
        return "\(ms / 60_000):\((ms / 1000 % 60).zeroPadded(2)).\((ms % 1000).zeroPadded(3))"
    }

    /// m:ss: progress lines and the page's list of cues.
    public var minutes: String { String(clock.dropLast(4)) }

    /// HH:MM:SS.mmm: WebVTT and Vorbis-comment chapters; SubRip writes a comma before the
    /// milliseconds.
    func hours(separator: String = ".") -> String {
        let ms = milliseconds
        return "\((ms / 3_600_000).zeroPadded(2)):\((ms / 60_000 % 60).zeroPadded(2)):\((ms / 1000 % 60).zeroPadded(2))\(separator)\((ms % 1000).zeroPadded(3))"
    }

    /// [mm:ss.cc]: LRC counts hundredths, rounded to the nearest (6.697 s is 06.70, not 06.69),
    /// since its players read no finer and a cut time would show every line early.
    var lrc: String {
        let cs = (samples * 100 + sampleRate / 2) / sampleRate
        return "[\((cs / 6000).zeroPadded(2)):\((cs / 100 % 60).zeroPadded(2)).\((cs % 100).zeroPadded(2))]"
    }

    /// s.mmm: the page's script reads it as a number of seconds.
    var seconds: String {
        let ms = milliseconds
        return "\(ms / 1000).\((ms % 1000).zeroPadded(3))"
    }
}
