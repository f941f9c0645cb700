extension Routine {
    /// The same routine worked on the other side of the body: every side flips and every
    /// "left" in the words becomes "right" and the other way round, so what is said matches.
    /// (Script authors therefore use "right" only for a side, never for "correct".)
    public func mirrored() -> Routine {
        var copy = mappingTexts { text, _ in swapSides(text) }
        copy.points = copy.points.map { point in
            var p = point
            p.side = point.side.mirrored
            p.map = point.map?.mirrored
            return p
        }
        return copy
    }

    /// The routine with every one of its texts passed through `transform`, which is also
    /// given the point a text belongs to. Mirroring and filling placeholders both go through
    /// here, so neither can miss a text the other reaches.
    func mappingTexts(_ transform: (String, Point?) -> String) -> Routine {
        var copy = self
        copy.name = transform(name, nil)
        copy.intro = intro.map { transform($0, nil) }
        copy.introShort = introShort.map { transform($0, nil) }
        copy.outro = outro.map { transform($0, nil) }
        copy.cues = cues.mapWords { transform($0, nil) }
        copy.points = points.map { point in
            var p = point
            p.location = transform(point.location, point)
            p.position = point.position.map { transform($0, point) }
            return p
        }
        copy.stretches = stretches.map { stretch in
            var s = stretch
            s.name = transform(stretch.name, nil)
            s.instruction = transform(stretch.instruction, nil)
            s.switchWords = stretch.switchWords.map { transform($0, nil) }
            return s
        }
        return copy
    }

    /// The routine as it is worked on `side` (`--side`): mirrored when that is not the side it
    /// is written for; nil or center keeps it as written.
    public func worked(on side: Side?) -> Routine {
        guard let side, side != .center, side != mainSide else { return self }
        return mirrored()
    }

    /// The routine as a session on `side` works it and a person reads it: mirrored, and its
    /// placeholders filled with the session's hold. Worked once: mirroring is not idempotent
    /// (a routine with as many left points as right ones mirrors again), so nothing that reads
    /// a worked routine may work it a second time.
    public func worked(on side: Side?, hold: ScriptDuration?) -> Routine {
        worked(on: side).withPlaceholdersFilled(hold: hold)
    }

    /// What every output of a session of this routine is called.
    public var title: String { "bodo: " + name }

    /// The side most points are on: the side the routine is written for.
    public var mainSide: Side {
        let left = points.filter { $0.side == .left }.count
        let right = points.filter { $0.side == .right }.count
        return left > right ? .left : .right
    }
}

extension CueWords {
    func mapWords(_ transform: (String) -> String) -> CueWords {
        var c = self
        c.searchFirst = transform(searchFirst)
        c.search = transform(search)
        c.press = transform(press)
        c.pressVariants = pressVariants.map(transform)
        c.release = transform(release)
        c.switchSides = transform(switchSides)
        c.relax = transform(relax)
        c.toStretches = toStretches.map(transform)
        c.listening = listening.map(transform)
        return c
    }
}

/// Swaps the whole words "left" and "right", keeping their capitalisation ("Left" -> "Right").
func swapSides(_ text: String) -> String {
    var result = ""
    var word = ""
    func flush() {
        switch word.lowercased() {
        case "left": result += recase("right", like: word)
        case "right": result += recase("left", like: word)
        default: result += word
        }
        word = ""
    }
    for character in text {
        if character.isLetter { word.append(character) } else { flush(); result.append(character) }
    }
    flush()
    return result
}

private func recase(_ word: String, like model: String) -> String {
    if model == model.uppercased() { return word.uppercased() }
    if model.first?.isUppercase == true { return word.prefix(1).uppercased() + word.dropFirst() }
    return word
}
