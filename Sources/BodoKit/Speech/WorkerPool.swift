import CLinuxShims
import Foundation

/// How many synthesis workers a session starts beside its own process, and from which program.
public struct SynthesisWorkers: Sendable, Equatable {
    /// The program that runs `SynthesisWorker` (bodo itself, `--synthesis-worker`).
    public var executable: String
    public var count: Int
    /// How nice the workers are to the rest of the machine (`nice`, 0 to 19). A session that is
    /// played only needs its speech ahead of the listener, and must never take the cores its
    /// sound (and a sound server) needs: it starts them at 10. An export wants them at 0.
    public var niceness: Int32

    public static let countRange = 1...64

    public init(executable: String, count: Int, niceness: Int32 = 0) {
        self.executable = executable
        self.niceness = niceness
        self.count = count.clamped(atLeast: Self.countRange.lowerBound, atMost: Self.countRange.upperBound)
    }

    /// One worker per core this process may use (`taskset` counts), or `BODO_SYNTHESIS_WORKERS`.
    /// The count changes how fast, never what: see `SynthesisPlan`. A count that is set but
    /// not a whole number in `countRange` is bad input, told in one line like an option's.
    public static func count(environment: [String: String]) throws -> Int {
        guard let text = environment["BODO_SYNTHESIS_WORKERS"] else { return Int(bodo_usable_cores()) }
        guard let count = Int(text), countRange.contains(count) else {
            throw BodoError(at: .option("BODO_SYNTHESIS_WORKERS"),
                            "must be a whole number from \(countRange.lowerBound) to \(countRange.upperBound), not \(excerpt(text))")
        }
        return count
    }
}

/// The session's side of spread synthesis: starts the workers, hands each a batch at a time
/// (the next to the first that is free, so a slow core never holds the rest back), and files
/// every clip that comes back in the speech bank by its phrase's index.
final class WorkerPool: Sendable {
    private struct Worker: Sendable {
        var pid: pid_t
        var input: Int32
        var output: Int32
    }

    private struct State {
        var pending: [Int]
        var gain: Double?
        /// Workers waiting for the calibration before they can level anything.
        var waiting: [Int] = []
        /// Workers whose input is closed: let go, with nothing more to make.
        var closed: Set<Int> = []
        /// The batch each worker is making (-1: the calibration), and the clips it sent of it.
        var making: [Int: (batch: Int, clips: Int)] = [:]
    }

    private let workers: [Worker]
    private let state: Locked<State>
    private let bank: SpeechBank
    private let batches: [Range<Int>]

    /// Starts the workers and hands out the first batches. With `gain` nil, the first worker
    /// speaks the calibration sentence first, and the bank gets its leveler from that.
    init(_ config: SynthesisWorkers, request: WorkerRequest, batches: [Int], gain: Double?, bank: SpeechBank) throws {
        self.bank = bank
        self.batches = request.batches.map { $0[0]..<$0[1] }
        let line = try JSONEncoder().encode(request) + Data("\n".utf8)
        let count = max(1, min(config.count, batches.count + (gain == nil ? 1 : 0)))
        var started: [Worker] = []
        do {
            for _ in 0..<count {
                let worker = try Self.spawn(config.executable)
                if config.niceness > 0 { setpriority(__priority_which_t(PRIO_PROCESS.rawValue), id_t(worker.pid), config.niceness) }
                started.append(worker)
                guard Self.send(line, to: worker.input) else {
                    throw BodoError(.failure, at: nil, "cannot start a synthesis worker: \(systemError())")
                }
            }
        } catch {
            for worker in started {
                close(worker.input)
                close(worker.output)
                Self.reap(worker)
            }
            throw error
        }
        workers = started
        state = Locked(State(pending: batches, gain: gain))
        if gain == nil {
            state.withLock {
                $0.waiting = Array(1..<count)
                $0.making[0] = (-1, 0)
            }
            send(0, command: SynthesisWorker.command(batch: -1, gain: nil))
        } else {
            for worker in workers.indices { handNext(to: worker) }
        }
        for worker in workers.indices {
            Thread { [self] in listen(to: worker) }.start()
        }
    }

    private func listen(to index: Int) {
        let worker = workers[index]
        defer {
            closeInput(of: index)
            close(worker.output)
            Self.reap(worker)
        }
        do {
            while let frame = try WorkerFrame.read(from: worker.output) {
                switch frame {
                case let .clip(phrase, samples):
                    // Only a phrase of the batch it was given: a worker of another build (or
                    // another plan) must fail the session, not file a clip in the wrong place.
                    try state.withLock { state in
                        guard let making = state.making[index], making.batch >= 0, batches[making.batch].contains(phrase) else {
                            throw BodoError(.failure, at: nil, "a synthesis worker sent phrase \(phrase), which it was not asked for")
                        }
                        state.making[index]?.clips += 1
                    }
                    try bank.store(samples, as: phrase)
                case let .gain(gain):
                    guard state.withLock({ $0.making[index]?.batch == -1 }) else {
                        throw BodoError(.failure, at: nil, "a synthesis worker sent a gain it was not asked for")
                    }
                    bank.publish(SpeechLeveler(gain: gain, sampleRate: bank.sampleRate))
                    // This worker gets its next batch when it says the calibration is done.
                    let waiting = state.withLock { state in
                        state.gain = gain
                        defer { state.waiting = [] }
                        return state.waiting
                    }
                    for worker in waiting { handNext(to: worker) }
                case let .failure(message):
                    throw BodoError(.failure, at: nil, message)
                case let .done(batch):
                    let gain = try state.withLock { state in
                        guard let making = state.making[index], making.batch == batch,
                              batch < 0 ? state.gain != nil : making.clips == batches[batch].count else {
                            throw BodoError(.failure, at: nil, "a synthesis worker ended batch \(batch) without all of its speech")
                        }
                        state.making[index] = nil
                        return state.gain
                    }
                    if gain != nil { handNext(to: index) }
                }
            }
            // The end of a worker in the middle of a batch is a failure; one let go ends so.
            if state.withLock({ $0.making[index] != nil || !$0.closed.contains(index) }) {
                throw BodoError(.failure, at: nil, "a synthesis worker ended before its speech was made")
            }
        } catch {
            stop()
            bank.cancel(with: error)
        }
    }

    /// The next batch to `index`, or the end of its input if there is none.
    private func handNext(to index: Int) {
        let next: (batch: Int, gain: Double)? = state.withLock { state in
            guard let gain = state.gain, !state.pending.isEmpty, !state.closed.contains(index) else { return nil }
            let batch = state.pending.removeFirst()
            state.making[index] = (batch, 0)
            return (batch, gain)
        }
        if let next {
            send(index, command: SynthesisWorker.command(batch: next.batch, gain: next.gain))
        } else {
            closeInput(of: index)
        }
    }

    /// Lets every worker go: each ends after the batch it is making (the session was cancelled).
    func stop() {
        for index in workers.indices { closeInput(of: index) }
    }

    /// Closes a worker's input once, however many paths reach here: a descriptor closed twice
    /// could be one another thread has just opened.
    private func closeInput(of index: Int) {
        if state.withLock({ $0.closed.insert(index).inserted }) { close(workers[index].input) }
    }

    private func send(_ index: Int, command: String) {
        // A worker that has gone shows as the end of its output, which `listen` reports.
        state.withLock { state in
            if !state.closed.contains(index) { _ = Self.send(Data(command.utf8), to: workers[index].input) }
        }
    }

    private static func spawn(_ executable: String) throws -> Worker {
        // Sockets, not pipes: a worker that has gone makes `send` fail with EPIPE (MSG_NOSIGNAL)
        // instead of raising SIGPIPE in a process that may not ignore it; and they are made
        // close-on-exec at once, so a program another thread starts meanwhile cannot hold an
        // end open (a worker's output that never ends would leave its clips waited for forever).
        var toWorker: [Int32] = [0, 0], fromWorker: [Int32] = [0, 0]
        let kind = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        guard socketpair(AF_UNIX, kind, 0, &toWorker) == 0 else { throw BodoError(.failure, at: nil, "cannot start a synthesis worker: \(systemError())") }
        guard socketpair(AF_UNIX, kind, 0, &fromWorker) == 0 else {
            close(toWorker[0]); close(toWorker[1])
            throw BodoError(.failure, at: nil, "cannot start a synthesis worker: \(systemError())")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, toWorker[0], 0)
        posix_spawn_file_actions_adddup2(&actions, fromWorker[1], 1)
        // Nothing of the session's (its output file, the sound device) goes with the worker.
        guard bodo_spawn_close_from(&actions, 3) == 0 else { throw BodoError(.failure, at: nil, "cannot start a synthesis worker: \(systemError())") }
        // A Ctrl-C in the moment before the worker ignores it would kill the worker, and the
        // session would end as "a worker failed" instead of "interrupted": the worker starts
        // with these signals blocked, and unblocks them once it ignores them.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var blocked = sigset_t()
        sigemptyset(&blocked)
        for signal in SynthesisWorker.ignoredSignals { sigaddset(&blocked, signal) }
        posix_spawnattr_setsigmask(&attributes, &blocked)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
        let arguments: [UnsafeMutablePointer<CChar>?] = [strdup(executable), strdup(SynthesisWorker.argument), nil]
        defer { arguments.forEach { free($0) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, &actions, &attributes, arguments, environ)
        close(toWorker[0])
        close(fromWorker[1])
        guard status == 0 else {
            close(toWorker[1]); close(fromWorker[0])
            throw BodoError(.failure, at: nil, "cannot start a synthesis worker (\(executable)): \(String(cString: strerror(status)))")
        }
        return Worker(pid: pid, input: toWorker[1], output: fromWorker[0])
    }

    private static func send(_ data: Data, to fd: Int32) -> Bool {
        data.withUnsafeBytes { bytes in
            var done = 0
            while done < bytes.count {
                let n = Glibc.send(fd, bytes.baseAddress! + done, bytes.count - done, Int32(MSG_NOSIGNAL))
                if n < 0, errno == EINTR { continue }
                guard n > 0 else { return false }
                done += n
            }
            return true
        }
    }

    /// Waits for a worker to end (it does when its input does).
    private static func reap(_ worker: Worker) {
        var status: Int32 = 0
        while waitpid(worker.pid, &status, 0) < 0, errno == EINTR {}
    }
}
