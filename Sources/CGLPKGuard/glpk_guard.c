#include "glpk_guard.h"
#include <glpk.h>
#include <limits.h>
#include <setjmp.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* GLPK's environment is thread-local on Debian, so the guard state is too. */
static _Thread_local jmp_buf *guard_jump;
static _Thread_local char *guard_text;
static _Thread_local hf_trace_fn guard_trace;
static _Thread_local void *guard_trace_context;

struct hf_stop { atomic_int requested; };

hf_stop *hf_stop_new(void) {
    hf_stop *stop = calloc(1, sizeof *stop);
    if (stop) atomic_init(&stop->requested, 0);
    return stop;
}
void hf_stop_free(hf_stop *stop) { free(stop); }
void hf_stop_request(hf_stop *stop) { atomic_store(&stop->requested, 1); }
int hf_stop_requested(const hf_stop *stop) { return atomic_load((atomic_int *)&stop->requested) != 0; }

static void error_hook(void *info) {
    (void)info;
    longjmp(*guard_jump, 1);
}

/* Keeps the tail of GLPK's output instead of printing it; a caller's trace gets all of it. */
static int term_hook(void *info, const char *s) {
    (void)info;
    if (guard_trace) guard_trace(guard_trace_context, s);
    if (guard_text == NULL) return 1;
    size_t have = strlen(guard_text), add = strlen(s), cap = 1023;
    if (add >= cap) { s += add - cap + 1; add = cap - 1; }
    if (have + add > cap - 1) {
        size_t drop = have + add - (cap - 1);
        memmove(guard_text, guard_text + drop, have - drop + 1);
        have -= drop;
    }
    memcpy(guard_text + have, s, add + 1);
    return 1;
}

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

typedef struct {
    const hf_params *params;
    hf_result *result;
    double deadline;
    int offered;
    /* GLPK calls back between steps it does not interrupt (a round of cuts, a node's LP):
       the longest step so far predicts the next, so stop before it would cross the deadline. */
    double last_call, longest_step;
    int last_reason;
    int first_iteration;
} callback_state;

static void mip_callback(glp_tree *tree, void *info) {
    callback_state *st = info;
    double now = now_seconds();
    int reason = glp_ios_reason(tree);
    /* After the heuristic call come the root's proximity search and pump, bounded on their own. */
    if (st->last_call > 0 && st->last_reason != GLP_IHEUR && now - st->last_call > st->longest_step)
        st->longest_step = now - st->last_call;
    st->last_call = now;
    st->last_reason = reason;
    if (reason == GLP_IHEUR && st->params->incumbent && !st->offered) {
        st->offered = 1;
        if (glp_ios_heur_sol(tree, st->params->incumbent) == 0) st->result->incumbent_accepted = 1;
    }
    int best = glp_ios_best_node(tree);
    if (best != 0) {
        /* A node not yet solved has no bound (GLPK reports -DBL_MAX). */
        double bound = glp_ios_node_bound(tree, best);
        if (bound > -1e300 && bound < 1e300) {
            st->result->bound = bound;
            st->result->has_bound = 1;
        }
    }
    int active, current, total;
    glp_ios_tree_size(tree, &active, &current, &total);
    st->result->nodes = total;
    long done = glp_get_it_cnt(glp_ios_get_prob(tree)) - st->first_iteration + (long)(total * st->params->node_weight);
    int clock = st->deadline > 0 && now + st->longest_step >= st->deadline;
    if (clock || (st->params->work_limit > 0 && done >= st->params->work_limit) ||
        (st->params->stop && hf_stop_requested(st->params->stop))) {
        st->result->stopped = 1;
        if (clock) st->result->stopped_by_clock = 1;
        glp_ios_terminate(tree);
    }
}

static void load(glp_prob *P, const hf_model *m) {
    glp_set_obj_dir(P, m->minimize ? GLP_MIN : GLP_MAX);
    if (m->rows > 0) glp_add_rows(P, m->rows);
    if (m->cols > 0) glp_add_cols(P, m->cols);
    for (int i = 1; i <= m->rows; i++)
        glp_set_row_bnds(P, i, m->row_type[i], m->row_lower[i], m->row_upper[i]);
    for (int j = 1; j <= m->cols; j++) {
        glp_set_col_kind(P, j, m->col_kind[j]);
        if (m->col_kind[j] != GLP_BV)
            glp_set_col_bnds(P, j, m->col_type[j], m->col_lower[j], m->col_upper[j]);
        glp_set_obj_coef(P, j, m->objective[j]);
    }
    glp_load_matrix(P, m->entries, (int *)m->ia, (int *)m->ja, (double *)m->ar);
    /* Capacities in MHz and MB beside 0/1 variables span five orders of magnitude: unscaled,
       the simplex met singular bases and failed an assertion (teta_lim >= 0.0) on SampleData
       sized by allocation. glpsol scales by default too. */
    glp_scale_prob(P, GLP_SF_AUTO);
}

static void solve(glp_prob *P, const hf_model *m, const hf_params *p, hf_result *r) {
    double start = now_seconds();
    callback_state st = { p, r, p->time_limit > 0 ? start + p->time_limit : 0, 0, 0, 0, 0, glp_get_it_cnt(P) };
    int ms_limit = p->time_limit > 0 && p->time_limit < 2e6 ? (int)(p->time_limit * 1000) : 0;

    glp_iocp iocp;
    glp_init_iocp(&iocp);
    iocp.msg_lev = p->trace ? GLP_MSG_ALL : GLP_MSG_OFF;
    iocp.mip_gap = p->mip_gap;
    iocp.fp_heur = p->heuristics ? GLP_ON : GLP_OFF;
    /* One round of Gomory cuts on a few thousand binaries takes seconds with no callback in
       between (measured: over 3 s at 5,400 columns), so it cannot keep a deadline there. */
    iocp.gmi_cuts = m->cols <= 1000 ? GLP_ON : GLP_OFF;
    /* Likewise the default branching (Driebeck-Tomlin) took 0.8 s at one node of 4,400 columns. */
    if (m->cols > 1000) iocp.br_tech = GLP_BR_MFV;
    iocp.mir_cuts = p->cuts ? GLP_ON : GLP_OFF;
    iocp.cov_cuts = p->cuts ? GLP_ON : GLP_OFF;
    iocp.clq_cuts = p->cuts ? GLP_ON : GLP_OFF;
    if (!p->cuts) iocp.gmi_cuts = GLP_OFF;
    iocp.cb_func = mip_callback;
    iocp.cb_info = &st;
    if (ms_limit > 0) iocp.tm_lim = ms_limit;

    /* GLPK takes a heuristic solution only from the callback, which needs the presolver
       off (it renumbers columns) and an optimal LP basis first. */
    if (p->incumbent || !p->presolve) {
        glp_smcp smcp;
        glp_init_smcp(&smcp);
        smcp.msg_lev = GLP_MSG_OFF;
        smcp.presolve = GLP_OFF;
        if (ms_limit > 0) smcp.tm_lim = ms_limit;
        if (p->work_limit > 0) smcp.it_lim = p->work_limit < INT_MAX ? (int)p->work_limit : INT_MAX;
        int ret = glp_simplex(P, &smcp);
        r->lp_status = glp_get_status(P);
        r->iterations = glp_get_it_cnt(P) - st.first_iteration;
        if (ret != 0 || r->lp_status != GLP_OPT) {
            r->ret = ret;
            if (ret == GLP_ETMLIM) r->stopped_by_clock = 1;
            r->mip_status = r->lp_status == GLP_NOFEAS ? GLP_NOFEAS : GLP_UNDEF;
            return;
        }
        r->bound = glp_get_obj_val(P);
        r->has_bound = 1;
        iocp.presolve = GLP_OFF;
        if (ms_limit > 0) {
            int left = ms_limit - (int)((now_seconds() - start) * 1000);
            iocp.tm_lim = left > 1 ? left : 1;
        }
    } else {
        iocp.presolve = GLP_ON;
    }

    /* Proximity search runs inside one callback-free call that only its own clock limit
       ends: where it stops would depend on the machine, so it never runs. */
    iocp.ps_heur = GLP_OFF;
    /* The feasibility pump only looks for a first solution: none needed with an incumbent. */
    if (p->incumbent) iocp.fp_heur = GLP_OFF;
    r->ret = glp_intopt(P, &iocp);
    if (r->ret == GLP_ETMLIM) r->stopped_by_clock = 1;
    r->iterations = glp_get_it_cnt(P) - st.first_iteration;
    r->mip_status = glp_mip_status(P);
    if (r->mip_status == GLP_OPT || r->mip_status == GLP_FEAS) {
        r->objective = glp_mip_obj_val(P);
        for (int j = 1; j <= m->cols; j++) r->x[j] = glp_mip_col_val(P, j);
    }
}

int hf_solve_mip(const hf_model *model, const hf_params *params, hf_result *result) {
    jmp_buf jump;
    jmp_buf *volatile outer_jump = guard_jump;
    char *volatile outer_text = guard_text;
    glp_prob *volatile P = NULL;
    int status = 0;

    hf_trace_fn outer_trace = guard_trace;
    void *outer_trace_context = guard_trace_context;
    result->message[0] = '\0';
    guard_jump = &jump;
    guard_text = result->message;
    guard_trace = params->trace;
    guard_trace_context = params->trace_context;
    glp_term_hook(term_hook, NULL);
    glp_error_hook(error_hook, NULL);

    if (setjmp(jump) == 0) {
        P = glp_create_prob();
        load(P, model);
        solve(P, model, params, result);
        glp_delete_prob(P);
        glp_error_hook(NULL, NULL);
        glp_term_hook(NULL, NULL);
    } else {
        /* GLPK's state is unusable after its error: drop the whole environment (and every
           problem in it); the next call on this thread starts a fresh one. */
        glp_free_env();
        status = -1;
    }
    guard_jump = outer_jump;
    guard_text = outer_text;
    guard_trace = outer_trace;
    guard_trace_context = outer_trace_context;
    return status;
}

struct hf_lp {
    glp_prob *P;
    int rows, dead;
    /* Since the last solve: a row's bounds moved, a column came in. Only the first keeps
       the basis dual feasible, so the dual simplex restarts from it in a few iterations
       where the primal would start over from phase one (the dives' fixings). */
    int bounds_moved, column_added;
    hf_trace_fn trace;
    void *trace_context;
    char message[1024];
};

/* Runs `body` under the guard; on GLPK's error the environment (and the problem) is gone. */
#define HF_GUARDED(lp, body, failed) do { \
    jmp_buf jump; \
    jmp_buf *volatile outer_jump = guard_jump; \
    char *volatile outer_text = guard_text; \
    hf_trace_fn outer_trace = guard_trace; \
    void *outer_trace_context = guard_trace_context; \
    guard_jump = &jump; \
    guard_text = (lp)->message; \
    guard_trace = (lp)->trace; \
    guard_trace_context = (lp)->trace_context; \
    glp_term_hook(term_hook, NULL); \
    glp_error_hook(error_hook, NULL); \
    if (setjmp(jump) == 0) { \
        body; \
        glp_error_hook(NULL, NULL); \
        glp_term_hook(NULL, NULL); \
    } else { \
        glp_free_env(); \
        (lp)->dead = 1; \
        (lp)->P = NULL; \
        failed; \
    } \
    guard_jump = outer_jump; \
    guard_text = outer_text; \
    guard_trace = outer_trace; \
    guard_trace_context = outer_trace_context; \
} while (0)

hf_lp *hf_lp_new(int rows, const int *row_type, const double *row_lower, const double *row_upper, char *message) {
    hf_lp *lp = calloc(1, sizeof *lp);
    if (!lp) { strcpy(message, "out of memory"); return NULL; }
    lp->rows = rows;
    HF_GUARDED(lp, {
        lp->P = glp_create_prob();
        glp_set_obj_dir(lp->P, GLP_MIN);
        if (rows > 0) glp_add_rows(lp->P, rows);
        for (int i = 1; i <= rows; i++) glp_set_row_bnds(lp->P, i, row_type[i], row_lower[i], row_upper[i]);
    }, {});
    if (lp->dead) {
        strncpy(message, lp->message, 1023);
        message[1023] = '\0';
        free(lp);
        return NULL;
    }
    return lp;
}

int hf_lp_add_column(hf_lp *lp, double cost, double upper, int count, const int *rows, const double *values) {
    if (lp->dead) return -1;
    int j = -1;
    HF_GUARDED(lp, {
        j = glp_add_cols(lp->P, 1);
        if (upper < 0) glp_set_col_bnds(lp->P, j, GLP_LO, 0, 0);
        else glp_set_col_bnds(lp->P, j, upper == 0 ? GLP_FX : GLP_DB, 0, upper);
        glp_set_obj_coef(lp->P, j, cost);
        glp_set_mat_col(lp->P, j, count, rows, values);
        lp->column_added = 1;
    }, { j = -1; });
    return j;
}

int hf_lp_solve(hf_lp *lp, double time_limit, int iteration_limit, int *iterations, int *status, double *objective, double *row_dual, double *col_value) {
    if (lp->dead) return -1;
    int ret = -1;
    HF_GUARDED(lp, {
        glp_smcp smcp;
        glp_init_smcp(&smcp);
        smcp.msg_lev = lp->trace ? GLP_MSG_ON : GLP_MSG_OFF;
        if (time_limit > 0 && time_limit < 2e6) smcp.tm_lim = (int)(time_limit * 1000) + 1;
        if (iteration_limit > 0) smcp.it_lim = iteration_limit;
        if (lp->bounds_moved && !lp->column_added) smcp.meth = GLP_DUALP;
        lp->bounds_moved = lp->column_added = 0;
        int before = glp_get_it_cnt(lp->P);
        ret = glp_simplex(lp->P, &smcp);
        if (ret == GLP_EFAIL || ret == GLP_ESING || ret == GLP_ECOND) {
            /* A bad basis after many added columns: start again from an advanced one. */
            glp_adv_basis(lp->P, 0);
            ret = glp_simplex(lp->P, &smcp);
        }
        if (iterations) *iterations = glp_get_it_cnt(lp->P) - before;
        *status = glp_get_status(lp->P);
        *objective = glp_get_obj_val(lp->P);
        if (row_dual) for (int i = 1; i <= lp->rows; i++) row_dual[i] = glp_get_row_dual(lp->P, i);
        if (col_value) {
            int n = glp_get_num_cols(lp->P);
            for (int j = 1; j <= n; j++) col_value[j] = glp_get_col_prim(lp->P, j);
        }
    }, { ret = -1; });
    return ret;
}

int hf_lp_set_row(hf_lp *lp, int row, int type, double lower, double upper) {
    if (lp->dead) return -1;
    int ret = 0;
    HF_GUARDED(lp, {
        if (glp_get_row_type(lp->P, row) != type || glp_get_row_lb(lp->P, row) != lower || glp_get_row_ub(lp->P, row) != upper) {
            glp_set_row_bnds(lp->P, row, type, lower, upper);
            lp->bounds_moved = 1;
        }
    }, { ret = -1; });
    return ret;
}

int hf_lp_columns(const hf_lp *lp) { return lp->dead ? 0 : glp_get_num_cols(lp->P); }
const char *hf_lp_message(const hf_lp *lp) { return lp->message; }

void hf_lp_set_trace(hf_lp *lp, hf_trace_fn trace, void *context) {
    lp->trace = trace;
    lp->trace_context = context;
}

void hf_lp_free(hf_lp *lp) {
    if (!lp) return;
    if (!lp->dead && lp->P) {
        HF_GUARDED(lp, { glp_delete_prob(lp->P); }, {});
    }
    free(lp);
}
