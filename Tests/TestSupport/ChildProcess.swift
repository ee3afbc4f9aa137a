import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A child process started with `posix_spawn`, for tests that run sqlite3, gzip, chromedriver or newsroom itself.
///
/// Not Foundation's `Process`: on Linux its `run()` (Swift 6.3) reads `/proc/self/fd` with a 256-byte copy of
/// each directory entry and crashes now and then once the test process holds more than about 1 300 descriptors,
/// which a parallel suite of live servers does (swift-corelibs-foundation PR #5472). Here the child closes every
/// descriptor above stderr itself (`closefrom` as a spawn action), so nothing of the parent's leaks into it.
public final class ChildProcess: Sendable {
    public enum Input: Sendable { case null, pipe }
    public enum Output: Sendable {
        case discard
        case pipe
        /// Appended to this file (created if missing).
        case file(String)
        /// stderr only: to wherever stdout goes.
        case sameAsOutput
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public let pid: pid_t
    /// Write end of the child's stdin, when `input` was `.pipe`.
    public let standardInput: FileHandle?
    /// Read ends of the child's stdout and stderr, when `.pipe`.
    public let standardOutput: FileHandle?
    public let standardError: FileHandle?
    /// The wait status once reaped (by `isRunning`, `wait` or `stop`).
    private let reaped = Mutex<Int32?>(nil)

    public init(_ executable: String, _ arguments: [String], environment: [String: String]? = nil, directory: String? = nil,
                input: Input = .null, output: Output = .discard, error: Output = .discard) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var parentEnds: [Int32] = []
        var childEnds: [Int32] = []
        defer { childEnds.forEach { _ = close($0) } }

        func pipeEnds() throws -> (read: Int32, write: Int32) {
            var fds: [Int32] = [-1, -1]
            guard GNU.pipe2(&fds, O_CLOEXEC) == 0 else { throw Failure(description: "pipe2 failed: errno \(errno)") }
            return (fds[0], fds[1])
        }
        var stdinHandle: FileHandle?
        switch input {
        case .null:
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        case .pipe:
            let ends = try pipeEnds()
            posix_spawn_file_actions_adddup2(&actions, ends.read, 0)
            childEnds.append(ends.read)
            parentEnds.append(ends.write)
            stdinHandle = FileHandle(fileDescriptor: ends.write, closeOnDealloc: true)
        }
        func route(_ output: Output, to fd: Int32) throws -> FileHandle? {
            switch output {
            case .discard:
                posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", O_WRONLY, 0)
            case .file(let path):
                posix_spawn_file_actions_addopen(&actions, fd, path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
            case .sameAsOutput:
                posix_spawn_file_actions_adddup2(&actions, 1, fd)
            case .pipe:
                let ends = try pipeEnds()
                posix_spawn_file_actions_adddup2(&actions, ends.write, fd)
                childEnds.append(ends.write)
                parentEnds.append(ends.read)
                return FileHandle(fileDescriptor: ends.read, closeOnDealloc: true)
            }
            return nil
        }
        let stdoutHandle = try route(output, to: 1)
        let stderrHandle = try route(error, to: 2)
        // Everything else the test process holds (sockets, databases, other children's pipes) stays out of the child.
        guard GNU.addClosefrom(&actions, 3) == 0 else { throw Failure(description: "posix_spawn_file_actions_addclosefrom_np failed") }
        if let directory { guard GNU.addChdir(&actions, directory) == 0 else { throw Failure(description: "cannot chdir to \(directory)") } }

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let env = (environment ?? ProcessInfo.processInfo.environment).map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { env.forEach { free($0) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, &actions, nil, argv, env)
        guard status == 0 else {
            parentEnds.forEach { _ = close($0) }
            throw Failure(description: "cannot start \(executable): \(String(cString: strerror(status)))")
        }
        self.pid = pid
        (standardInput, standardOutput, standardError) = (stdinHandle, stdoutHandle, stderrHandle)
    }

    public var isRunning: Bool { reap(blocking: false) == nil }

    /// Blocks until the child exits; its exit code, or 128 + the signal that ended it.
    @discardableResult
    public func wait() -> Int32 { Self.exitCode(reap(blocking: true)!) }

    public func signal(_ signal: Int32) { if isRunning { kill(pid, signal) } }

    /// SIGTERM, then SIGKILL if it is still there after `grace` seconds; reaped either way.
    public func stop(grace: TimeInterval = 2) {
        guard isRunning else { return }
        kill(pid, SIGTERM)
        let deadline = Date().addingTimeInterval(grace)
        while isRunning && Date() < deadline { usleep(10_000) }
        if isRunning { kill(pid, SIGKILL) }
        wait()
    }

    private func reap(blocking: Bool) -> Int32? {
        reaped.withLock { reaped in
            if let reaped { return reaped }
            var status: Int32 = 0
            var result: pid_t
            repeat { result = waitpid(pid, &status, blocking ? 0 : WNOHANG) } while result == -1 && errno == EINTR
            guard result == pid else { return nil }
            reaped = status
            return status
        }
    }

    private static func exitCode(_ status: Int32) -> Int32 {
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }

    /// Runs to the end and returns the exit code with everything written to stdout and stderr, read together so a
    /// full pipe on one side never stalls the other.
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                           directory: String? = nil, mergingErrors: Bool = false) throws -> (status: Int32, output: [UInt8], error: [UInt8]) {
        let child = try ChildProcess(executable, arguments, environment: environment, directory: directory,
                                     output: .pipe, error: mergingErrors ? .sameAsOutput : .pipe)
        let streams = [child.standardOutput, child.standardError].compactMap { $0 }
        var collected = streams.map { _ in [UInt8]() }
        var open = streams.map(\.fileDescriptor)
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while open.contains(where: { $0 >= 0 }) {
            var polls = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            guard poll(&polls, nfds_t(polls.count), -1) >= 0 || errno == EINTR else { break }
            for (index, entry) in polls.enumerated() where entry.fd >= 0 && entry.revents != 0 {
                let count = read(entry.fd, &buffer, buffer.count)
                if count > 0 { collected[index] += buffer[0..<count] } else if count == 0 || errno != EINTR { open[index] = -1 }
            }
        }
        let status = child.wait()
        return (status, collected[0], mergingErrors ? [] : collected[1])
    }
}

extension ChildProcess {
    /// `run` on a Dispatch thread, so an async test waiting for the child does not hold one of the few threads of
    /// the cooperative pool that the rest of the parallel suite needs.
    public static func runOffThePool(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                                     directory: String? = nil, mergingErrors: Bool = false) async throws -> (status: Int32, output: [UInt8], error: [UInt8]) {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result {
                    try run(executable, arguments, environment: environment, directory: directory, mergingErrors: mergingErrors)
                })
            }
        }
    }
}

/// glibc's GNU extensions, which Swift's Glibc module does not declare (it is imported without `_GNU_SOURCE`):
/// looked up once by name. glibc 2.34 has all three (Debian 12 ships 2.36).
private enum GNU {
    typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32
    typealias AddClosefrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32

    static func symbol<T>(_ name: String, as type: T.Type) -> T {
        // nil is RTLD_DEFAULT: search every object loaded, which includes libc.
        guard let address = dlsym(nil, name) else { fatalError("glibc lacks \(name) (needs glibc 2.34 or later)") }
        return unsafeBitCast(address, to: type)
    }

    static let pipe2 = symbol("pipe2", as: Pipe2.self)
    static let addClosefrom = symbol("posix_spawn_file_actions_addclosefrom_np", as: AddClosefrom.self)
    static let addChdir = symbol("posix_spawn_file_actions_addchdir_np", as: AddChdir.self)
}
