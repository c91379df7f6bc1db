/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of src/lib/stats: the kinds of pieces and the CJK ranges at
   their edges (piecekind), counting characters fed in parts cut anywhere
   (charcount), the length histogram (lenhist), count-file summaries with
   ties in the largest counts (countstats), token statistics that match
   the segmenter (modelstats, tokenstats), tokens per document joined
   across accumulators, and exact percentiles (dochist).  */
#include <config.h>

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "charcount.h"
#include "countstats.h"
#include "dochist.h"
#include "lenhist.h"
#include "piecekind.h"
#include "teststats.h"

#define KIND(s) bp_piece_classify ((const uint8_t *) (s), sizeof (s) - 1)

/* ------------------------------------------------------------------ */

START_TEST (test_is_cjk)
{
  static const struct
  {
    uint32_t cp;
    int cjk;
  } t[] = {
    { 0x41, 0 },     { 0x10FF, 0 },   { 0x1100, 1 },   { 0x11FF, 1 },
    { 0x1200, 0 },   { 0x2E7F, 0 },   { 0x2E80, 1 },   { 0x2FDF, 1 },
    { 0x2FE0, 0 },   { 0x2FEF, 0 },   { 0x2FF0, 1 },   { 0x3000, 1 },
    { 0x3002, 1 },   { 0x3041, 1 },   { 0x30FF, 1 },   { 0x3105, 1 },
    { 0x33FF, 1 },   { 0x3400, 1 },   { 0x4DBF, 1 },   { 0x4DC0, 0 },
    { 0x4DFF, 0 },   { 0x4E00, 1 },   { 0x4E2D, 1 },   { 0x9FFF, 1 },
    { 0xA000, 0 },   { 0xA960, 1 },   { 0xA980, 0 },   { 0xABFF, 0 },
    { 0xAC00, 1 },   { 0xD7A3, 1 },   { 0xD7FF, 1 },   { 0xE000, 0 },
    { 0xF8FF, 0 },   { 0xF900, 1 },   { 0xFAFF, 1 },   { 0xFB00, 0 },
    { 0xFE2F, 0 },   { 0xFE30, 1 },   { 0xFE4F, 1 },   { 0xFE50, 0 },
    { 0xFF0C, 1 },   { 0xFFEF, 1 },   { 0xFFF0, 0 },   { 0x1AFEF, 0 },
    { 0x1AFF0, 1 },  { 0x1B16F, 1 },  { 0x1B170, 0 },  { 0x1F600, 0 },
    { 0x1FFFF, 0 },  { 0x20000, 1 },  { 0x2A6DF, 1 },  { 0x3FFFF, 1 },
    { 0x40000, 0 },  { 0x10FFFF, 0 },
  };
  for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
    ck_assert_msg (bp_is_cjk (t[i].cp) == t[i].cjk, "U+%04X", t[i].cp);
}
END_TEST

START_TEST (test_classify)
{
  ck_assert_int_eq (KIND ("abc"), BP_KIND_ASCII);
  ck_assert_int_eq (KIND ("\0"), BP_KIND_ASCII);
  ck_assert_int_eq (KIND ("\x7f\n"), BP_KIND_ASCII);
  ck_assert_int_eq (KIND ("\xe4\xb8\xad\xe6\x96\x87"), BP_KIND_CJK);  /* 中文 */
  ck_assert_int_eq (KIND ("\xef\xbc\x8c"), BP_KIND_CJK);   /* fullwidth , */
  ck_assert_int_eq (KIND ("\xe3\x80\x82"), BP_KIND_CJK);   /* 。 */
  ck_assert_int_eq (KIND ("\xf0\xa0\x80\x80"), BP_KIND_CJK); /* U+20000 */
  /* Mixed with ASCII: other.  */
  ck_assert_int_eq (KIND ("\xe4\xb8\xad "), BP_KIND_OTHER);
  ck_assert_int_eq (KIND ("\xe3\x80\x82\n"), BP_KIND_OTHER);
  ck_assert_int_eq (KIND ("\xc3\xa9"), BP_KIND_OTHER);     /* é */
  ck_assert_int_eq (KIND ("caf\xc3\xa9"), BP_KIND_OTHER);
  ck_assert_int_eq (KIND ("\xf0\x9f\x98\x80"), BP_KIND_OTHER); /* emoji */
  /* Anything outside a well-formed sequence: partial.  */
  ck_assert_int_eq (KIND ("\x80"), BP_KIND_PARTIAL);
  ck_assert_int_eq (KIND ("\xff"), BP_KIND_PARTIAL);
  ck_assert_int_eq (KIND ("a\xe4\xb8"), BP_KIND_PARTIAL);
  ck_assert_int_eq (KIND ("\xe4\xb8\xad\xe4"), BP_KIND_PARTIAL);
  ck_assert_int_eq (KIND ("\xb8\xad"), BP_KIND_PARTIAL);
  ck_assert_int_eq (KIND ("\xed\xa0\x80"), BP_KIND_PARTIAL); /* surrogate */
  ck_assert_int_eq (KIND ("\xc0\x80"), BP_KIND_PARTIAL);     /* overlong */
  ck_assert_str_eq (bp_piece_kind_name (BP_KIND_ASCII), "ascii");
  ck_assert_str_eq (bp_piece_kind_name (BP_KIND_CJK), "cjk");
  ck_assert_str_eq (bp_piece_kind_name (BP_KIND_OTHER), "other");
  ck_assert_str_eq (bp_piece_kind_name (BP_KIND_PARTIAL), "partial");
}
END_TEST

/* The characters of the N bytes at S fed in one part, in two, and in
   three, cut at every place: always EXPECTED.  */
static void
check_chars (const char *s, size_t n, uint64_t expected)
{
  const uint8_t *p = (const uint8_t *) s;
  for (size_t i = 0; i <= n; i++)
    for (size_t j = i; j <= n; j++)
      {
        struct bp_charcount c = { 0 };
        bp_charcount_feed (&c, p, i, 0);
        bp_charcount_feed (&c, p + i, j - i, 0);
        bp_charcount_feed (&c, p + j, n - j, 1);
        ck_assert_msg (c.chars == expected && c.npend == 0,
                       "cut at %zu and %zu: %llu characters, not %llu", i,
                       j, (unsigned long long) c.chars,
                       (unsigned long long) expected);
      }
}

#define CHECK_CHARS(s, k) check_chars ((s), sizeof (s) - 1, (k))

START_TEST (test_charcount)
{
  CHECK_CHARS ("", 0);
  CHECK_CHARS ("abc\n", 4);
  CHECK_CHARS ("\0\0", 2);
  CHECK_CHARS ("\xe4\xb8\xad\xe6\x96\x87", 2);
  CHECK_CHARS ("\xf0\x9f\x98\x80x", 2);
  /* a, 中, then E4 B8 cut short (two characters), b, FF, an emoji.  */
  CHECK_CHARS ("a\xe4\xb8\xad\xe4\xb8" "b\xff\xf0\x9f\x98\x80", 7);
  /* Sequences that break after one, two or three bytes.  */
  CHECK_CHARS ("\xf0\x9f\x98" "a", 4);
  CHECK_CHARS ("\xf0\x9f" "\xe4\xb8\xad", 3);
  CHECK_CHARS ("\xe4" "\xe4\xb8\xad", 2);
  CHECK_CHARS ("\xe4\xb8\xad\xe4\xb8", 3);
  CHECK_CHARS ("\xed\xa0\x80", 3);
  CHECK_CHARS ("\x80\x80\xbf", 3);

  /* At the end of a chunk an incomplete sequence is complete.  */
  struct bp_charcount c = { 0 };
  bp_charcount_feed (&c, (const uint8_t *) "a\xe4", 2, 1);
  ck_assert_uint_eq (c.chars, 2);
  ck_assert_uint_eq (c.npend, 0);
  bp_charcount_feed (&c, (const uint8_t *) "\xb8\xad", 2, 1);
  ck_assert_uint_eq (c.chars, 4);
}
END_TEST

START_TEST (test_lenhist)
{
  struct bp_lenhist h = { 0 };
  ck_assert_int_eq (bp_lenhist_add (&h, 3, 1), 0);
  ck_assert_int_eq (bp_lenhist_add (&h, 1, 2), 0);
  ck_assert_int_eq (bp_lenhist_add (&h, 100, 5), 0);
  ck_assert_int_eq (bp_lenhist_add (&h, 3, 1), 0);
  ck_assert_uint_ge (h.max, 100);
  ck_assert_uint_eq (h.count[1], 2);
  ck_assert_uint_eq (h.count[2], 0);
  ck_assert_uint_eq (h.count[3], 2);
  for (size_t l = 4; l < 100; l++)
    ck_assert_uint_eq (h.count[l], 0);
  ck_assert_uint_eq (h.count[100], 5);
  bp_lenhist_free (&h);
  ck_assert_ptr_null (h.count);
  bp_lenhist_free (&h);
}
END_TEST

/* ------------------------------------------------------------------ */

START_TEST (test_counts_read)
{
  struct bp_error err = { 0 };
  struct bp_stats_counts s;
  FILE *f = MEM_IN (counts_file);
  ck_assert_int_eq (bp_stats_counts_read (&s, "x", f, 3, &err), 0);
  fclose (f);
  ck_assert_int_eq (s.h.kind, BP_COUNTS_PIECES);
  ck_assert_uint_eq (s.h.min_count, 2);
  ck_assert_uint_eq (s.keys, 6);
  ck_assert_uint_eq (s.sum, 27);
  ck_assert_uint_eq (s.by_len.count[1], 3);
  ck_assert_uint_eq (s.by_len.count[2], 1);
  ck_assert_uint_eq (s.by_len.count[3], 1);
  ck_assert_uint_eq (s.by_len.count[6], 1);
  ck_assert_uint_eq (s.by_kind[BP_KIND_ASCII], 4);
  ck_assert_uint_eq (s.by_kind[BP_KIND_CJK], 2);
  /* The largest counts; on equal counts the earlier key.  */
  ck_assert_uint_eq (s.ntop, 3);
  ck_assert_mem_eq (s.top[0].key, "a", 1);
  ck_assert_uint_eq (s.top[0].count, 7);
  ck_assert_mem_eq (s.top[1].key, "b", 1);
  ck_assert_uint_eq (s.top[2].len, 1);
  ck_assert_mem_eq (s.top[2].key, "\n", 1);
  ck_assert_uint_eq (s.top[2].count, 5);
  bp_stats_counts_free (&s);

  f = MEM_IN (counts_file);
  ck_assert_int_eq (bp_stats_counts_read (&s, "x", f, 100, &err), 0);
  fclose (f);
  static const char *const order[] = { "a", "b", "\n", "ab",
                                       "\xe4\xb8\xad\xe6\x96\x87",
                                       "\xe4\xb8\xad" };
  ck_assert_uint_eq (s.ntop, 6);
  for (size_t i = 0; i < 6; i++)
    {
      ck_assert_uint_eq (s.top[i].len, strlen (order[i]));
      ck_assert_mem_eq (s.top[i].key, order[i], s.top[i].len);
    }
  bp_stats_counts_free (&s);

  f = MEM_IN (counts_file);
  ck_assert_int_eq (bp_stats_counts_read (&s, "x", f, 0, &err), 0);
  fclose (f);
  ck_assert_uint_eq (s.ntop, 0);
  ck_assert_uint_eq (s.keys, 6);
  bp_stats_counts_free (&s);
}
END_TEST

START_TEST (test_counts_errors)
{
  struct bp_error err = { 0 };
  struct bp_stats_counts s;
  FILE *f = MEM_IN ("#bytepiece-counts 1 kind=ngrams order=2 total=3 "
                    "normalize=nfc isolate_digits=0\n"
                    "a\t18446744073709551615\n"
                    "b\t1\n");
  ck_assert_int_eq (bp_stats_counts_read (&s, "x", f, 1, &err), BP_ERANGE);
  ck_assert_uint_eq (err.line, 3);
  fclose (f);
  bp_stats_counts_free (&s);

  f = MEM_IN ("#bytepiece-counts 1 kind=ngrams order=2 total=3 "
              "normalize=nfc isolate_digits=0\n"
              "b\t1\n"
              "a\t1\n");
  ck_assert_int_eq (bp_stats_counts_read (&s, "x", f, 1, &err), BP_EFORMAT);
  ck_assert_uint_eq (err.line, 3);
  fclose (f);
  bp_stats_counts_free (&s);

  f = MEM_IN ("a\t1\n");
  ck_assert_int_eq (bp_stats_counts_read (&s, "x", f, 1, &err), BP_EFORMAT);
  ck_assert_uint_eq (err.line, 1);
  fclose (f);
  bp_stats_counts_free (&s);
}
END_TEST

/* ------------------------------------------------------------------ */

START_TEST (test_model_stats)
{
  struct fixture fx;
  fixture_make (&fx);
  const struct bp_stats_model *s = &fx.r.model[0];
  ck_assert_uint_eq (s->by_len.count[1], 256);
  ck_assert_uint_eq (s->by_len.count[2], 1);
  ck_assert_uint_eq (s->by_len.count[3], 1);
  ck_assert_uint_eq (s->by_kind[BP_KIND_ASCII], 129);
  ck_assert_uint_eq (s->by_kind[BP_KIND_CJK], 1);
  ck_assert_uint_eq (s->by_kind[BP_KIND_OTHER], 0);
  ck_assert_uint_eq (s->by_kind[BP_KIND_PARTIAL], 128);

  ck_assert_int_eq (fx.r.have_text, 1);
  ck_assert_uint_eq (fx.r.text.documents, 2);
  ck_assert_uint_eq (fx.r.text.chunks, 1);
  ck_assert_uint_eq (fx.r.text.bytes, 8);
  ck_assert_uint_eq (fx.r.text.chars, 6);
  ck_assert_uint_eq (s->tokens, 4);
  ck_assert_uint_eq (s->count[256], 2);
  ck_assert_uint_eq (s->count[257], 1);
  ck_assert_uint_eq (s->count['\n'], 1);
  ck_assert_uint_eq (bp_stats_model_used (s), 3);
  /* Of ab ab 中 \n, one token is a single byte.  */
  ck_assert_uint_eq (bp_stats_model_single_byte (s), 1);
  /* Two documents: "abab中\n" (4 tokens) and an empty one.  */
  ck_assert_uint_eq (s->per_doc.docs, 2);
  ck_assert_uint_eq (s->per_doc.tokens, 4);
  ck_assert_uint_eq (s->per_doc.max, 4);
  fixture_free (&fx);
}
END_TEST

/* Tokens per document with the documents cut between two accumulators
   (two batches on two threads): the parts, joined in input order, give
   what one accumulator gives.  */
START_TEST (test_docs_joined)
{
  struct bp_error err = { 0 };
  struct bp_model *m = small_model ();
  const struct bp_unigram *u = bp_unigram_new (m, &err);
  ck_assert_ptr_nonnull (u);
  struct bp_stats_report one = { 0 }, two = { 0 };
  struct bp_stats_model sm[2];
  ck_assert_int_eq (bp_stats_model_init (&sm[0], "m", m), 0);
  ck_assert_int_eq (bp_stats_model_init (&sm[1], "m", m), 0);
  one.nmodels = two.nmodels = 1;
  one.model = &sm[0];
  two.model = &sm[1];

  /* Documents "abab" (2 tokens), "ab" + "中ab" (1 + 2), "" (none); the
     cut falls inside the second.  */
  static const struct
  {
    const char *text;
    unsigned flags;
  } span[] = {
    { "abab", BP_SPAN_CHUNK_END | BP_SPAN_DOC_END },
    { "ab", BP_SPAN_CHUNK_END },
    { "\xe4\xb8\xad" "ab", BP_SPAN_CHUNK_END | BP_SPAN_DOC_END },
    { "", BP_SPAN_DOC_END },
  };
  struct bp_stats_acc *whole = bp_stats_acc_new (1, &u);
  struct bp_stats_acc *a = bp_stats_acc_new (1, &u);
  struct bp_stats_acc *b = bp_stats_acc_new (1, &u);
  ck_assert (whole && a && b);
  for (size_t i = 0; i < 4; i++)
    {
      const uint8_t *p = (const uint8_t *) span[i].text;
      size_t n = strlen (span[i].text);
      ck_assert_int_eq (bp_stats_acc_span (whole, p, n, span[i].flags, 1), 0);
      ck_assert_int_eq (bp_stats_acc_span (i < 2 ? a : b, p, n,
                                           span[i].flags, 1), 0);
    }
  struct bp_buf pa = { 0 }, pb = { 0 };
  ck_assert_int_eq (bp_stats_acc_take_docs (a, &pa), 0);
  ck_assert_int_eq (bp_stats_acc_take_docs (b, &pb), 0);
  /* Taken: nothing is left for add_to.  */
  ck_assert_int_eq (bp_stats_report_add_docs (&two, pa.data, pa.len), 0);
  ck_assert_int_eq (bp_stats_report_add_docs (&two, pb.data, pb.len), 0);
  ck_assert_int_eq (bp_stats_acc_add_to (a, &two), 0);
  ck_assert_int_eq (bp_stats_acc_add_to (b, &two), 0);
  ck_assert_int_eq (bp_stats_acc_add_to (whole, &one), 0);

  for (int k = 0; k < 2; k++)
    {
      const struct bp_stats_model *s = k ? &sm[1] : &sm[0];
      static const unsigned pm[] = { 0, 333, 334, 500, 667, 1000 };
      uint64_t v[6];
      ck_assert_uint_eq (s->tokens, 5);
      ck_assert_uint_eq (s->per_doc.docs, 3);
      ck_assert_uint_eq (s->per_doc.tokens, 5);
      ck_assert_uint_eq (s->per_doc.max, 3);
      ck_assert_uint_eq (s->doc_open, 0);
      ck_assert_int_eq (bp_dochist_percentiles (&s->per_doc, pm, 6, v), 0);
      /* Sorted 0, 2, 3: ranks 1, 1, 2, 2, 3, 3.  */
      ck_assert_uint_eq (v[0], 0);
      ck_assert_uint_eq (v[1], 0);
      ck_assert_uint_eq (v[2], 2);
      ck_assert_uint_eq (v[3], 2);
      ck_assert_uint_eq (v[4], 3);
      ck_assert_uint_eq (v[5], 3);
    }
  bp_buf_free (&pa);
  bp_buf_free (&pb);
  bp_stats_acc_free (whole);
  bp_stats_acc_free (a);
  bp_stats_acc_free (b);
  bp_stats_model_free (&sm[0]);
  bp_stats_model_free (&sm[1]);
  bp_unigram_free ((struct bp_unigram *) u);
  bp_model_free (m);
}
END_TEST

static int
cmp_u64 (const void *pa, const void *pb)
{
  uint64_t a = *(const uint64_t *) pa, b = *(const uint64_t *) pb;
  return (a > b) - (a < b);
}

/* Percentiles against sorting: values small and large (past the dense
   array, in the hash table), repeated, and added K at a time.  */
START_TEST (test_dochist)
{
  enum { N = 5000 };
  static uint64_t all[N];
  struct bp_dochist h = { 0 };
  unsigned pm[1001];
  uint64_t got[1001];
  uint64_t x = 12345;
  size_t n = 0;

  for (unsigned i = 0; i <= 1000; i++)
    pm[i] = i;
  ck_assert_int_eq (bp_dochist_percentiles (&h, pm, 1001, got), 0);
  ck_assert_uint_eq (got[500], 0);
  while (n < N)
    {
      x = x * 6364136223846793005u + 1442695040888963407u;
      uint64_t r = x >> 33, v;
      if (r % 4 == 0)
        v = BP_DOCHIST_DENSE + r % 300 * 1000;    /* large, repeated */
      else if (r % 4 == 1)
        v = (r >> 4) % 100000000;                 /* anything */
      else
        v = (r >> 4) % 2000;                      /* short */
      uint64_t k = 1 + r % 3;
      if (n + k > N)
        k = N - n;
      ck_assert_int_eq (bp_dochist_add (&h, v, k), 0);
      for (uint64_t j = 0; j < k; j++)
        all[n++] = v;
    }
  qsort (all, N, sizeof *all, cmp_u64);
  ck_assert_uint_eq (h.docs, N);
  ck_assert_uint_eq (h.max, all[N - 1]);
  ck_assert_int_eq (bp_dochist_percentiles (&h, pm, 1001, got), 0);
  for (unsigned i = 0; i <= 1000; i++)
    {
      /* Nearest rank: the ceil (i * N / 1000)-th least, at least the
         first.  */
      size_t rank = ((size_t) i * N + 999) / 1000;
      uint64_t want = all[rank ? rank - 1 : 0];
      ck_assert_msg (got[i] == want, "per mille %u: %llu, not %llu", i,
                     (unsigned long long) got[i], (unsigned long long) want);
    }
  uint64_t sum = 0;
  for (size_t i = 0; i < N; i++)
    sum += all[i];
  ck_assert_uint_eq (h.tokens, sum);

  /* Counts that overflow are refused and change nothing.  */
  ck_assert_int_eq (bp_dochist_add (&h, UINT64_MAX / 2, 3), BP_ERANGE);
  ck_assert_int_eq (bp_dochist_add (&h, 1, UINT64_MAX), BP_ERANGE);
  ck_assert_uint_eq (h.docs, N);
  ck_assert_uint_eq (h.tokens, sum);
  bp_dochist_free (&h);
  ck_assert_ptr_null (h.dense);
  bp_dochist_free (&h);
}
END_TEST

static Suite *
stats_suite (void)
{
  Suite *s = suite_create ("stats");
  TCase *tc = tcase_create ("kinds");
  tcase_add_test (tc, test_is_cjk);
  tcase_add_test (tc, test_classify);
  tcase_add_test (tc, test_charcount);
  tcase_add_test (tc, test_lenhist);
  suite_add_tcase (s, tc);
  tc = tcase_create ("counts");
  tcase_add_test (tc, test_counts_read);
  tcase_add_test (tc, test_counts_errors);
  suite_add_tcase (s, tc);
  tc = tcase_create ("tokens");
  tcase_add_test (tc, test_model_stats);
  tcase_add_test (tc, test_docs_joined);
  tcase_add_test (tc, test_dochist);
  suite_add_tcase (s, tc);
  return s;
}

int
main (void)
{
  SRunner *sr = srunner_create (stats_suite ());
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
