/// Which VM runs on which host, by id: the form a plan is written and checked in.
///
/// It can say things a valid plan cannot (a VM twice, an unknown host), so that the
/// validator can check any placement, including one a person edited.
public struct Placement: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var vm: String
        public var host: String
        /// Where it came from, for messages (a line of placements.csv); nil when made here.
        public var line: Int?

        public init(vm: String, host: String, line: Int? = nil) {
            self.vm = vm
            self.host = host
            self.line = line
        }
    }

    public var entries: [Entry]

    public init(_ entries: [Entry] = []) {
        self.entries = entries
    }
}
