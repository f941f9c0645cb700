extension Timeline {
    /// The part of the timeline within `range`, moved to start at 0: what a file cut there holds.
    public func window(_ range: Range<Int>) -> Timeline {
        guard range != 0..<totalSamples else { return self }
        var cues = cues.filter { $0.start >= range.lowerBound && $0.start < range.upperBound }
        for index in cues.indices { cues[index].start -= range.lowerBound }
        var markers = markers.filter { range.contains($0.position) }
        for index in markers.indices { markers[index].position -= range.lowerBound }
        return Timeline(sampleRate: sampleRate, cues: cues, markers: markers, totalSamples: range.count)
    }
}
