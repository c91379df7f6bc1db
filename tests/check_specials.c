/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of lib/specials: special tokens in text are matched
   leftmost, then longest, whole, and the text between them is segmented
   as if each stretch were a chunk of its own; a chunk fed in any number
   of spans, cut anywhere (inside a token too), gives what it gives fed
   whole.  */
#include <config.h>

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "model.h"
#include "specials.h"
#include "unigram.h"

#define CHECK(cond)                                                         \
  do                                                                        \
    if (!(cond))                                                            \
      ck_abort_msg ("%s:%d: %s", __FILE__, __LINE__, #cond);                \
  while (0)

static struct bp_model *model;
static struct bp_unigram *uni;
static struct bp_specials *sp;

/* All 256 bytes, a few pieces, and the special tokens "<s>", "<s>x",
   "<|e|>" and "s>" (one inside another, one a suffix of another).  */
static void
setup (void)
{
  static const char *const multi[] = { "ab", "abc", "<s", "s>", "x<", "e|" };
  static const char *const special[] = { "<s>", "<s>x", "<|e|>", "|>e" };
  static uint8_t bytes[256];
  const uint8_t *p[256 + 6];
  size_t len[256 + 6];
  uint64_t cnt[256 + 6];
  for (int b = 0; b < 256; b++)
    {
      bytes[b] = (uint8_t) b;
      p[b] = bytes + b;
      len[b] = 1;
      cnt[b] = 1 + (uint64_t) (b % 7);
    }
  for (int i = 0; i < 6; i++)
    {
      p[256 + i] = (const uint8_t *) multi[i];
      len[256 + i] = strlen (multi[i]);
      cnt[256 + i] = 50 + (uint64_t) i;
    }
  model = bp_model_new (256 + 6, p, len, cnt, NULL);
  CHECK (model);
  const uint8_t *s[4];
  size_t sl[4];
  for (int i = 0; i < 4; i++)
    {
      s[i] = (const uint8_t *) special[i];
      sl[i] = strlen (special[i]);
    }
  struct bp_error err;
  CHECK (bp_model_add_specials (model, 4, s, sl, &err) == 0);
  uni = bp_unigram_new (model, &err);
  sp = bp_specials_new (model);
  CHECK (uni && sp);
}

static void
teardown (void)
{
  bp_specials_free (sp);
  bp_unigram_free (uni);
  bp_model_free (model);
}

/* Segment TEXT (N bytes) as one chunk fed in spans cut at the offsets
   CUT[0..NCUT) (increasing), into OUT.  */
static void
feed (const char *text, size_t n, const size_t *cut, size_t ncut,
      struct bp_pieces *out)
{
  struct bp_segmenter *seg = bp_segmenter_new (uni);
  struct bp_specials_seg *x = bp_specials_seg_new (sp, seg);
  CHECK (seg && x);
  out->len = 0;
  bp_specials_seg_start (x, -1, NULL);
  size_t at = 0;
  for (size_t k = 0; k <= ncut; k++)
    {
      size_t end = k < ncut ? cut[k] : n;
      CHECK (bp_specials_seg_feed (x, (const uint8_t *) text + at, end - at,
                                   k == ncut, out) == 0);
      at = end;
    }
  bp_specials_seg_free (x);
  bp_segmenter_free (seg);
}

/* The ids of the best segmentation of TEXT (N bytes) with no special
   tokens, appended to OUT.  */
static void
plain (const char *text, size_t n, struct bp_pieces *out)
{
  struct bp_segmenter *seg = bp_segmenter_new (uni);
  CHECK (seg);
  CHECK (bp_segment_best (seg, (const uint8_t *) text, n, out) == 0);
  bp_segmenter_free (seg);
}

/* The index of the special token S.  */
static uint32_t
index_of (const char *s)
{
  long i = bp_specials_lookup (sp, (const uint8_t *) s, strlen (s));
  CHECK (i >= 0);
  return (uint32_t) i;
}

START_TEST (test_matching)
{
  /* TEXT, and what it must give: stretches (segmented on their own) and
     special tokens, separated by '\1'; a token is marked by '\2'.  */
  static const struct { const char *text, *parts; } cases[] = {
    { "ab<s>ab", "ab\1\2<s>\1ab" },
    { "<s>xab", "\2<s>x\1ab" },                 /* the longest */
    { "<s>", "\2<s>" },
    { "<s", "<s" },                             /* cut short: text */
    { "a<|e|>e|>e", "a\1\2<|e|>\1e\1\2|>e" },   /* leftmost */
    { "x<s>>", "x\1\2<s>\1>" },
    { "<|e<|e|>", "<|e\1\2<|e|>" },
    { "", "" },
  };
  for (size_t c = 0; c < sizeof cases / sizeof *cases; c++)
    {
      struct bp_pieces got = { 0 }, want = { 0 };
      const char *text = cases[c].text;
      feed (text, strlen (text), NULL, 0, &got);
      const char *p = cases[c].parts;
      while (*p)
        {
          const char *e = strchr (p, '\1');
          size_t len = e ? (size_t) (e - p) : strlen (p);
          if (*p == '\2')
            {
              char tok[16];
              memcpy (tok, p + 1, len - 1);
              tok[len - 1] = '\0';
              if (want.len == want.cap)
                {
                  want.cap = want.cap * 2 + 8;
                  want.v = realloc (want.v, want.cap * sizeof *want.v);
                  CHECK (want.v);
                }
              want.v[want.len++] = index_of (tok);
            }
          else
            plain (p, len, &want);
          p += len + (e != NULL);
        }
      ck_assert_msg (got.len == want.len, "\"%s\": %zu ids, not %zu", text,
                     got.len, want.len);
      for (size_t k = 0; k < got.len; k++)
        ck_assert_msg (got.v[k] == want.v[k], "\"%s\": id %zu", text, k);
      bp_pieces_free (&got);
      bp_pieces_free (&want);
    }
}
END_TEST

START_TEST (test_spans)
{
  /* Every cut into two spans, and one byte at a time.  */
  static const char *const texts[] = {
    "ab<s>xab<|e|>e|>e<|e<s<s>>", "<s><s>x<s", "|>e|>e<|e|>", "abcabc",
  };
  for (size_t t = 0; t < sizeof texts / sizeof *texts; t++)
    {
      const char *text = texts[t];
      size_t n = strlen (text);
      struct bp_pieces whole = { 0 }, got = { 0 };
      feed (text, n, NULL, 0, &whole);
      for (size_t k = 0; k <= n; k++)
        {
          feed (text, n, &k, 1, &got);
          ck_assert_msg (got.len == whole.len
                         && memcmp (got.v, whole.v,
                                    got.len * sizeof *got.v) == 0,
                         "\"%s\" cut at %zu", text, k);
        }
      size_t *cut = malloc ((n + 1) * sizeof *cut);
      CHECK (cut);
      for (size_t k = 0; k < n; k++)
        cut[k] = k;
      feed (text, n, cut, n, &got);
      ck_assert_msg (got.len == whole.len
                     && memcmp (got.v, whole.v, got.len * sizeof *got.v) == 0,
                     "\"%s\" a byte at a time", text);
      free (cut);
      bp_pieces_free (&whole);
      bp_pieces_free (&got);
    }
}
END_TEST

START_TEST (test_lookup)
{
  CHECK (bp_specials_max_len (sp) == 5);
  CHECK (bp_specials_lookup (sp, (const uint8_t *) "<s>", 3)
         == (long) model->n);
  CHECK (bp_specials_lookup (sp, (const uint8_t *) "<s", 2) == -1);
  CHECK (bp_specials_lookup (sp, (const uint8_t *) "ab", 2) == -1);
  CHECK (bp_specials_lookup (sp, (const uint8_t *) "", 0) == -1);
}
END_TEST

static Suite *
specials_suite (void)
{
  Suite *s = suite_create ("specials");
  TCase *tc = tcase_create ("specials");
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_add_test (tc, test_matching);
  tcase_add_test (tc, test_spans);
  tcase_add_test (tc, test_lookup);
  suite_add_tcase (s, tc);
  return s;
}

int
main (void)
{
  SRunner *sr = srunner_create (specials_suite ());
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
