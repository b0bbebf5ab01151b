/// What `rebalance` is asked to do, and within which limits.
public struct RebalanceOptions: Sendable {
    public enum Goal: String, Sendable, CaseIterable {
        /// The fewest moves (then the least memory) after which every host is within
        /// headroom in the recent traces and their forecast.
        case fix
        /// Lower the spread of peak utilization while a move pays (DRS-style threshold).
        case balance
        /// Hosts that can be switched off while the rest hold every hour of the week.
        case power
        /// Empty some hosts for a maintenance window, and bring their VMs back after.
        case drain
    }

    public var goal: Goal = .fix
    /// At most this many moves (parking moves not counted).
    public var maxMoves: Int = .max
    /// Moves that remove fewer host-hours over headroom than this are not proposed.
    public var minBenefit: Double = 0.25
    /// A VM moved (in `previous`) less than this many seconds before the traces end stays.
    public var minDwell: Int64 = 3 * 86_400
    /// Moves already made, in earlier rounds: for `minDwell`, and so that no VM goes back
    /// to a host it left.
    public var previous: [PastMove] = []
    public var cost = MoveCost()
    /// nil: hour of the week with two weeks of traces or more, else hour of the day.
    public var forecast: LoadForecast.Shape? = nil
    /// nil: learned by replaying one half of the window on the other.
    public var margin: Double? = nil
    /// Carry each VM's growth between the halves of the window forward; nil: learned with the margin.
    public var trend: Bool? = nil
    /// `balance`: 1 (conservative, only large gains) to 5 (aggressive), as DRS's migration threshold.
    public var threshold: Int = 3
    /// `drain`: the hosts to empty, and the window (epoch seconds, length in seconds).
    public var drain: [String] = []
    public var window: (start: Int64, seconds: Int64)? = nil

    public init(goal: Goal = .fix) {
        self.goal = goal
    }
}

/// A move made in an earlier round (a moves.csv of an earlier `rebalance`).
public struct PastMove: Sendable, Equatable {
    public var vm: String
    public var from: String
    public var to: String
    /// Epoch seconds.
    public var at: Int64

    public init(vm: String, from: String, to: String, at: Int64) {
        self.vm = vm
        self.from = from
        self.to = to
        self.at = at
    }
}
