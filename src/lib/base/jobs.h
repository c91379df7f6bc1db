/* Numbered jobs on several threads, their results taken in order: the
   parallel end of a program whose output must come in one order (the
   records of a count file), where each part of the output can be made
   on its own.  Job I's WORK runs on some thread; TAKE is called for
   I = 0, 1, ... in order, in the calling thread, once job I is done.  At
   most WINDOW jobs are running or done and not yet taken, which bounds
   the memory that results waiting to be taken can hold.

   With one thread nothing is started: each job's WORK then TAKE runs in
   the calling thread.  */
#ifndef BP_JOBS_H
#define BP_JOBS_H

#include <stddef.h>

struct bp_jobs_ops
{
  /* Do job I.  Returns 0 or a negative BP_E* code; the first failure
     stops the jobs not yet started and is what bp_jobs_run returns.  */
  int (*work) (void *ctx, size_t i);
  /* Take the result of job I (done without failure).  Returns as WORK.
     NULL if there is nothing to take.  */
  int (*take) (void *ctx, size_t i);
};

/* Run jobs 0..NJOBS) on NTHREADS threads with CTX.  Returns 0, the first
   failure of a WORK or TAKE, or BP_ENOMEM if threads cannot be started.
   WORK and TAKE of different jobs may run at the same time.  */
int bp_jobs_run (size_t njobs, int nthreads, size_t window,
                 const struct bp_jobs_ops *ops, void *ctx);

#endif /* BP_JOBS_H */
