/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of src/lib/train/corpuscount.c: a corpus counted with one
   worker or three, with no budget or one that spills many runs, gives
   the same n-gram counts and the same piece counts; no run is left
   behind; bad parameters are refused.  */
#include <config.h>

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chunk.h"
#include "counts.h"
#include "error.h"
#include "ngrammodel.h"
#include "corpuscount.h"
#include "testcounts.h"

static char dir[] = "/tmp/check_corpuscount.XXXXXX";
static FILE *corpus;

/* Some 500 kB of lines: words and numbers, Chinese, LF runs and bytes
   that are not UTF-8, in a file the tests read through its descriptor.  */
static void
setup (void)
{
  static const char *const words[] = { "the ", "of ", "and ", "data ",
                                       "\xe4\xb8\xad\xe6\x96\x87", "42 ",
                                       "\n", "\n\n\n", "\xff\x80", "x" };
  ck_assert_ptr_nonnull (mkdtemp (strcpy (dir,
                                          "/tmp/check_corpuscount.XXXXXX")));
  corpus = tmpfile ();
  ck_assert_ptr_nonnull (corpus);
  for (int i = 0; i < 60000; i++)
    fprintf (corpus, "%s%u", words[rnd () % 10], rnd () % 100000);
  ck_assert_int_eq (fflush (corpus), 0);
}

static void
teardown (void)
{
  fclose (corpus);
  ck_assert_int_eq (rmdir (dir), 0);
}

/* Count the corpus with header H (and MODEL for pieces), WORKERS
   workers and BUDGET bytes; return the count file (free it) and the
   runs spilled in *RUNS.  */
static char *
count (const struct bp_counts_header *h, const struct bp_ngram_model *model,
       int workers, size_t budget, uint64_t *runs)
{
  struct bp_chunk_params cp = { .mode = BP_DOC_LINES, .normalize = 1,
                                .max_chars = BP_TRAIN_MAX_CHARS,
                                .max_lfs = BP_TRAIN_MAX_LFS };
  struct bp_tempfiles tf = test_tempfiles (dir);
  struct bp_corpuscount_params tp = { h, model, &cp, workers, budget, &tf,
                                      NULL };
  struct bp_corpuscount *t;
  struct bp_error err = { 0 };
  struct memout m;

  ck_assert_int_eq (bp_corpuscount_new (&tp, &t), 0);
  ck_assert_int_eq (lseek (fileno (corpus), 0, SEEK_SET), 0);
  ck_assert_int_eq (bp_corpuscount_read (t, fileno (corpus), NULL, &err), 0);
  ck_assert_int_eq (bp_corpuscount_finish (t, &err), 0);
  *runs = bp_corpuscount_runs (t);
  memout_open (&m);
  ck_assert_int_eq (bp_corpuscount_write (t, m.f, &err), 0);
  memout_close (&m);
  bp_corpuscount_free (t);
  return m.data;
}

START_TEST (test_same_counts)
{
  struct bp_counts_header h = { .kind = BP_COUNTS_NGRAMS, .order = 5,
                                .normalize = 1 };
  uint64_t runs;
  char *ref = count (&h, NULL, 1, 0, &runs);
  ck_assert_uint_eq (runs, 0);
  ck_assert_int_eq (strncmp (ref, "#bytepiece-counts 1 kind=ngrams order=5 "
                             "total=", 40), 0);
  for (int workers = 1; workers <= 3; workers += 2)
    for (size_t budget = 1; budget <= (1 << 30); budget <<= 30)
      {
        char *got = count (&h, NULL, workers, budget, &runs);
        ck_assert_str_eq (got, ref);
        if (budget == 1)
          ck_assert_uint_gt (runs, 10);
        else
          ck_assert_uint_eq (runs, 0);
        free (got);
      }

  /* The n-gram model of those counts, then the pieces it cuts.  */
  FILE *in = fmemopen (ref, strlen (ref), "r");
  struct memout m;
  struct bp_counts_reader *r;
  struct bp_error err = { 0 };
  ck_assert_int_eq (bp_counts_reader_open (in, &r, &err), 0);
  memout_open (&m);
  ck_assert_int_eq (bp_ngram_model_build (r, 3, m.f, &err), 0);
  memout_close (&m);
  bp_counts_reader_free (r);
  fclose (in);
  in = fmemopen (m.data, m.len, "r");
  struct bp_ngram_model *model;
  ck_assert_int_eq (bp_ngram_model_read (in, &model, &err), 0);
  fclose (in);
  free (m.data);

  struct bp_counts_header hp = { .kind = BP_COUNTS_PIECES, .order = 5,
                                 .min_count = 3, .ensure_unicode = 1,
                                 .normalize = 1 };
  char *pref = count (&hp, model, 1, 0, &runs);
  ck_assert_uint_eq (runs, 0);
  for (int workers = 1; workers <= 3; workers += 2)
    {
      char *got = count (&hp, model, workers, 1, &runs);
      ck_assert_str_eq (got, pref);
      ck_assert_uint_gt (runs, 1);
      free (got);
    }
  free (pref);
  bp_ngram_model_free (model);
  free (ref);
}
END_TEST

START_TEST (test_params)
{
  struct bp_chunk_params cp = { .mode = BP_DOC_FILE };
  struct bp_counts_header h = { .kind = BP_COUNTS_NGRAM_MODEL, .order = 3 };
  struct bp_corpuscount_params tp = { &h, NULL, &cp, 1, 0, NULL, NULL };
  struct bp_corpuscount *t = (struct bp_corpuscount *) &h;
  ck_assert_int_eq (bp_corpuscount_new (&tp, &t), BP_EINVAL);
  ck_assert_ptr_null (t);
  h.kind = BP_COUNTS_PIECES;
  ck_assert_int_eq (bp_corpuscount_new (&tp, &t), BP_EINVAL);
  h.kind = BP_COUNTS_NGRAMS;
  tp.workers = 0;
  ck_assert_int_eq (bp_corpuscount_new (&tp, &t), BP_EINVAL);
  /* A budget needs somewhere to spill.  */
  tp.workers = 1;
  tp.budget = 1 << 20;
  ck_assert_int_eq (bp_corpuscount_new (&tp, &t), BP_EINVAL);
  bp_corpuscount_free (NULL);
}
END_TEST

static Suite *
corpuscount_suite (void)
{
  Suite *s = suite_create ("corpuscount");
  TCase *tc = tcase_create ("counting");
  tcase_set_timeout (tc, 120);
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_add_test (tc, test_same_counts);
  tcase_add_test (tc, test_params);
  suite_add_tcase (s, tc);
  return s;
}

int
main (void)
{
  SRunner *sr = srunner_create (corpuscount_suite ());
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
