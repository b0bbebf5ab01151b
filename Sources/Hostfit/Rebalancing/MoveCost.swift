/// What a live migration costs: its time on the wire, from the VM's memory and the link,
/// and the CPU it takes on both hosts while it runs.
///
/// Pre-copy migration (vMotion, KVM/QEMU, Hyper-V) sends the memory once and then the pages
/// written meanwhile: `precopy` 1.3 sends a busy VM's memory about 1.3 times over. The copy
/// keeps a core busy on each side (vSphere reserves CPU per concurrent vMotion), so a move
/// is scheduled only when both hosts have that core spare within capacity.
public struct MoveCost: Sendable, Equatable {
    /// Link speed for migrations, in gigabits per second.
    public var linkGbps: Double
    /// Memory sent per MB of the VM's memory.
    public var precopy: Double = 1.3
    /// Fixed seconds per move: the switch-over, the handshake.
    public var fixedSeconds: Double = 2

    public init(linkGbps: Double = 10) {
        self.linkGbps = linkGbps
    }

    /// Seconds a migration of `memoryMB` takes.
    public func seconds(memoryMB: Double) -> Double {
        let megabits = memoryMB * 8 * precopy
        return fixedSeconds + megabits / (linkGbps * 1000)
    }

    /// CPU (MHz) a migration keeps busy on each of its hosts while it runs: one core.
    public func cpuOverhead(on host: VMHost) -> Double { host.cpuMHzPerCore }
}
