extension ProfileSet {
    /// Every profiled entity as a VM, for a study with traces and no VM inventory: the
    /// allocation comes from the trace where the format has it; else one vCPU per core of
    /// its busiest CPU at `mhzPerCore`, and its largest memory use.
    public func vms(mhzPerCore: Double) -> [VM] {
        profiles.map { profile in
            let cpu = profile.profile(of: .cpu), memory = profile.profile(of: .memory)
            let vcpus = profile.allocation.cores
                ?? profile.allocation.cpuMHz.map { Int(($0 / mhzPerCore).rounded(.up)) }
                ?? cpu.map { Int(($0.max / mhzPerCore).rounded(.up)) } ?? 1
            let memoryMB = profile.allocation.memoryMB ?? memory?.max ?? 1
            return VM(id: profile.entity, vcpus: max(1, vcpus), memoryMB: max(memoryMB, 1))
        }
    }
}
