import Foundation
import Hostfit

/// Ctrl-C stops the plan and keeps its best so far; a second Ctrl-C quits at once. The
/// handler only stores to the plan's stop flag (one atomic store, safe in a signal handler).
enum Interrupt {
    nonisolated(unsafe) private static var flag: OpaquePointer?
    // Keeps the token (and so its flag) alive for the process.
    nonisolated(unsafe) private static var token: StopToken?

    static func stopOnCtrlC(_ stop: StopToken) {
        token = stop
        flag = stop.unsafeFlag
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { sig in
            if let flag = Interrupt.flag { StopToken.requestStop(flag: flag) }
            signal(sig, SIG_DFL)
        }
        sigemptyset(&action.sa_mask)
        sigaction(SIGINT, &action, nil)
        // A parent may have started us with SIGINT blocked (a mask is inherited through exec).
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }
}
