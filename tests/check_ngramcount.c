/* Unit tests of src/lib/ngramcount.c: n-gram counting against naive
   counting, with every order, tiny batches (many runs and merges), and
   counters combined; packed keys.  */
#include <config.h>

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "counts.h"
#include "error.h"
#include "ngramcount.h"
#include "ngramkey.h"
#include "testcounts.h"

/* Count NCHUNKS random chunks with order ORDER and batch BATCH, split
   between two counters (merged with absorb) if SPLIT, and compare the
   file with naive counting.  */
static void
check_ngrams (int order, size_t nchunks, size_t maxlen, size_t batch,
              int split, int lf_only)
{
  struct bp_ngram_counter *c = bp_ngram_counter_new (order, batch);
  struct bp_ngram_counter *c2 = bp_ngram_counter_new (order, batch);
  struct naive nv = { 0 };
  uint8_t buf[300];
  uint64_t total = 0;
  ck_assert_ptr_nonnull (c);
  ck_assert_ptr_nonnull (c2);
  ck_assert_uint_le (maxlen, sizeof buf);
  for (size_t i = 0; i < nchunks; i++)
    {
      size_t len = 1 + rnd () % maxlen;
      for (size_t j = 0; j < len; j++)
        buf[j] = lf_only ? '\n' : rnd_byte ();
      ck_assert_int_eq (bp_ngram_counter_add (split && i % 2 ? c2 : c, buf,
                                              len), 0);
      total += len;
      for (size_t j = 0; j < len; j++)
        for (size_t m = 1; m <= (size_t) order && j + m <= len; m++)
          naive_add (&nv, buf + j, m);
    }
  if (split)
    {
      ck_assert_int_eq (bp_ngram_counter_absorb (c, c2), 0);
      ck_assert_uint_eq (bp_ngram_counter_total (c2), 0);
    }
  ck_assert_uint_eq (bp_ngram_counter_total (c), total);

  struct memout m;
  struct bp_error err = { 0 };
  struct bp_counts_header h = { .normalize = 1 };
  memout_open (&m);
  ck_assert_int_eq (bp_ngram_counter_write (c, &h, m.f, &err), 0);
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
  bp_ngram_counter_free (c);
  bp_ngram_counter_free (c2);
}

START_TEST (test_ngrams)
{
  /* Short chunks (every window a tail), long ones, tiny batches (many
     runs and merges), every order, two counters absorbed.  */
  check_ngrams (6, 200, 12, 0, 0, 0);
  check_ngrams (6, 100, 300, 64, 0, 0);
  check_ngrams (1, 50, 100, 7, 0, 0);
  check_ngrams (7, 100, 100, 1000, 1, 0);
  check_ngrams (3, 100, 100, 0, 1, 0);
  check_ngrams (6, 40, 250, 33, 0, 1);
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
  ck_assert_int_eq (bp_ngram_counter_add (c, (const uint8_t *) "", 0), 0);
  memout_open (&m);
  ck_assert_int_eq (bp_ngram_counter_write (c, &h, m.f, &err), 0);
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
