/* SPDX-License-Identifier: Apache-2.0 */
/* Worker threads; see pool.h.  */
#include <config.h>
#include "pool.h"

#include <pthread.h>
#include <stdlib.h>

#include "error.h"

enum state { FREE, QUEUED, RUNNING, DONE };

/* A task between its submission and its collection.  */
struct entry
{
  uint64_t task;
  uint64_t order;       /* submissions before it: the oldest runs first */
  enum state state;
  int rc;
};

struct bp_pool
{
  bp_pool_fn work;
  void *ctx;
  struct entry *e;
  size_t window;
  uint64_t submitted;
  int failed;           /* the first failure: skip what is queued */
  int stopping;
  pthread_mutex_t lock;
  pthread_cond_t queued, done;
  pthread_t *threads;
  int started;
};

struct worker_arg
{
  struct bp_pool *p;
  int index;
};

/* Called with the lock held.  */
static void
skip_queued (struct bp_pool *p)
{
  for (size_t i = 0; i < p->window; i++)
    if (p->e[i].state == QUEUED)
      {
        p->e[i].state = DONE;
        p->e[i].rc = BP_POOL_SKIPPED;
      }
}

/* Record the result RC of entry E.  Called with the lock held.  */
static void
finish (struct bp_pool *p, struct entry *e, int rc)
{
  e->state = DONE;
  e->rc = rc;
  if (rc && !p->failed)
    {
      p->failed = rc;
      skip_queued (p);
    }
}

static void *
worker_main (void *arg)
{
  struct bp_pool *p = ((struct worker_arg *) arg)->p;
  int index = ((struct worker_arg *) arg)->index;
  free (arg);

  pthread_mutex_lock (&p->lock);
  for (;;)
    {
      struct entry *e = NULL;
      for (size_t i = 0; i < p->window; i++)
        if (p->e[i].state == QUEUED && (!e || p->e[i].order < e->order))
          e = &p->e[i];
      if (!e)
        {
          if (p->stopping)
            break;
          pthread_cond_wait (&p->queued, &p->lock);
          continue;
        }
      e->state = RUNNING;
      pthread_mutex_unlock (&p->lock);
      int rc = p->work (p->ctx, e->task, index);
      pthread_mutex_lock (&p->lock);
      finish (p, e, rc);
      pthread_cond_broadcast (&p->done);
    }
  pthread_mutex_unlock (&p->lock);
  return NULL;
}

struct bp_pool *
bp_pool_new (int nthreads, size_t window, bp_pool_fn work, void *ctx)
{
  struct bp_pool *p = calloc (1, sizeof *p);
  if (!p)
    return NULL;
  p->work = work;
  p->ctx = ctx;
  p->window = window ? window : 1;
  p->e = calloc (p->window, sizeof *p->e);
  if (nthreads > 1)
    p->threads = calloc ((size_t) nthreads, sizeof *p->threads);
  if (!p->e || (nthreads > 1 && !p->threads))
    {
      free (p->e);
      free (p->threads);
      free (p);
      return NULL;
    }
  pthread_mutex_init (&p->lock, NULL);
  pthread_cond_init (&p->queued, NULL);
  pthread_cond_init (&p->done, NULL);
  for (int i = 0; nthreads > 1 && i < nthreads; i++)
    {
      struct worker_arg *a = malloc (sizeof *a);
      if (!a)
        break;
      *a = (struct worker_arg) { p, p->started };
      if (pthread_create (&p->threads[p->started], NULL, worker_main, a))
        {
          free (a);
          break;
        }
      p->started++;
    }
  return p;
}

int
bp_pool_threads (const struct bp_pool *p)
{
  return p->started;
}

/* The outstanding entry of TASK, or NULL.  Called with the lock held.  */
static struct entry *
find (struct bp_pool *p, uint64_t task)
{
  for (size_t i = 0; i < p->window; i++)
    if (p->e[i].state != FREE && p->e[i].task == task)
      return &p->e[i];
  return NULL;
}

int
bp_pool_submit (struct bp_pool *p, uint64_t task)
{
  pthread_mutex_lock (&p->lock);
  struct entry *e = NULL;
  for (size_t i = 0; i < p->window && !e; i++)
    if (p->e[i].state == FREE)
      e = &p->e[i];
  if (!e)
    {
      pthread_mutex_unlock (&p->lock);
      return BP_EINVAL;
    }
  e->task = task;
  e->order = p->submitted++;
  if (p->failed)
    finish (p, e, BP_POOL_SKIPPED);
  else if (p->started)
    {
      e->state = QUEUED;
      pthread_cond_signal (&p->queued);
    }
  else
    {
      /* No threads: run it now, as worker 0.  */
      e->state = RUNNING;
      pthread_mutex_unlock (&p->lock);
      int rc = p->work (p->ctx, task, 0);
      pthread_mutex_lock (&p->lock);
      finish (p, e, rc);
    }
  pthread_mutex_unlock (&p->lock);
  return 0;
}

int
bp_pool_done (struct bp_pool *p, uint64_t task)
{
  pthread_mutex_lock (&p->lock);
  struct entry *e = find (p, task);
  int done = e && e->state == DONE;
  pthread_mutex_unlock (&p->lock);
  return done;
}

int
bp_pool_wait (struct bp_pool *p, uint64_t task)
{
  pthread_mutex_lock (&p->lock);
  struct entry *e = find (p, task);
  int rc = BP_EINVAL;
  if (e)
    {
      while (e->state != DONE)
        pthread_cond_wait (&p->done, &p->lock);
      rc = e->rc;
      e->state = FREE;
    }
  pthread_mutex_unlock (&p->lock);
  return rc;
}

int
bp_pool_wait_any (struct bp_pool *p, int block, uint64_t *task, int *rc)
{
  int got = 0;
  pthread_mutex_lock (&p->lock);
  for (;;)
    {
      int pending = 0;
      struct entry *e = NULL;
      for (size_t i = 0; i < p->window; i++)
        if (p->e[i].state == DONE && (!e || p->e[i].order < e->order))
          e = &p->e[i];
        else if (p->e[i].state != FREE)
          pending = 1;
      if (e)
        {
          *task = e->task;
          *rc = e->rc;
          e->state = FREE;
          got = 1;
          break;
        }
      if (!block || !pending)
        break;
      pthread_cond_wait (&p->done, &p->lock);
    }
  pthread_mutex_unlock (&p->lock);
  return got;
}

void
bp_pool_cancel (struct bp_pool *p)
{
  pthread_mutex_lock (&p->lock);
  if (!p->failed)
    p->failed = BP_POOL_SKIPPED;
  skip_queued (p);
  pthread_mutex_unlock (&p->lock);
}

void
bp_pool_free (struct bp_pool *p)
{
  if (!p)
    return;
  pthread_mutex_lock (&p->lock);
  p->stopping = 1;
  skip_queued (p);
  pthread_cond_broadcast (&p->queued);
  pthread_mutex_unlock (&p->lock);
  for (int i = 0; i < p->started; i++)
    pthread_join (p->threads[i], NULL);
  pthread_mutex_destroy (&p->lock);
  pthread_cond_destroy (&p->queued);
  pthread_cond_destroy (&p->done);
  free (p->threads);
  free (p->e);
  free (p);
}

/* bp_pool_run: the jobs as tasks.  */
struct jobs
{
  const struct bp_pool_jobs *ops;
  void *ctx;
};

static int
run_job (void *ctx, uint64_t task, int worker)
{
  const struct jobs *j = ctx;
  (void) worker;
  return j->ops->work (j->ctx, (size_t) task);
}

int
bp_pool_run (size_t njobs, int nthreads, size_t window,
             const struct bp_pool_jobs *ops, void *ctx)
{
  struct jobs j = { ops, ctx };
  if (window == 0)
    window = 1;
  struct bp_pool *p = bp_pool_new (nthreads, window, run_job, &j);
  if (!p)
    return BP_ENOMEM;
  /* Without threads each job runs as it is submitted: one at a time, so
     that no result waits.  Tasks start in the order submitted, so a
     skipped job always comes after the failure that skipped it.  */
  size_t ahead = bp_pool_threads (p) ? window : 1, next = 0;
  int rc = 0;
  for (size_t i = 0; rc == 0 && i < njobs; i++)
    {
      while (next < njobs && next < i + ahead)
        bp_pool_submit (p, next++);
      rc = bp_pool_wait (p, i);
      if (rc == 0 && ops->take)
        rc = ops->take (ctx, i);
    }
  bp_pool_free (p);
  return rc;
}
