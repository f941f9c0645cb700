import BodoKit
import Foundation

/// Keys from a terminal, when standard input is one; otherwise there are no controls.
struct KeyboardControls: PlayerControls {
    let terminal: Terminal
    private var interruptReported = false

    init(terminal: Terminal) {
        self.terminal = terminal
        terminal.enterKeyMode()
    }

    /// The terminal, and the signals' pipe, which wakes the player at once on Ctrl-C.
    var inputs: [Int32] { (terminal.isInteractive ? [STDIN_FILENO] : []) + (Interrupt.descriptor.map { [$0] } ?? []) }

    mutating func command(ready: Set<Int32>) -> PlayerCommand? {
        if let interrupt = checkInterrupt() { return interrupt }
        var byte: UInt8 = 0
        guard terminal.isInteractive, ready.contains(STDIN_FILENO), read(STDIN_FILENO, &byte, 1) == 1 else { return nil }
        switch byte {
        case UInt8(ascii: " "), UInt8(ascii: "p"): return .togglePause
        case UInt8(ascii: "n"): return .next
        case UInt8(ascii: "b"): return .back
        case UInt8(ascii: "q"), UInt8(ascii: "Q"): return .quit
        default: return nil
        }
    }

    private mutating func checkInterrupt() -> PlayerCommand? {
        // Emptied every time: a second Ctrl-C while the sound fades must not keep the
        // player's poll awake.
        Interrupt.drain()
        guard !interruptReported, Interrupt.requested else { return nil }
        interruptReported = true
        return .interrupt
    }
}
