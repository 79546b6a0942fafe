import APIModel
import Libvirt
import Snapshots
import Streaming

/// An error of the engine: what failed (a stable code), in which step of which VM and disk, the
/// error below kept as a value, and where it was raised. Modelled on NIOFS's `FileSystemError`.
///
/// It becomes the API's `{code, message}` only at the API's edge (``apiError``); below that,
/// callers classify errors by their code and cause, never by their text.
public struct EngineError: Error, Sendable, CustomStringConvertible {
    public var code: APIErrorCode
    /// What went wrong, in one line; the VM, the disk and the cause are added by ``description``
    /// only when the message does not already name them.
    public var message: String
    public var step: JobStep?
    public var vm: String?
    public var disk: String?
    /// The error below: a `LibvirtError`, `SnapshotError`, `StreamError`, `TargetError`, ...
    public var cause: (any Error)?
    public var location: SourceLocation

    /// Where an error was raised in vmbackup's own code.
    public struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
        public var file: String
        public var line: Int

        public var description: String { "\(file):\(line)" }
    }

    public init(
        _ code: APIErrorCode, _ message: String, step: JobStep? = nil, vm: String? = nil, disk: String? = nil,
        cause: (any Error)? = nil, fileID: String = #fileID, line: Int = #line
    ) {
        self.code = code
        self.message = message
        self.step = step
        self.vm = vm
        self.disk = disk
        self.cause = cause
        self.location = SourceLocation(file: fileID, line: line)
    }

    public var description: String { message }

    /// The error as the API and the CLI show it.
    public var apiError: APIErrorInfo { APIErrorInfo(code, message) }

    /// Whether the error only says that the job was asked to stop.
    public var isCancellation: Bool { code == .cancelled }
}

extension EngineError: APIErrorConvertible {}

extension EngineError {
    /// Classifies whatever `step` threw, by type and cause, never by text: an `EngineError`
    /// keeps its code (gaining the step if it had none); an `APIErrorInfo` keeps its code;
    /// cancellation (Swift's, or a stream that stopped because it was asked to) is `cancelled`;
    /// an unavailable guest agent is `agent_unavailable`; anything else gets the step's code.
    public init(
        classifying error: any Error, step: JobStep, vm: String? = nil, fileID: String = #fileID, line: Int = #line
    ) {
        switch error {
        case var known as EngineError:
            if known.step == nil { known.step = step }
            if known.vm == nil { known.vm = vm }
            self = known
        case let info as APIErrorInfo:
            self.init(info.code, info.message, step: step, vm: vm, cause: info, fileID: fileID, line: line)
        case is CancellationError:
            self.init(
                .cancelled, "\(step.phrase) cancelled", step: step, vm: vm, cause: error, fileID: fileID, line: line)
        case let stream as StreamError where stream.isCancelled:
            self.init(
                .cancelled, "\(step.phrase) cancelled", step: step, vm: vm,
                disk: stream.disk.isEmpty ? nil : stream.disk,
                cause: error, fileID: fileID, line: line)
        default:
            let code: APIErrorCode = Self.agentUnavailable(error) ? .agentUnavailable : step.failureCode
            self.init(
                code, "\(step.phrase) failed: \(error)", step: step, vm: vm, disk: Self.disk(of: error), cause: error,
                fileID: fileID, line: line)
        }
    }

    /// Whether `error`, or an error it wraps, says the guest agent is not there.
    public static func agentUnavailable(_ error: any Error) -> Bool {
        switch error {
        case let libvirt as LibvirtError: libvirt.isAgentUnavailable
        case let snapshot as SnapshotError: snapshot.cause.map(agentUnavailable) ?? false
        case let engine as EngineError:
            engine.code == .agentUnavailable || (engine.cause.map(agentUnavailable) ?? false)
        default: false
        }
    }

    private static func disk(of error: any Error) -> String? {
        switch error {
        case let snapshot as SnapshotError: snapshot.disk
        case let stream as StreamError: stream.disk.isEmpty ? nil : stream.disk
        default: nil
        }
    }
}

extension EngineError: Equatable {
    /// Two errors are the same when they say the same thing about the same place; the cause and
    /// the source location do not count.
    public static func == (lhs: EngineError, rhs: EngineError) -> Bool {
        lhs.code == rhs.code && lhs.message == rhs.message && lhs.step == rhs.step && lhs.vm == rhs.vm
            && lhs.disk == rhs.disk
    }
}
