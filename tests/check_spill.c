/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of src/lib/count/spill.c: runs written and merged add up to the
   sums of their records, whatever their number (tiers of merges while
   writing), few files stay open, abandoned runs and freed spills leave
   no file, and a directory that cannot hold runs is named.  */
#include <config.h>

#include <check.h>
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "counts.h"
#include "error.h"
#include "spill.h"
#include "testcounts.h"
#include "teststages.h"

static const struct bp_counts_header h = { BP_COUNTS_PIECES, 6, 8, 0, 1, 1,
                                           0 };

static char dir[] = "/tmp/check_spill.XXXXXX";

static void
setup (void)
{
  ck_assert_ptr_nonnull (mkdtemp (strcpy (dir, "/tmp/check_spill.XXXXXX")));
}

static void
teardown (void)
{
  ck_assert_int_eq (rmdir (dir), 0);
}

/* The number of files in DIR.  */
static int
files (void)
{
  DIR *d = opendir (dir);
  struct dirent *e;
  int n = 0;
  ck_assert_ptr_nonnull (d);
  while ((e = readdir (d)))
    n += strcmp (e->d_name, ".") && strcmp (e->d_name, "..");
  closedir (d);
  return n;
}

enum { NKEYS = 100 };

/* Write NRUNS runs, each a random subset of the keys k000..k099 (sorted,
   ASCII, so escaped as they are) with random counts, then merge them and
   compare with the sums.  */
static void
check_runs (int nruns)
{
  struct bp_tempfiles tf = test_tempfiles (dir);
  struct bp_spill *s = bp_spill_new (&tf, &h);
  struct bp_error err = { 0 };
  uint64_t sum[NKEYS] = { 0 };
  static struct stage_rec rec;
  ck_assert_ptr_nonnull (s);
  ck_assert_int_eq (files (), 0);
  rec_init (&rec);
  bp_spill_progress (s, &rec.cb);
  for (int r = 0; r < nruns; r++)
    {
      struct bp_counts_writer w;
      ck_assert_int_eq (bp_spill_begin (s, &w, &err), 0);
      for (int k = 0; k < NKEYS; k++)
        if (rnd () % 3 == 0)
          {
            char key[16];
            uint64_t c = 1 + rnd () % 1000;
            snprintf (key, sizeof key, "k%03d", k);
            ck_assert_int_eq (bp_counts_writer_put_escaped (&w, key, 4, c,
                                                            &err), 0);
            sum[k] += c;
          }
      ck_assert_int_eq (bp_spill_end (s, &w, &err), 0);
      /* Tiers keep few files.  */
      ck_assert_int_le (files (), 40);
    }
  ck_assert_uint_eq (bp_spill_runs (s), (uint64_t) nruns);

  /* An abandoned run leaves nothing and does not count.  */
  struct bp_counts_writer w;
  int before = files ();
  ck_assert_int_eq (bp_spill_begin (s, &w, &err), 0);
  ck_assert_int_eq (bp_counts_writer_put_escaped (&w, "zzz", 3, 5, &err),
                    0);
  ck_assert_int_eq (files (), before + 1);
  bp_error_set (&err, BP_ENOMEM, 0, "%s", "");
  ck_assert_int_eq (bp_spill_abandon (s, &w, &err), BP_ENOMEM);
  ck_assert_int_eq (err.where, BP_AT_INPUT);
  ck_assert_int_eq (files (), before);

  struct memout m;
  struct bp_counts_header oh = h;
  memout_open (&m);
  ck_assert_int_eq (bp_spill_merge (s, &oh, m.f, &err), 0);
  memout_close (&m);

  /* Each merge was a stage that read every byte of its runs: the tiers'
     while the runs were written, then the last one.  */
  ck_assert_uint_eq (rec_count (&rec, BP_STAGE_COMBINE),
                     nruns < 16 ? 0 : nruns / 16 + (nruns >= 256));
  ck_assert_uint_eq (rec_count (&rec, BP_STAGE_MERGE), 1);
  ck_assert_int_eq (rec.v[rec.n - 1].s.kind, BP_STAGE_MERGE);
  ck_assert (rec.v[rec.n - 1].s.bytes);
  ck_assert (nruns == 0 || rec.v[rec.n - 1].s.total > 0);
  rec_check (&rec);

  struct bp_buf want = { 0 };
  static const char head[] = "#bytepiece-counts 1 kind=pieces order=6 "
                             "min_count=8 ensure_unicode=1 normalize=nfc "
                             "isolate_digits=0\n";
  char line[64];
  bp_buf_append (&want, head, sizeof head - 1);
  for (int k = 0; k < NKEYS; k++)
    if (sum[k])
      bp_buf_append (&want, line,
                     (size_t) sprintf (line, "k%03d\t%llu\n", k,
                                       (unsigned long long) sum[k]));
  ck_assert_uint_eq (m.len, want.len);
  ck_assert_mem_eq (m.data, want.data, want.len);
  free (m.data);
  bp_buf_free (&want);
  bp_spill_free (s);
  ck_assert_int_eq (files (), 0);
}

START_TEST (test_merge)
{
  check_runs (0);
  check_runs (1);
  check_runs (15);
  check_runs (16);
  check_runs (17);
  check_runs (300);
}
END_TEST

START_TEST (test_errors)
{
  char none[64];
  struct bp_error err = { 0 };
  struct bp_counts_writer w;
  snprintf (none, sizeof none, "%s/none", dir);
  struct bp_tempfiles tf = test_tempfiles (none);
  struct bp_spill *s = bp_spill_new (&tf, &h);
  ck_assert_ptr_nonnull (s);
  ck_assert_int_eq (bp_spill_begin (s, &w, &err), BP_EIO);
  ck_assert_int_eq (err.where, BP_AT_TEMP);
  ck_assert_str_eq (err.file, none);
  ck_assert_int_ne (err.errnum, 0);
  bp_spill_free (s);

  /* A failed write names the run.  */
  tf = test_tempfiles (dir);
  s = bp_spill_new (&tf, &h);
  ck_assert_int_eq (bp_spill_begin (s, &w, &err), 0);
  bp_error_errno (&err, 28);
  bp_error_at_output (&err);
  ck_assert_int_eq (bp_spill_abandon (s, &w, &err), BP_EIO);
  ck_assert_int_eq (err.errnum, 28);
  ck_assert_int_eq (err.where, BP_AT_TEMP);
  ck_assert_int_eq (strncmp (err.file, dir, strlen (dir)), 0);
  ck_assert_ptr_nonnull (strstr (err.file, "/bytepiece."));
  ck_assert_int_eq (files (), 0);
  bp_spill_free (s);
}
END_TEST

static Suite *
spill_suite (void)
{
  Suite *s = suite_create ("spill");
  TCase *tc = tcase_create ("runs");
  tcase_set_timeout (tc, 60);
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_add_test (tc, test_merge);
  tcase_add_test (tc, test_errors);
  suite_add_tcase (s, tc);
  return s;
}

int
main (void)
{
  SRunner *sr = srunner_create (spill_suite ());
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
