import CGLPKGuard

/// A request to stop one search, handed in by its caller: GRDB's `interrupt()` for a plan.
///
/// Every solve given the token checks it where it checks its clock (GLPK at each MIP
/// callback) and ends with its best solution so far. Tokens are independent: stopping one
/// plan leaves every other plan in the process running.
///
///     let stop = StopToken()
///     DispatchQueue.global().asyncAfter(deadline: .now() + 5) { stop.requestStop() }
///     let solution = try GLPKSolver.solve(model, MIPParameters(stop: stop))
public final class StopToken: @unchecked Sendable {
    // Owned for the token's lifetime; the C side reads and writes it atomically.
    private let flag: OpaquePointer

    public init() {
        guard let flag = hf_stop_new() else { fatalError("out of memory allocating a stop flag") }
        self.flag = flag
    }

    deinit { hf_stop_free(flag) }

    /// Asks the search to stop at its next check. Safe from any thread.
    public func requestStop() { hf_stop_request(flag) }

    public var isRequested: Bool { hf_stop_requested(flag) != 0 }

    /// The raw flag, for a signal handler, which must not touch a Swift object: pass it to
    /// `StopToken.requestStop(flag:)`, a single atomic store. Valid while the token lives.
    public var unsafeFlag: OpaquePointer { flag }

    public static func requestStop(flag: OpaquePointer) { hf_stop_request(flag) }
}

/// Receives GLPK's own log, line by line as GLPK writes it (nothing is printed otherwise).
public typealias GLPKTrace = @Sendable (String) -> Void

/// A trace closure boxed for a C context pointer, alive for the length of one call.
final class TraceBox {
    let trace: GLPKTrace
    init(_ trace: @escaping GLPKTrace) { self.trace = trace }

    static let callback: hf_trace_fn = { context, text in
        guard let context, let text else { return }
        Unmanaged<TraceBox>.fromOpaque(context).takeUnretainedValue().trace(String(cString: text))
    }

    /// Runs `body` with the C function and context for `trace` (both nil without one).
    static func with<R>(_ trace: GLPKTrace?, _ body: (hf_trace_fn?, UnsafeMutableRawPointer?) throws(GLPKError) -> R) throws(GLPKError) -> R {
        guard let trace else { return try body(nil, nil) }
        let box = TraceBox(trace)
        return try withExtendedLifetime(box) { () throws(GLPKError) -> R in
            try body(callback, Unmanaged.passUnretained(box).toOpaque())
        }
    }
}
