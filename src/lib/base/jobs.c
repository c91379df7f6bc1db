/* Numbered jobs on threads, results in order; see jobs.h.  */
#include <config.h>
#include "jobs.h"

#include <pthread.h>
#include <stdlib.h>

#include "error.h"

struct jobs
{
  size_t njobs, window;
  const struct bp_jobs_ops *ops;
  void *ctx;
  pthread_mutex_t lock;
  pthread_cond_t changed;
  size_t next;            /* the next job to start */
  size_t taken;           /* jobs taken so far */
  unsigned char *done;    /* job I is done */
  int failed;             /* the first failure */
};

static void *
job_thread (void *arg)
{
  struct jobs *j = arg;
  pthread_mutex_lock (&j->lock);
  for (;;)
    {
      while (!j->failed && j->next < j->njobs
             && j->next >= j->taken + j->window)
        pthread_cond_wait (&j->changed, &j->lock);
      if (j->failed || j->next >= j->njobs)
        break;
      size_t i = j->next++;
      pthread_mutex_unlock (&j->lock);
      int rc = j->ops->work (j->ctx, i);
      pthread_mutex_lock (&j->lock);
      if (rc && !j->failed)
        j->failed = rc;
      j->done[i] = 1;
      pthread_cond_broadcast (&j->changed);
    }
  pthread_mutex_unlock (&j->lock);
  return NULL;
}

int
bp_jobs_run (size_t njobs, int nthreads, size_t window,
             const struct bp_jobs_ops *ops, void *ctx)
{
  int rc = 0;
  if (nthreads <= 1 || njobs <= 1)
    {
      for (size_t i = 0; rc == 0 && i < njobs; i++)
        if ((rc = ops->work (ctx, i)) == 0 && ops->take)
          rc = ops->take (ctx, i);
      return rc;
    }

  struct jobs j = { .njobs = njobs, .window = window ? window : 1,
                    .ops = ops, .ctx = ctx };
  pthread_t *t = malloc ((size_t) nthreads * sizeof *t);
  j.done = calloc (njobs, 1);
  if (!t || !j.done)
    {
      free (t);
      free (j.done);
      return BP_ENOMEM;
    }
  pthread_mutex_init (&j.lock, NULL);
  pthread_cond_init (&j.changed, NULL);
  int started = 0;
  while (started < nthreads
         && pthread_create (&t[started], NULL, job_thread, &j) == 0)
    started++;
  if (started == 0)
    rc = BP_ENOMEM;

  /* Take the results in order as they come.  */
  for (size_t i = 0; rc == 0 && i < njobs; i++)
    {
      pthread_mutex_lock (&j.lock);
      while (!j.done[i] && !j.failed)
        pthread_cond_wait (&j.changed, &j.lock);
      rc = j.failed;
      pthread_mutex_unlock (&j.lock);
      if (rc == 0 && ops->take)
        rc = ops->take (ctx, i);
      pthread_mutex_lock (&j.lock);
      if (rc && !j.failed)
        j.failed = rc;
      j.taken = i + 1;
      pthread_cond_broadcast (&j.changed);
      pthread_mutex_unlock (&j.lock);
    }

  pthread_mutex_lock (&j.lock);
  if (rc && !j.failed)
    j.failed = rc;
  pthread_cond_broadcast (&j.changed);
  pthread_mutex_unlock (&j.lock);
  for (int i = 0; i < started; i++)
    pthread_join (t[i], NULL);
  pthread_mutex_destroy (&j.lock);
  pthread_cond_destroy (&j.changed);
  free (t);
  free (j.done);
  return rc;
}
