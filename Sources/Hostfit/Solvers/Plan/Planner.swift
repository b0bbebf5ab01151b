/// Plans a placement, in phases that each only replace the plan with a better one, so a
/// valid plan exists whatever happens later:
///
/// 1. bounds and greedy packing (`PlanRun+Packing.swift`): lower bounds, then first-fit or
///    best-fit decreasing, then emptying the least-loaded hosts;
/// 2. column generation (`PlanRun+ColumnGeneration.swift`, static demand), with ejection
///    chains as its polish step (`PlanRun+EjectionChains.swift`);
/// 3. GLPK on the assignment model (`PlanRun+AssignmentILP.swift`) when it is small enough;
/// 4. large-neighbourhood search (`PlanRun+Search.swift`) while the bound is not met;
/// 5. fewer migrations, then balance (`PlanRun+Balance.swift`).
///
/// `PlanBudget` says how the effort (and the time limit, a safety cap) is shared between them; `PlanOptions.stop` ends any
/// of them early, keeping the best plan so far.
public enum Planner {
    public static func plan(_ problem: PlacementProblem, options: PlanOptions = PlanOptions()) -> PlanOutcome {
        let run = PlanRun(problem, options)
        run.boundAndPack()
        run.emptyHosts()
        run.columnGeneration()
        run.assignmentILP()
        run.largeNeighbourhoodSearch()
        run.fewerMigrationsThenBalance()
        return run.outcome()
    }

    /// Phase 1 alone, greedy packing then emptying hosts: enough to ask whether demand fits
    /// (months to exhaustion asks it a dozen times), without the balance that only moves VMs.
    public static func pack(_ problem: PlacementProblem, options: PlanOptions = PlanOptions()) -> Assignment {
        let run = PlanRun(problem, options)
        run.boundAndPack()
        run.emptyHosts()
        return run.assignment
    }
}
