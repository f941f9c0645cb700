import BodoKit
import Foundation

/// Everything that steers a played session: the terminal's keys and Ctrl-C, and, on a desktop,
/// media keys and headset buttons (`MediaKeys`). A signal comes first; then a key; then the bus.
struct SessionControls: PlayerControls {
    var keyboard: KeyboardControls
    let media: MediaKeys?

    var inputs: [Int32] { keyboard.inputs + (media?.descriptor.map { [$0] } ?? []) }

    mutating func command(ready: Set<Int32>) -> PlayerCommand? {
        // The bus is answered every turn, readable or not: a reply sd-bus could not send at once
        // goes out at the next turn, without bodo waiting to write.
        keyboard.command(ready: ready) ?? media?.command()
    }
}
