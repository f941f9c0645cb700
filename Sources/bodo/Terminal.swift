import Foundation

/// Standard input as a keyboard: single keys without Enter and without echo while playing,
/// and the terminal exactly as it was afterwards.
final class Terminal {
    let isInteractive = isatty(STDIN_FILENO) == 1
    private var saved: termios?

    func enterKeyMode() {
        guard isInteractive, saved == nil else { return }
        var settings = termios()
        guard tcgetattr(STDIN_FILENO, &settings) == 0 else { return }
        saved = settings
        settings.c_lflag &= ~tcflag_t(ICANON | ECHO)
        tcsetattr(STDIN_FILENO, TCSANOW, &settings)
    }

    func restore() {
        guard var settings = saved else { return }
        tcsetattr(STDIN_FILENO, TCSANOW, &settings)
        saved = nil
    }
}
