/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of src/lib/count/strcount.c: counting byte strings against naive
   counting, tables combined, memory limits that spill, overflow.  */
#include <config.h>

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "budget.h"
#include "counts.h"
#include "error.h"
#include "spill.h"
#include "strcount.h"
#include "testcounts.h"

/* Count 20000 random keys split between two tables with a memory LIMIT
   per table (0: none) that spills to a temporary directory, and compare
   the file with naive counting.  Returns the number of runs spilled.  */
static uint64_t
check_strings (size_t limit)
{
  struct bp_strcount *t[2] = { bp_strcount_new (), bp_strcount_new () };
  struct bp_counts_header h = { BP_COUNTS_PIECES, 6, 8, 0, 1, 1, 0 };
  struct bp_spill *spill = NULL;
  struct naive nv = { 0 };
  struct bp_error err = { 0 };
  char dir[] = "/tmp/check_strcount.XXXXXX";
  uint8_t buf[80];
  uint64_t runs = 0;
  ck_assert_ptr_nonnull (t[0]);
  ck_assert_ptr_nonnull (t[1]);
  if (limit)
    {
      ck_assert_ptr_nonnull (mkdtemp (dir));
      struct bp_tempfiles tf = test_tempfiles (dir);
      spill = bp_spill_new (&tf, &h);
      ck_assert_ptr_nonnull (spill);
      struct bp_budget share = bp_budget_of (limit);
      bp_strcount_budget (t[0], &share, spill);
      bp_strcount_budget (t[1], &share, spill);
    }
  for (int i = 0; i < 20000; i++)
    {
      size_t len = 1 + rnd () % (i % 10 ? 3 : 80);
      for (size_t j = 0; j < len; j++)
        buf[j] = rnd_byte ();
      ck_assert_int_eq (bp_strcount_add (t[i % 3 == 0], buf, len, 1, &err),
                        0);
      naive_add (&nv, buf, len);
    }
  if (!limit)
    ck_assert_uint_le (bp_strcount_size (t[0]) + bp_strcount_size (t[1]),
                       20000);

  struct memout m;
  memout_open (&m);
  ck_assert_int_eq (bp_strcount_write (t, 2, &h, m.f, NULL, &err), 0);
  memout_close (&m);
  size_t wlen;
  char *want = naive_text (&nv, "#bytepiece-counts 1 kind=pieces order=6 "
                           "min_count=8 ensure_unicode=1 normalize=nfc "
                           "isolate_digits=0\n", &wlen);
  ck_assert_uint_eq (m.len, wlen);
  ck_assert_mem_eq (m.data, want, wlen);
  free (want);
  free (m.data);
  bp_strcount_free (t[0]);
  bp_strcount_free (t[1]);
  if (spill)
    {
      runs = bp_spill_runs (spill);
      bp_spill_free (spill);
      ck_assert_int_eq (rmdir (dir), 0);
    }
  return runs;
}

START_TEST (test_strcount)
{
  ck_assert_uint_eq (check_strings (0), 0);

  /* Counts add, and overflow is caught.  */
  struct bp_strcount *t = bp_strcount_new ();
  struct bp_error err = { 0 };
  ck_assert_int_eq (bp_strcount_add (t, (const uint8_t *) "\0", 1,
                                     UINT64_MAX, &err), 0);
  ck_assert_int_eq (bp_strcount_add (t, (const uint8_t *) "\0", 1, 1, &err),
                    BP_ERANGE);
  ck_assert_uint_eq (bp_strcount_size (t), 1);
  bp_strcount_free (t);
}
END_TEST

/* Small limits spill runs (many of them, merged in tiers); the counts
   are the same.  A large limit spills nothing.  */
START_TEST (test_strcount_spill)
{
  ck_assert_uint_gt (check_strings (1), 16);
  ck_assert_uint_gt (check_strings (100000), 1);
  ck_assert_uint_eq (check_strings (1 << 30), 0);
}
END_TEST

static Suite *
strcount_suite (void)
{
  Suite *s = suite_create ("strcount");
  TCase *tc = tcase_create ("counting");
  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_strcount);
  tcase_add_test (tc, test_strcount_spill);
  suite_add_tcase (s, tc);
  return s;
}

int
main (void)
{
  SRunner *sr = srunner_create (strcount_suite ());
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
