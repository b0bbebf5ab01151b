/// A traced entity as a VM, for a study with traces and no VM inventory: the allocation
/// comes from the trace where the format has it; else one vCPU per core of its busiest CPU
/// at `mhzPerCore`, and its largest memory use.
func tracedVM(_ entity: String, _ allocation: EntityAllocation, peakCPU: Double?, peakMemory: Double?, mhzPerCore: Double) -> VM {
    let vcpus = allocation.cores
        ?? allocation.cpuMHz.map { Int(($0 / mhzPerCore).rounded(.up)) }
        ?? peakCPU.map { Int(($0 / mhzPerCore).rounded(.up)) } ?? 1
    return VM(id: entity, vcpus: max(1, vcpus), memoryMB: max(allocation.memoryMB ?? peakMemory ?? 1, 1))
}

extension ProfileSet {
    public func vms(mhzPerCore: Double) -> [VM] {
        profiles.map { tracedVM($0.entity, $0.allocation, peakCPU: $0.profile(of: .cpu)?.max, peakMemory: $0.profile(of: .memory)?.max, mhzPerCore: mhzPerCore) }
    }
}

extension DemandHistory {
    public func vms(mhzPerCore: Double) -> [VM] {
        series.keys.sorted { $0.localizedStandardCompare($1) == .orderedAscending }.map { entity in
            tracedVM(entity, allocations[entity] ?? EntityAllocation(), peakCPU: series[entity]?[.cpu]?.max(),
                     peakMemory: series[entity]?[.memory]?.max(), mhzPerCore: mhzPerCore)
        }
    }
}
