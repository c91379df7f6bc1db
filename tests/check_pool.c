/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of src/lib/base/pool.c.  The pool: every task runs once, on
   a worker of the pool, the oldest submitted first; a failure skips what
   was not started; tasks are collected by number or as they finish.  The
   numbered jobs on it: results are taken in job order for any number of
   threads and any window, never more than WINDOW jobs are ahead of the
   taking, and the first failure stops the run and is returned.  */
#include <config.h>

#include <check.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "error.h"
#include "pool.h"

enum { NJOBS = 500 };

struct ctx
{
  pthread_mutex_t lock;
  size_t window;
  size_t taken;                /* jobs taken so far */
  size_t worst_ahead;          /* the most jobs started before taken */
  size_t started;
  int runs[NJOBS];             /* WORK calls per job */
  size_t order[NJOBS];         /* the jobs in the order taken */
  size_t fail_at;              /* the job whose WORK fails, or NJOBS */
};

static int
work (void *p, size_t i)
{
  struct ctx *c = p;
  pthread_mutex_lock (&c->lock);
  c->runs[i]++;
  c->started++;
  size_t ahead = i + 1 - c->taken;
  if (ahead > c->worst_ahead)
    c->worst_ahead = ahead;
  pthread_mutex_unlock (&c->lock);
  /* Uneven jobs, so that later ones often finish first.  */
  if (i % 7 == 0)
    nanosleep (&(struct timespec) { 0, 200000 }, NULL);
  return i == c->fail_at ? BP_EINVAL : 0;
}

static int
take (void *p, size_t i)
{
  struct ctx *c = p;
  pthread_mutex_lock (&c->lock);
  c->order[c->taken++] = i;
  pthread_mutex_unlock (&c->lock);
  return 0;
}

static const struct bp_pool_jobs ops = { work, take };

static void
run (int threads, size_t window, size_t fail_at, int want_rc)
{
  struct ctx *c = calloc (1, sizeof *c);
  ck_assert_ptr_nonnull (c);
  pthread_mutex_init (&c->lock, NULL);
  c->window = window;
  c->fail_at = fail_at;
  ck_assert_int_eq (bp_pool_run (NJOBS, threads, window, &ops, c), want_rc);
  if (fail_at == NJOBS)
    {
      ck_assert_uint_eq (c->taken, NJOBS);
      for (size_t i = 0; i < NJOBS; i++)
        {
          ck_assert_int_eq (c->runs[i], 1);
          ck_assert_uint_eq (c->order[i], i);
        }
    }
  else
    {
      /* Taken in order, and none from the failure on (with threads
         the run may stop before the jobs ahead of it are taken).  */
      ck_assert_uint_le (c->taken, fail_at);
      if (threads == 1)
        ck_assert_uint_eq (c->taken, fail_at);
      for (size_t i = 0; i < c->taken; i++)
        ck_assert_uint_eq (c->order[i], i);
      for (size_t i = 0; i < NJOBS; i++)
        ck_assert_int_le (c->runs[i], 1);
    }
  if (threads > 1)
    ck_assert_uint_le (c->worst_ahead, window);
  pthread_mutex_destroy (&c->lock);
  free (c);
}

START_TEST (test_order)
{
  static const int threads[] = { 1, 2, 3, 7 };
  static const size_t windows[] = { 1, 2, 5, 64 };
  for (size_t t = 0; t < 4; t++)
    for (size_t w = 0; w < 4; w++)
      run (threads[t], windows[w], NJOBS, 0);
}
END_TEST

START_TEST (test_failure)
{
  run (1, 4, 0, BP_EINVAL);
  run (1, 4, 123, BP_EINVAL);
  run (3, 4, 123, BP_EINVAL);
  run (7, 16, NJOBS - 1, BP_EINVAL);
}
END_TEST

START_TEST (test_empty)
{
  ck_assert_int_eq (bp_pool_run (0, 4, 4, &ops, NULL), 0);
}
END_TEST

/* The pool itself.  */

enum { NTASKS = 304 };   /* a multiple of the windows below */

struct tasks
{
  pthread_mutex_t lock;
  int nthreads;
  int runs[NTASKS];
  int worker[NTASKS];
  uint64_t fail_at;             /* the task that fails, or UINT64_MAX */
  int bad_worker;               /* a worker number out of range */
};

static int
task (void *p, uint64_t t, int worker)
{
  struct tasks *c = p;
  pthread_mutex_lock (&c->lock);
  c->runs[t]++;
  c->worker[t] = worker;
  if (worker < 0 || worker >= (c->nthreads > 1 ? c->nthreads : 1))
    c->bad_worker = 1;
  pthread_mutex_unlock (&c->lock);
  if (t % 5 == 0)
    nanosleep (&(struct timespec) { 0, 100000 }, NULL);
  return t == c->fail_at ? BP_ERANGE : 0;
}

static struct tasks *
tasks_new (int nthreads, uint64_t fail_at)
{
  struct tasks *c = calloc (1, sizeof *c);
  ck_assert_ptr_nonnull (c);
  pthread_mutex_init (&c->lock, NULL);
  c->nthreads = nthreads;
  c->fail_at = fail_at;
  return c;
}

/* Every task runs once on a worker of the pool and is collected by its
   number, whatever the order of collection; a full window refuses a
   submission.  */
START_TEST (test_pool_collect)
{
  static const int threads[] = { 1, 2, 4 };
  for (size_t k = 0; k < 3; k++)
    {
      struct tasks *c = tasks_new (threads[k], UINT64_MAX);
      struct bp_pool *p = bp_pool_new (threads[k], 8, task, c);
      ck_assert_ptr_nonnull (p);
      ck_assert_int_eq (bp_pool_threads (p), threads[k] > 1 ? threads[k] : 0);
      for (uint64_t t = 0; t < NTASKS; t += 8)
        {
          for (uint64_t i = t; i < t + 8; i++)
            ck_assert_int_eq (bp_pool_submit (p, i), 0);
          ck_assert_int_eq (bp_pool_submit (p, NTASKS), BP_EINVAL);
          /* Backwards: the last may finish last.  */
          for (uint64_t i = t + 8; i-- > t;)
            ck_assert_int_eq (bp_pool_wait (p, i), 0);
          ck_assert_int_eq (bp_pool_wait (p, t), BP_EINVAL);
        }
      bp_pool_free (p);
      for (size_t i = 0; i < NTASKS; i++)
        ck_assert_int_eq (c->runs[i], 1);
      ck_assert_int_eq (c->bad_worker, 0);
      pthread_mutex_destroy (&c->lock);
      free (c);
    }
}
END_TEST

/* Without threads a task runs when it is submitted, as worker 0.  */
START_TEST (test_pool_inline)
{
  struct tasks *c = tasks_new (1, UINT64_MAX);
  struct bp_pool *p = bp_pool_new (1, 2, task, c);
  ck_assert_int_eq (bp_pool_submit (p, 7), 0);
  ck_assert_int_eq (c->runs[7], 1);
  ck_assert_int_eq (bp_pool_done (p, 7), 1);
  ck_assert_int_eq (bp_pool_wait (p, 7), 0);
  ck_assert_int_eq (bp_pool_done (p, 7), 0);
  bp_pool_free (p);
  bp_pool_free (NULL);
  free (c);
}
END_TEST

/* wait_any collects each finished task once, and says when none is
   outstanding.  */
START_TEST (test_pool_any)
{
  struct tasks *c = tasks_new (3, UINT64_MAX);
  struct bp_pool *p = bp_pool_new (3, 16, task, c);
  int seen[NTASKS] = { 0 };
  uint64_t t, next = 0;
  int rc, collected = 0;
  while (collected < NTASKS)
    {
      while (next < NTASKS && bp_pool_submit (p, next) == 0)
        next++;
      ck_assert_int_eq (bp_pool_wait_any (p, 1, &t, &rc), 1);
      ck_assert_int_eq (rc, 0);
      ck_assert_uint_lt (t, NTASKS);
      seen[t]++;
      collected++;
    }
  ck_assert_int_eq (bp_pool_wait_any (p, 1, &t, &rc), 0);
  ck_assert_int_eq (bp_pool_wait_any (p, 0, &t, &rc), 0);
  for (size_t i = 0; i < NTASKS; i++)
    ck_assert_int_eq (seen[i], 1);
  bp_pool_free (p);
  free (c);
}
END_TEST

/* A failure skips every task not yet started: those submitted after it
   never run, and the failure is what collecting it returns.  */
START_TEST (test_pool_failure)
{
  static const int threads[] = { 1, 2, 5 };
  for (size_t k = 0; k < 3; k++)
    {
      struct tasks *c = tasks_new (threads[k], 10);
      struct bp_pool *p = bp_pool_new (threads[k], 64, task, c);
      for (uint64_t i = 0; i < 40; i++)
        ck_assert_int_eq (bp_pool_submit (p, i), 0);
      /* The failing task, then one submitted long after it.  */
      ck_assert_int_eq (bp_pool_wait (p, 10), BP_ERANGE);
      for (uint64_t i = 0; i < 40; i++)
        if (i != 10)
          {
            int rc = bp_pool_wait (p, i);
            ck_assert (rc == 0 || rc == BP_POOL_SKIPPED);
            ck_assert_int_eq (c->runs[i], rc == 0);
          }
      ck_assert_int_eq (bp_pool_submit (p, 99), 0);
      ck_assert_int_eq (bp_pool_wait (p, 99), BP_POOL_SKIPPED);
      ck_assert_int_eq (c->runs[99], 0);
      if (threads[k] == 1)
        for (uint64_t i = 11; i < 40; i++)
          ck_assert_int_eq (c->runs[i], 0);
      bp_pool_free (p);
      free (c);
    }
}
END_TEST

/* Cancelling skips what is queued and what comes after.  */
START_TEST (test_pool_cancel)
{
  struct tasks *c = tasks_new (2, UINT64_MAX);
  struct bp_pool *p = bp_pool_new (2, 64, task, c);
  for (uint64_t i = 0; i < 64; i++)
    ck_assert_int_eq (bp_pool_submit (p, i), 0);
  bp_pool_cancel (p);
  for (uint64_t i = 0; i < 64; i++)
    {
      int rc = bp_pool_wait (p, i);
      ck_assert (rc == 0 || rc == BP_POOL_SKIPPED);
      ck_assert_int_eq (c->runs[i], rc == 0);
    }
  ck_assert_int_eq (bp_pool_submit (p, 100), 0);
  ck_assert_int_eq (bp_pool_wait (p, 100), BP_POOL_SKIPPED);
  ck_assert_int_eq (c->runs[100], 0);
  bp_pool_free (p);
  free (c);
}
END_TEST

/* Freeing a pool with tasks outstanding skips those not started.  */
START_TEST (test_pool_free_busy)
{
  struct tasks *c = tasks_new (2, UINT64_MAX);
  struct bp_pool *p = bp_pool_new (2, 64, task, c);
  for (uint64_t i = 0; i < 64; i++)
    ck_assert_int_eq (bp_pool_submit (p, i), 0);
  bp_pool_free (p);
  for (size_t i = 0; i < 64; i++)
    ck_assert_int_le (c->runs[i], 1);
  free (c);
}
END_TEST

static Suite *
pool_suite (void)
{
  Suite *s = suite_create ("pool");
  TCase *tc = tcase_create ("pool");
  tcase_add_test (tc, test_pool_collect);
  tcase_add_test (tc, test_pool_inline);
  tcase_add_test (tc, test_pool_any);
  tcase_add_test (tc, test_pool_failure);
  tcase_add_test (tc, test_pool_cancel);
  tcase_add_test (tc, test_pool_free_busy);
  suite_add_tcase (s, tc);
  tc = tcase_create ("jobs");
  tcase_add_test (tc, test_order);
  tcase_add_test (tc, test_failure);
  tcase_add_test (tc, test_empty);
  suite_add_tcase (s, tc);
  return s;
}

int
main (void)
{
  SRunner *sr = srunner_create (pool_suite ());
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
