/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of src/lib/count/ngramcount.c: n-gram counting against naive
   counting, with every order, tiny batches (many runs and merges),
   counters combined, and memory limits that spill; packed keys.  */
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
#include "ngramcount.h"
#include "ngramkey.h"
#include "spill.h"
#include "testcounts.h"

/* Count NCHUNKS random chunks with order ORDER and batch BATCH, split
   between two counters if SPLIT, with a memory LIMIT (0: none) that
   spills to a temporary directory, and compare the file with naive
   counting.  Returns the number of runs spilled.  */
static uint64_t
check_ngrams (int order, size_t nchunks, size_t maxlen, size_t batch,
              int split, int lf_only, size_t limit)
{
  struct bp_ngram_counter *c[2] = { bp_ngram_counter_new (order, batch),
                                    bp_ngram_counter_new (order, batch) };
  struct bp_counts_header h = { .kind = BP_COUNTS_NGRAMS, .order = order,
                                .normalize = 1 };
  struct bp_spill *spill = NULL;
  struct naive nv = { 0 };
  struct bp_error err = { 0 };
  char dir[] = "/tmp/check_ngramcount.XXXXXX";
  uint8_t buf[300];
  uint64_t total = 0, runs = 0;
  ck_assert_ptr_nonnull (c[0]);
  ck_assert_ptr_nonnull (c[1]);
  ck_assert_uint_le (maxlen, sizeof buf);
  if (limit)
    {
      ck_assert_ptr_nonnull (mkdtemp (dir));
      struct bp_tempfiles tf = test_tempfiles (dir);
      spill = bp_spill_new (&tf, &h);
      ck_assert_ptr_nonnull (spill);
      struct bp_budget share = bp_budget_of (limit);
      bp_ngram_counter_budget (c[0], &share, spill);
      bp_ngram_counter_budget (c[1], &share, spill);
    }
  for (size_t i = 0; i < nchunks; i++)
    {
      size_t len = 1 + rnd () % maxlen;
      for (size_t j = 0; j < len; j++)
        buf[j] = lf_only ? '\n' : rnd_byte ();
      ck_assert_int_eq (bp_ngram_counter_add (c[split && i % 2], buf, len,
                                              &err), 0);
      total += len;
      for (size_t j = 0; j < len; j++)
        for (size_t m = 1; m <= (size_t) order && j + m <= len; m++)
          naive_add (&nv, buf + j, m);
    }
  ck_assert_uint_eq (bp_ngram_counter_total (c[0])
                     + bp_ngram_counter_total (c[1]), total);

  struct memout m;
  memout_open (&m);
  ck_assert_int_eq (bp_ngram_counter_write (c, 2, &h, m.f, NULL, &err), 0);
  memout_close (&m);

  char header[200];
  snprintf (header, sizeof header, "#bytepiece-counts 1 kind=ngrams "
            "order=%d total=%llu normalize=nfc isolate_digits=0\n", order,
            (unsigned long long) total);
  size_t wlen;
  char *want = naive_text (&nv, header, &wlen);
  ck_assert_uint_eq (m.len, wlen);
  ck_assert_mem_eq (m.data, want, wlen);
  free (want);
  free (m.data);
  bp_ngram_counter_free (c[0]);
  bp_ngram_counter_free (c[1]);
  if (spill)
    {
      runs = bp_spill_runs (spill);
      bp_spill_free (spill);
      /* Every run removed: the directory is empty.  */
      ck_assert_int_eq (rmdir (dir), 0);
    }
  return runs;
}

START_TEST (test_ngrams)
{
  /* Short chunks (every window a tail), long ones, tiny batches (many
     runs and merges), every order, two counters written together.  */
  check_ngrams (6, 200, 12, 0, 0, 0, 0);
  check_ngrams (6, 100, 300, 64, 0, 0, 0);
  check_ngrams (1, 50, 100, 7, 0, 0, 0);
  check_ngrams (7, 100, 100, 1000, 1, 0, 0);
  check_ngrams (3, 100, 100, 0, 1, 0, 0);
  check_ngrams (6, 40, 250, 33, 0, 1, 0);
  /* The general path, above order 7: windows of two words (15 the last
     order of two), three, four.  */
  check_ngrams (8, 100, 100, 64, 1, 0, 0);
  check_ngrams (12, 200, 40, 0, 0, 0, 0);
  check_ngrams (15, 100, 100, 7, 1, 0, 0);
  check_ngrams (16, 60, 250, 33, 0, 1, 0);
  check_ngrams (30, 40, 100, 1000, 1, 0, 0);
}
END_TEST

/* Under the smallest limits the counters spill many runs, which are
   merged in tiers; the counts are the same.  A large limit spills
   nothing.  */
START_TEST (test_ngrams_spill)
{
  ck_assert_uint_gt (check_ngrams (6, 200, 12, 0, 0, 0, 1), 1);
  ck_assert_uint_gt (check_ngrams (6, 100, 300, 64, 1, 0, 1), 1);
  ck_assert_uint_gt (check_ngrams (7, 300, 300, 0, 1, 0, 1), 16);
  ck_assert_uint_gt (check_ngrams (6, 40, 250, 33, 0, 1, 1), 0);
  ck_assert_uint_gt (check_ngrams (1, 2000, 100, 0, 1, 0, 1), 0);
  ck_assert_uint_eq (check_ngrams (6, 100, 100, 0, 1, 0, 1 << 30), 0);
  ck_assert_uint_gt (check_ngrams (10, 300, 300, 0, 1, 0, 1), 16);
  ck_assert_uint_gt (check_ngrams (16, 100, 300, 64, 0, 1, 1), 0);
  ck_assert_uint_eq (check_ngrams (12, 100, 100, 0, 1, 0, 1 << 30), 0);
}
END_TEST

START_TEST (test_ngrams_empty)
{
  struct bp_ngram_counter *c = bp_ngram_counter_new (6, 0);
  struct memout m;
  struct bp_error err = { 0 };
  struct bp_counts_header h = { .normalize = 0, .isolate_digits = 1 };
  ck_assert_ptr_nonnull (c);
  ck_assert_ptr_null (bp_ngram_counter_new (0, 0));
  ck_assert_ptr_null (bp_ngram_counter_new (BP_MAX_ORDER + 1, 0));
  ck_assert_int_eq (bp_ngram_counter_add (c, (const uint8_t *) "", 0, &err),
                    0);
  memout_open (&m);
  ck_assert_int_eq (bp_ngram_counter_write (&c, 1, &h, m.f, NULL, &err), 0);
  memout_close (&m);
  ck_assert_str_eq (m.data, "#bytepiece-counts 1 kind=ngrams order=6 "
                    "total=0 normalize=none isolate_digits=1\n");
  free (m.data);
  bp_ngram_counter_free (c);
}
END_TEST

START_TEST (test_pack)
{
  uint8_t out[8];
  const uint8_t in[7] = { 0, 0xFF, 'a', 0x80, 0, 0, 1 };
  for (size_t len = 0; len <= 7; len++)
    {
      uint64_t k = bp_ngram_pack (in, len);
      ck_assert_uint_eq (bp_ngram_unpack (k, out), len);
      ck_assert_mem_eq (out, in, len);
    }
  /* Unsigned order is byte order with a prefix first.  */
  ck_assert_uint_lt (bp_ngram_pack (in, 1), bp_ngram_pack (in, 2));
  ck_assert_uint_lt (bp_ngram_pack ((const uint8_t *) "a\0", 2),
                     bp_ngram_pack ((const uint8_t *) "a\0\0", 3));
  ck_assert_uint_lt (bp_ngram_pack ((const uint8_t *) "a\0\0", 3),
                     bp_ngram_pack ((const uint8_t *) "a\1", 2));

  /* Keys of several words: one word is the packed key; the order of
     the words is byte order with a prefix first too.  */
  const uint8_t w[23] = "abcdefgh\0\0ijklmnopqrstu";
  uint64_t k1[3], k2[3];
  uint8_t back[23];
  for (size_t len = 1; len <= 7; len++)
    {
      bp_ngram_pack_words (w, len, 1, k1);
      ck_assert_uint_eq (k1[0], bp_ngram_pack (w, len));
    }
  for (size_t len = 0; len <= 23; len++)
    {
      bp_ngram_pack_words (w, len, 3, k1);
      ck_assert_uint_eq (bp_ngram_words_len (k1, 3), len);
      bp_ngram_unpack_words (k1, len, back);
      ck_assert_mem_eq (back, w, len);
      if (len == 0)
        continue;
      bp_ngram_pack_words (w, len - 1, 3, k2);
      ck_assert_int_lt (bp_ngram_words_cmp (k2, k1, 3), 0);
      ck_assert_int_eq (bp_ngram_words_cmp (k1, k1, 3), 0);
    }
  bp_ngram_pack_words ((const uint8_t *) "abcdefgh\0", 9, 2, k1);
  bp_ngram_pack_words ((const uint8_t *) "abcdefgh\1", 9, 2, k2);
  ck_assert_int_lt (bp_ngram_words_cmp (k1, k2, 2), 0);
}
END_TEST

static Suite *
ngramcount_suite (void)
{
  Suite *s = suite_create ("ngramcount");
  TCase *tc = tcase_create ("counting");
  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_pack);
  tcase_add_test (tc, test_ngrams);
  tcase_add_test (tc, test_ngrams_empty);
  tcase_add_test (tc, test_ngrams_spill);
  suite_add_tcase (s, tc);
  return s;
}

int
main (void)
{
  SRunner *sr = srunner_create (ngramcount_suite ());
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
