/* SPDX-License-Identifier: Apache-2.0 */
/* Worker threads: the one way the library runs work in parallel.  A pool
   has worker threads that run the numbered tasks its owner submits, the
   oldest submitted first; the owner then collects each task's result, in
   whatever order it needs (the order of the output, or any).  The work
   of a task gets the number of the worker that runs it, so that each
   worker can have state of its own.

   At most WINDOW tasks are submitted and not yet collected; that is what
   bounds the memory of results waiting to be collected.  The first task
   that fails stops the pool: the tasks not yet started are skipped (the
   runner of -j N stops at its first error).

   A pool of one thread starts none: each task runs in the owner's
   thread, as worker 0, when it is submitted.  A thread that cannot be
   started is not an error: the pool runs with those that could, or
   with none.

   Ownership: bp_pool_new returns a new pool, freed with bp_pool_free.
   The context is borrowed.  */
#ifndef BP_POOL_H
#define BP_POOL_H

#include <stddef.h>
#include <stdint.h>

/* Run TASK on the worker numbered WORKER (0 .. threads - 1).  Returns 0
   or a negative BP_E* code, which stops the pool.  */
typedef int (*bp_pool_fn) (void *ctx, uint64_t task, int worker);

/* What collecting a task that was skipped returns.  */
#define BP_POOL_SKIPPED 1

struct bp_pool;

/* A pool of NTHREADS workers (at least 1) running WORK with CTX, at most
   WINDOW (at least 1) tasks outstanding.  Returns NULL if out of memory.  */
struct bp_pool *bp_pool_new (int nthreads, size_t window, bp_pool_fn work,
                             void *ctx);

/* The threads the pool runs tasks on: 0 if they run in the owner's
   thread.  */
int bp_pool_threads (const struct bp_pool *p);

/* Submit TASK, a number that no other outstanding task has.  Without
   threads it runs now.  Returns 0, or BP_EINVAL if WINDOW tasks are
   outstanding already.  */
int bp_pool_submit (struct bp_pool *p, uint64_t task);

/* Has the outstanding TASK finished (or been skipped)?  */
int bp_pool_done (struct bp_pool *p, uint64_t task);

/* Wait for the outstanding TASK and collect it: returns its result, or
   BP_POOL_SKIPPED, or BP_EINVAL if no such task is outstanding.  */
int bp_pool_wait (struct bp_pool *p, uint64_t task);

/* Collect any finished task: returns 1 with its number in *TASK and its
   result in *RC; 0 if none is outstanding, or (unless BLOCK) none has
   finished yet.  With BLOCK, waits for one to finish.  */
int bp_pool_wait_any (struct bp_pool *p, int block, uint64_t *task,
                      int *rc);

/* Stop: the tasks not yet started are skipped, and so are those
   submitted later (the owner has failed in a way the pool cannot see).  */
void bp_pool_cancel (struct bp_pool *p);

/* Skip the tasks not yet started, wait for those running, stop the
   threads and free the pool.  Accepts NULL.  */
void bp_pool_free (struct bp_pool *p);

/* Numbered jobs whose results are taken in order: the parallel end of a
   step whose output must come in one order (the parts of a count file).
   WORK does job I on some thread; TAKE (if not NULL) takes its result,
   in the calling thread, for I = 0, 1, ... in order.  Each returns 0 or
   a negative BP_E* code.  */
struct bp_pool_jobs
{
  int (*work) (void *ctx, size_t i);
  int (*take) (void *ctx, size_t i);
};

/* Run jobs 0 .. NJOBS) on a pool of NTHREADS threads with CTX, at most
   WINDOW of them running or done and not yet taken (with one thread,
   each job's WORK and TAKE run one after the other).  Returns 0, the
   failure of the first job (in job order) whose WORK or TAKE failed, or
   BP_ENOMEM.  */
int bp_pool_run (size_t njobs, int nthreads, size_t window,
                 const struct bp_pool_jobs *ops, void *ctx);

#endif /* BP_POOL_H */
