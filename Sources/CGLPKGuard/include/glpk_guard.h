#ifndef HOSTFIT_GLPK_GUARD_H
#define HOSTFIT_GLPK_GUARD_H

/* Runs a whole MIP solve inside one setjmp guard, so that GLPK's error hook can
   leave by longjmp across C frames only. All arrays are GLPK's: 1-based, index 0 unused. */

typedef struct {
    int rows, cols;
    int minimize;              /* 1: GLP_MIN, 0: GLP_MAX */
    const double *objective;   /* [cols + 1] */
    const int *col_kind;       /* [cols + 1] GLP_CV, GLP_IV or GLP_BV */
    const int *col_type;       /* [cols + 1] GLP_FR, GLP_LO, GLP_UP, GLP_DB or GLP_FX */
    const double *col_lower, *col_upper;
    const int *row_type;       /* [rows + 1] */
    const double *row_lower, *row_upper;
    int entries;
    const int *ia, *ja;        /* [entries + 1] row and column of each matrix entry */
    const double *ar;          /* [entries + 1] its value */
} hf_model;

/* A request to stop, one per plan (or per solve): set from any thread or a signal handler
   (an atomic store), read at every MIP callback. */
typedef struct hf_stop hf_stop;
hf_stop *hf_stop_new(void);
void hf_stop_free(hf_stop *stop);
void hf_stop_request(hf_stop *stop);
int hf_stop_requested(const hf_stop *stop);

/* Receives GLPK's terminal output (its log), when a caller asks for it. */
typedef void (*hf_trace_fn)(void *context, const char *text);

typedef struct {
    double time_limit;         /* seconds of wall clock; <= 0 for none */
    long work_limit;           /* simplex iterations, all nodes together; <= 0 for none. Unlike
                                  the clock, where it stops does not depend on the machine. */
    double node_weight;        /* iterations charged for each branch-and-bound node (its set-up
                                  and cut rounds, which no iteration count shows) */
    double mip_gap;            /* relative gap at which to stop */
    int presolve;              /* ignored when an incumbent is given: GLPK needs it off */
    int heuristics;            /* feasibility pump (proximity search stops on the clock alone,
                                  which would make plans depend on the machine: never run) */
    int cuts;                  /* MIR, cover and clique cuts (Gomory's too, up to 1,000 columns) */
    const double *incumbent;   /* [cols + 1] a feasible solution to start from, or NULL */
    const hf_stop *stop;       /* stop as soon as it is requested, or NULL */
    hf_trace_fn trace;         /* GLPK's log goes here (and its messages on), or NULL: silent */
    void *trace_context;
} hf_params;

typedef struct {
    int ret;                   /* glp_intopt's return code, or glp_simplex's if it failed */
    int lp_status;             /* GLP_OPT, GLP_NOFEAS, GLP_UNBND, GLP_UNDEF ... */
    int mip_status;            /* GLP_OPT, GLP_FEAS, GLP_NOFEAS or GLP_UNDEF */
    int stopped;               /* 1: stopped by the deadline, the work limit or the cancel flag */
    int stopped_by_clock;      /* 1: the deadline (or GLPK's own tm_lim) stopped it */
    long iterations;           /* simplex iterations done, the root LP's included */
    long nodes;                /* branch-and-bound nodes created */
    int incumbent_accepted;
    int has_bound;
    double bound;              /* best bound on the objective known when GLPK stopped */
    double objective;
    double *x;                 /* [cols + 1] out: the solution (caller allocates) */
    char message[1024];        /* GLPK's last output; its error text when the hook fired */
} hf_result;

/* 0 when GLPK ran (see result), -1 when GLPK rejected a call: the error hook fired, the
   thread's GLPK environment was freed, and result->message says what GLPK reported. */
int hf_solve_mip(const hf_model *model, const hf_params *params, hf_result *result);

/* A linear program that grows by columns (column generation): created, grown, solved and
   freed on one thread. Every call runs under the same guard as hf_solve_mip; after the
   error hook fires the problem is gone and every later call returns -1. Minimizes; columns
   have lower bound 0. */
typedef struct hf_lp hf_lp;

/* NULL when GLPK rejected the rows (message says why). */
hf_lp *hf_lp_new(int rows, const int *row_type, const double *row_lower, const double *row_upper, char *message);
/* rows/values: [count + 1], 1-based, distinct rows. upper < 0: no upper bound. Returns the column's index. */
int hf_lp_add_column(hf_lp *lp, double cost, double upper, int count, const int *rows, const double *values);
/* Simplex from the last basis (the dual after bound changes alone, else the primal), within time_limit seconds and iteration_limit
   iterations (<= 0: none); iterations (may be NULL) receives how many it did. status: GLP_OPT, GLP_NOFEAS, GLP_UNBND or GLP_UNDEF.
   row_dual: [rows + 1]; col_value: [columns + 1], both may be NULL. Returns glp_simplex's code, or -1. */
int hf_lp_solve(hf_lp *lp, double time_limit, int iteration_limit, int *iterations, int *status, double *objective, double *row_dual, double *col_value);
/* Changes row i's bounds (1-based), as in hf_lp_new. */
int hf_lp_set_row(hf_lp *lp, int row, int type, double lower, double upper);
int hf_lp_columns(const hf_lp *lp);
const char *hf_lp_message(const hf_lp *lp);
/* GLPK's log of this LP's solves goes to trace (NULL: silent). */
void hf_lp_set_trace(hf_lp *lp, hf_trace_fn trace, void *context);
void hf_lp_free(hf_lp *lp);

#endif
