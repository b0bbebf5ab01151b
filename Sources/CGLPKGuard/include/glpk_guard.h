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

typedef struct {
    double time_limit;         /* seconds of wall clock; <= 0 for none */
    double mip_gap;            /* relative gap at which to stop */
    int presolve;              /* ignored when an incumbent is given: GLPK needs it off */
    int heuristics;            /* feasibility pump and proximity search */
    const double *incumbent;   /* [cols + 1] a feasible solution to start from, or NULL */
    const volatile int *cancel;/* stop as soon as it becomes nonzero, or NULL */
} hf_params;

typedef struct {
    int ret;                   /* glp_intopt's return code, or glp_simplex's if it failed */
    int lp_status;             /* GLP_OPT, GLP_NOFEAS, GLP_UNBND, GLP_UNDEF ... */
    int mip_status;            /* GLP_OPT, GLP_FEAS, GLP_NOFEAS or GLP_UNDEF */
    int stopped;               /* 1: stopped by the deadline or the cancel flag */
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

#endif
