/* Unit tests of src/lib/base/jobs.c: results are taken in job order for any
   number of threads and any window, every job runs once, never more than
   WINDOW jobs are ahead of the taking, and the first failure stops the
   run and is returned.  */
#include <config.h>

#include <check.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "error.h"
#include "jobs.h"

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

static const struct bp_jobs_ops ops = { work, take };

static void
run (int threads, size_t window, size_t fail_at, int want_rc)
{
  struct ctx *c = calloc (1, sizeof *c);
  ck_assert_ptr_nonnull (c);
  pthread_mutex_init (&c->lock, NULL);
  c->window = window;
  c->fail_at = fail_at;
  ck_assert_int_eq (bp_jobs_run (NJOBS, threads, window, &ops, c), want_rc);
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
  ck_assert_int_eq (bp_jobs_run (0, 4, 4, &ops, NULL), 0);
}
END_TEST

static Suite *
jobs_suite (void)
{
  Suite *s = suite_create ("jobs");
  TCase *tc = tcase_create ("core");
  tcase_add_test (tc, test_order);
  tcase_add_test (tc, test_failure);
  tcase_add_test (tc, test_empty);
  suite_add_tcase (s, tc);
  return s;
}

int
main (void)
{
  SRunner *sr = srunner_create (jobs_suite ());
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
