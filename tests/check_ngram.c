/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of src/lib/train/ngram*.c: building the n-gram model (DESIGN.md
   section 1.3), its log-probabilities, and the Viterbi (section 1.4)
   against a literal transcription of the reference's matrix algebra, with
   numpy's max and argmax, on random models and texts.  */
#include <config.h>

#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "counts.h"
#include "ngramcount.h"
#include "error.h"
#include "ngrammodel.h"
#include "ngramseg.h"
#include "testmain.h"

static FILE *
mem_in (const char *s, size_t n)
{
  FILE *f = tmpfile ();
  ck_assert_ptr_nonnull (f);
  ck_assert_uint_eq (fwrite (s, 1, n, f), n);
  rewind (f);
  return f;
}

/* Build the model of the count file COUNTS with MIN_COUNT through
   bp_ngram_model_build, and read it back.  The model file is left in *TEXT
   if TEXT is not NULL.  */
static struct bp_ngram_model *
build (const char *counts, size_t len, uint64_t min_count, char **text)
{
  FILE *in = mem_in (counts, len);
  struct bp_counts_reader *r;
  struct bp_error err = { 0 };
  char *out = NULL;
  size_t olen = 0;
  FILE *of = open_memstream (&out, &olen);

  ck_assert_int_eq (bp_counts_reader_open (in, &r, &err), 0);
  ck_assert_msg (bp_ngram_model_build (r, min_count, of, &err) == 0,
                 "prune: %s", err.detail);
  bp_counts_reader_free (r);
  fclose (in);
  fclose (of);

  struct bp_ngram_model *m;
  in = mem_in (out, olen);
  ck_assert_msg (bp_ngram_model_read (in, &m, &err) == 0, "read: %s",
                 err.detail);
  fclose (in);
  if (text)
    *text = out;
  else
    free (out);
  return m;
}

#define H3 "#bytepiece-counts 1 kind=ngrams order=3 total=10 normalize=nfc " \
           "isolate_digits=0\n"

START_TEST (test_prune)
{
  static const char counts[] = H3 "a\t5\nab\t3\nabc\t1\nb\t5\nbc\t2\n";
  char *text;
  struct bp_ngram_model *m = build (counts, sizeof counts - 1, 2, &text);

  /* 254 bytes were missing: the total grows by one for each.  */
  const struct bp_counts_header *h = bp_ngram_model_header (m);
  ck_assert_int_eq (h->kind, BP_COUNTS_NGRAM_MODEL);
  ck_assert_uint_eq (h->total, 264);
  ck_assert_uint_eq (h->min_count, 2);
  ck_assert_int_eq (h->order, 3);
  ck_assert (strncmp (text, "#bytepiece-counts 1 kind=ngram-model order=3 "
                      "min_count=2 total=264 normalize=nfc "
                      "isolate_digits=0\n", 95) == 0);
  /* The single bytes slot in among the kept records in escaped order.  */
  ck_assert_ptr_nonnull (strstr (text, "\n\\x00\t1\n\\x01\t1\n"));
  ck_assert_ptr_nonnull (strstr (text, "\n`\t1\na\t5\nab\t3\nb\t5\nbc\t2\n"
                                 "c\t1\n"));
  ck_assert_ptr_null (strstr (text, "abc"));

  /* log c(g) - log c(prefix), each log of its own (DESIGN.md 1.3).  */
  ck_assert (bp_ngram_model_logp (m, (const uint8_t *) "a", 1)
             == log (5.0) - log (264.0));
  ck_assert (bp_ngram_model_logp (m, (const uint8_t *) "ab", 2)
             == log (3.0) - log (5.0));
  ck_assert (bp_ngram_model_logp (m, (const uint8_t *) "bc", 2)
             == log (2.0) - log (5.0));
  ck_assert (bp_ngram_model_logp (m, (const uint8_t *) "\0", 1)
             == log (1.0) - log (264.0));
  ck_assert (bp_ngram_model_logp (m, (const uint8_t *) "\xff", 1)
             == -log (264.0));
  ck_assert (bp_ngram_model_logp (m, (const uint8_t *) "abc", 3) == -INFINITY);
  ck_assert (bp_ngram_model_logp (m, (const uint8_t *) "ba", 2) == -INFINITY);
  ck_assert (bp_ngram_model_logp (m, (const uint8_t *) "", 0) == -INFINITY);
  free (text);
  bp_ngram_model_free (m);

  /* min_count 1 keeps everything; nothing is missing from a full set.  */
  m = build (counts, sizeof counts - 1, 1, NULL);
  ck_assert (bp_ngram_model_logp (m, (const uint8_t *) "abc", 3)
             == log (1.0) - log (3.0));
  bp_ngram_model_free (m);
}
END_TEST

/* Read the model in S; return the error code, the detail in ERR.  */
static int
read_model (const char *s, struct bp_error *err)
{
  FILE *f = mem_in (s, strlen (s));
  struct bp_ngram_model *m = NULL;
  bp_error_clear (err);
  int rc = bp_ngram_model_read (f, &m, err);
  fclose (f);
  bp_ngram_model_free (m);
  return rc;
}

START_TEST (test_model_errors)
{
  struct bp_error err;
#define HM "#bytepiece-counts 1 kind=ngram-model order=3 min_count=1 " \
           "total=5 normalize=nfc isolate_digits=0\n"
  ck_assert_int_eq (read_model (HM "a\t1\nab\t1\nb\t1\n", &err), 0);
  ck_assert_int_eq (read_model (HM "ab\t1\nb\t1\n", &err), BP_EFORMAT);
  ck_assert_str_eq (err.detail, "n-gram 'ab' without its prefix");
  ck_assert_uint_eq (err.line, 2);
  /* The message gives the line of the n-gram, wherever it is.  */
  ck_assert_int_eq (read_model (HM "a\t1\nab\t1\nb\t1\nbcd\t1\nc\t1\n",
                                &err), BP_EFORMAT);
  ck_assert_str_eq (err.detail, "n-gram 'bcd' without its prefix");
  ck_assert_uint_eq (err.line, 5);
  /* The prefix of an n-gram that ends a UTF-8 sequence ends inside it,
     so is escaped: it sorts before the n-gram all the same.  */
  ck_assert_int_eq (read_model (HM "\\xa9\t1\n\\xc3\t1\n\xc3\xa9\t1\n"
                                "\xc3\xa9\\xc3\t1\n", &err), 0);
  ck_assert_int_eq (read_model (HM "\\xa9\t1\n\xc3\xa9\t1\n", &err),
                    BP_EFORMAT);
  ck_assert_uint_eq (err.line, 3);
  ck_assert_int_eq (read_model (HM "a\t6\n", &err), BP_EFORMAT);
  ck_assert_str_eq (err.detail, "count above the total");
  ck_assert_uint_eq (err.line, 2);
  ck_assert_int_eq (read_model (H3 "a\t1\n", &err), BP_EFORMAT);
  ck_assert_str_eq (err.detail, "expected an n-gram model "
                    "(kind=ngram-model), not kind=ngrams");
  ck_assert_int_eq (read_model (HM "abcd\t1\n", &err), BP_EFORMAT);

  /* Pruning wants n-gram counts.  */
  FILE *in = mem_in (HM, sizeof HM - 1);
  struct bp_counts_reader *r;
  ck_assert_int_eq (bp_counts_reader_open (in, &r, &err), 0);
  ck_assert_int_eq (bp_ngram_model_build (r, 2, stdout, &err), BP_EFORMAT);
  ck_assert_int_eq (err.where, BP_AT_INPUT);
  bp_counts_reader_free (r);
  fclose (in);
}
END_TEST

/* ------------------------------------------------------------------ */
/* The reference's _tokenize, transcribed literally: full matrices, the
   transition matrix with -inf, (nodes[i-1][a] + trans[a][b]) +
   nodes[i][b], numpy's max, and argmax as the first index equal to the
   maximum.  */
static size_t
naive_segment (const struct bp_ngram_model *m, int order, int eu,
               const uint8_t *t, size_t len, size_t *ends)
{
  double (*nodes)[BP_MAX_ORDER] = malloc (len * sizeof *nodes);
  int (*routes)[BP_MAX_ORDER] = malloc (len * sizeof *routes);
  double trans[BP_MAX_ORDER][BP_MAX_ORDER];
  ck_assert_ptr_nonnull (nodes);
  ck_assert_ptr_nonnull (routes);

  for (int a = 0; a < order; a++)
    for (int b = 0; b < order; b++)
      trans[a][b] = (b == 0 || b == (a + 1 < order - 1 ? a + 1 : order - 1))
                    ? 0 : -INFINITY;
  for (size_t i = 0; i < len; i++)
    for (int j = 0; j < order; j++)
      nodes[i][j] = (size_t) j <= i
                    ? bp_ngram_model_logp (m, t + i - j, (size_t) j + 1)
                    : -INFINITY;
  if (eu)
    for (size_t i = 0; i < len; i++)
      if (t[i] >= 128 && t[i] < 192)
        nodes[i][0] -= INFINITY;
  for (size_t i = 1; i < len; i++)
    {
      double row[BP_MAX_ORDER];
      for (int b = 0; b < order; b++)
        {
          double s[BP_MAX_ORDER], mx = -INFINITY;
          for (int a = 0; a < order; a++)
            {
              s[a] = (nodes[i - 1][a] + trans[a][b]) + nodes[i][b];
              mx = fmax (mx, s[a]);
            }
          int arg = 0;
          while (s[arg] != mx)
            arg++;
          row[b] = mx;
          routes[i][b] = arg;
        }
      memcpy (nodes[i], row, sizeof row);
    }
  double mx = -INFINITY;
  for (int b = 0; b < order; b++)
    mx = fmax (mx, nodes[len - 1][b]);
  int state = 0;
  while (nodes[len - 1][state] != mx)
    state++;

  int *route = malloc (len * sizeof *route);
  route[len - 1] = state;
  for (size_t i = len - 1; i >= 1; i--)
    route[i - 1] = routes[i][route[i]];
  size_t n = 0;
  for (size_t i = 1; i < len; i++)
    if (route[i] == 0)
      ends[n++] = i;
  ends[n++] = len;
  free (route);
  free (nodes);
  free (routes);
  return n;
}

static uint32_t rng_state = 2463534242u;

static uint32_t
rnd (void)
{
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 17;
  rng_state ^= rng_state << 5;
  return rng_state;
}

/* Text from a small alphabet, so that n-grams repeat and tie: ASCII,
   the UTF-8 of two CJK characters, LF, NUL, 0xFF, a lone continuation
   byte.  */
static size_t
rnd_text (uint8_t *buf, size_t max)
{
  static const char *const units[] = { "a", "b", "a", "ab", "\n", "\xe4\xb8\xad",
                                       "\xe6\x96\x87", "\0", "\xff", "\x80",
                                       " ", "\xe4\xb8\xad" };
  static const size_t ulen[] = { 1, 1, 1, 2, 1, 3, 3, 1, 1, 1, 1, 3 };
  size_t n = 0;
  size_t want = 1 + rnd () % max;
  while (n < want)
    {
      size_t u = rnd () % (sizeof ulen / sizeof *ulen);
      if (n + ulen[u] > max)
        break;
      memcpy (buf + n, units[u], ulen[u]);
      n += ulen[u];
    }
  if (n == 0)
    buf[n++] = 'a';
  return n;
}

/* Train a model of ORDER on random chunks, prune it with MIN_COUNT, and
   compare the segmenter with the transcription on training chunks and
   fresh ones, with and without ensure_unicode.  */
static void
check_viterbi (int order, uint64_t min_count)
{
  enum { NCHUNK = 300, MAXLEN = 60 };
  struct bp_ngram_counter *c = bp_ngram_counter_new (order, 100);
  static uint8_t chunks[NCHUNK][MAXLEN];
  size_t lens[NCHUNK];
  for (int i = 0; i < NCHUNK; i++)
    {
      lens[i] = rnd_text (chunks[i], MAXLEN);
      ck_assert_int_eq (bp_ngram_counter_add (c, chunks[i], lens[i], NULL),
                        0);
    }
  char *counts = NULL;
  size_t clen = 0;
  FILE *f = open_memstream (&counts, &clen);
  struct bp_error err = { 0 };
  struct bp_counts_header h = { .normalize = 1 };
  ck_assert_int_eq (bp_ngram_counter_write (&c, 1, &h, f, NULL, &err), 0);
  fclose (f);
  bp_ngram_counter_free (c);
  struct bp_ngram_model *m = build (counts, clen, min_count, NULL);
  free (counts);

  for (int eu = 0; eu <= 1; eu++)
    {
      struct bp_ngram_seg *s = bp_ngram_seg_new (m, eu);
      ck_assert_ptr_nonnull (s);
      for (int i = 0; i < 2 * NCHUNK; i++)
        {
          uint8_t fresh[MAXLEN];
          const uint8_t *t = i < NCHUNK ? chunks[i] : fresh;
          size_t len = i < NCHUNK ? lens[i] : rnd_text (fresh, MAXLEN);
          size_t want[MAXLEN], nwant = naive_segment (m, order, eu, t, len,
                                                      want);
          const size_t *ends;
          size_t n;
          ck_assert_int_eq (bp_ngram_segment (s, t, len, &ends, &n), 0);
          ck_assert_msg (n == nwant, "order %d eu %d chunk %d: %zu pieces, "
                         "want %zu", order, eu, i, n, nwant);
          for (size_t k = 0; k < n; k++)
            ck_assert_uint_eq (ends[k], want[k]);
        }
      bp_ngram_seg_free (s);
    }
  bp_ngram_model_free (m);
}

START_TEST (test_viterbi_random)
{
  /* The fast path's orders, and the general path's (n-grams of several
     words: 15 is the last of two, 16 the first of three).  */
  static const int orders[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 15, 16,
                                17, 24, 40 };
  /* Under valgrind: 1, 7, 8, 16 and 40 (each path, each key width).  */
  static const int sample[] = { 1, 7, 8, 16, 40 };
  const int *o = test_under_valgrind () ? sample : orders;
  size_t n = test_under_valgrind () ? sizeof sample / sizeof *sample
                                    : sizeof orders / sizeof *orders;
  for (size_t i = 0; i < n; i++)
    for (uint64_t k = 1; k <= 4; k += 3)
      check_viterbi (o[i], k);
  check_viterbi (6, 2);
  check_viterbi (6, 8);
}
END_TEST

/* A model whose longer n-grams lack their suffixes (written by hand, not
   pruned from counts) still segments as the transcription does: the
   segmenter must not stop looking at the first absent n-gram.  */
START_TEST (test_viterbi_not_suffix_closed)
{
  static const char model[] =
    "#bytepiece-counts 1 kind=ngram-model order=4 min_count=1 total=40 "
    "normalize=nfc isolate_digits=0\n"
    "a\t10\nab\t5\nabc\t4\nabca\t4\nb\t10\nc\t10\nca\t1\n";
  FILE *f = mem_in (model, sizeof model - 1);
  struct bp_ngram_model *m;
  struct bp_error err = { 0 };
  ck_assert_int_eq (bp_ngram_model_read (f, &m, &err), 0);
  fclose (f);
  struct bp_ngram_seg *s = bp_ngram_seg_new (m, 1);
  const uint8_t *t = (const uint8_t *) "abcabcaabc";
  const size_t *ends;
  size_t n, want[16];
  size_t nwant = naive_segment (m, 4, 1, t, 10, want);
  ck_assert_int_eq (bp_ngram_segment (s, t, 10, &ends, &n), 0);
  ck_assert_uint_eq (n, nwant);
  for (size_t k = 0; k < n; k++)
    ck_assert_uint_eq (ends[k], want[k]);
  bp_ngram_seg_free (s);
  bp_ngram_model_free (m);
}
END_TEST

/* The case DESIGN.md 1.4 singles out: a character the model has no
   2-gram for makes every score -inf from its continuation byte on;
   numpy's argmax then gives state 0 everywhere, and the rest of the
   chunk is single bytes.  */
START_TEST (test_viterbi_all_inf)
{
  static const char counts[] = H3 "a\t5\nab\t5\nb\t5\n";
  struct bp_ngram_model *m = build (counts, sizeof counts - 1, 2, NULL);
  struct bp_ngram_seg *s = bp_ngram_seg_new (m, 1);
  const uint8_t *t = (const uint8_t *) "ab\xe4\xb8\xad" "ab";
  const size_t *ends;
  size_t n;
  ck_assert_int_eq (bp_ngram_segment (s, t, 7, &ends, &n), 0);
  ck_assert_uint_eq (n, 6);
  static const size_t want[] = { 2, 3, 4, 5, 6, 7 };
  for (size_t k = 0; k < n; k++)
    ck_assert_uint_eq (ends[k], want[k]);

  /* Without ensure_unicode the character's bytes are single-byte pieces
     anyway, but the scores stay finite and "ab" joins again.  */
  bp_ngram_seg_free (s);
  s = bp_ngram_seg_new (m, 0);
  ck_assert_int_eq (bp_ngram_segment (s, t, 7, &ends, &n), 0);
  ck_assert_uint_eq (n, 5);
  static const size_t want0[] = { 2, 3, 4, 5, 7 };
  for (size_t k = 0; k < n; k++)
    ck_assert_uint_eq (ends[k], want0[k]);
  bp_ngram_seg_free (s);
  bp_ngram_model_free (m);
}
END_TEST

START_TEST (test_viterbi_edges)
{
  static const char counts[] = H3 "\\n\t9\n\\n\\n\t6\n\\n\\n\\n\t3\n";
  struct bp_ngram_model *m = build (counts, sizeof counts - 1, 1, NULL);
  struct bp_ngram_seg *s = bp_ngram_seg_new (m, 1);
  const size_t *ends;
  size_t n, want[64];

  /* An empty chunk has no pieces; one byte is one piece, even a
     continuation byte (position 0 always starts a piece).  */
  ck_assert_int_eq (bp_ngram_segment (s, (const uint8_t *) "", 0, &ends, &n),
                    0);
  ck_assert_uint_eq (n, 0);
  ck_assert_int_eq (bp_ngram_segment (s, (const uint8_t *) "\x80", 1, &ends,
                                      &n), 0);
  ck_assert_uint_eq (n, 1);
  ck_assert_uint_eq (ends[0], 1);

  /* LF-only chunks of every length, NUL and 0xFF, like the
     transcription.  */
  uint8_t t[64];
  for (size_t len = 1; len <= 64; len++)
    for (int kind = 0; kind < 3; kind++)
      {
        memset (t, kind == 0 ? '\n' : kind == 1 ? 0 : 0xFF, len);
        size_t nwant = naive_segment (m, 3, 1, t, len, want);
        ck_assert_int_eq (bp_ngram_segment (s, t, len, &ends, &n), 0);
        ck_assert_uint_eq (n, nwant);
        for (size_t k = 0; k < n; k++)
          ck_assert_uint_eq (ends[k], want[k]);
      }
  bp_ngram_seg_free (s);
  bp_ngram_model_free (m);
}
END_TEST

static Suite *
ngram_suite (void)
{
  Suite *s = suite_create ("ngram");
  TCase *tc = tcase_create ("model");
  tcase_add_test (tc, test_prune);
  tcase_add_test (tc, test_model_errors);
  suite_add_tcase (s, tc);
  tc = tcase_create ("viterbi");
  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_viterbi_random);
  tcase_add_test (tc, test_viterbi_not_suffix_closed);
  tcase_add_test (tc, test_viterbi_all_inf);
  tcase_add_test (tc, test_viterbi_edges);
  suite_add_tcase (s, tc);
  return s;
}

int
main (void)
{
  return test_main (ngram_suite (), NULL);
}
