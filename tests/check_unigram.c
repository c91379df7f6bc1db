/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of lib/unigram, best segmentations (DESIGN.md section 1.6):
   the scores, the tie rule (the piece that starts earliest wins), the
   best path against an exhaustive search and, with long pieces and long
   chains of candidates, a dynamic programme, and a chunk fed in pieces
   segmented as when it is fed whole.  Sampling is in check_sampling.  */
#include <config.h>

#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "model.h"
#include "unigram.h"

#define CHECK(cond)                                                         \
  do                                                                        \
    if (!(cond))                                                            \
      ck_abort_msg ("%s:%d: %s", __FILE__, __LINE__, #cond);                \
  while (0)

static uint64_t rng_state = 0x853C49E6748FEA9Bu;

static uint64_t
rnd (void)
{
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return rng_state;
}

/* A model of all 256 single bytes (count BYTE_COUNT (b), 1 if NULL) and
   the N multi-byte pieces MULTI with COUNTS.  */
static struct bp_model *
make_model (uint64_t (*byte_count) (int), size_t n, const char *const *multi,
            const uint64_t *counts)
{
  static uint8_t bytes[256];
  const uint8_t **pieces = malloc ((256 + n) * sizeof *pieces);
  size_t *lens = malloc ((256 + n) * sizeof *lens);
  uint64_t *cnt = malloc ((256 + n) * sizeof *cnt);
  CHECK (pieces && lens && cnt);
  for (int b = 0; b < 256; b++)
    {
      bytes[b] = (uint8_t) b;
      pieces[b] = bytes + b;
      lens[b] = 1;
      cnt[b] = byte_count ? byte_count (b) : 1;
    }
  for (size_t i = 0; i < n; i++)
    {
      pieces[256 + i] = (const uint8_t *) multi[i];
      lens[256 + i] = strlen (multi[i]);
      cnt[256 + i] = counts[i];
    }
  struct bp_model *m = bp_model_new (256 + n, pieces, lens, cnt, NULL);
  CHECK (m != NULL);
  free (pieces);
  free (lens);
  free (cnt);
  return m;
}

/* The score of each piece of M as BytePiece computes it, log(count) -
   log(total) in doubles: the test's own, independent of unigram.c.  */
static double *
scores_of (const struct bp_model *m)
{
  double *sc = malloc (m->n * sizeof *sc);
  CHECK (sc != NULL);
  for (size_t i = 0; i < m->n; i++)
    sc[i] = log ((double) m->count[i]) - log ((double) m->total);
  return sc;
}

/* The index of the piece P (N bytes) of M, or -1: a linear search.  */
static int32_t
find_piece (const struct bp_model *m, const uint8_t *p, size_t n)
{
  for (size_t i = 0; i < m->n; i++)
    {
      size_t len;
      const uint8_t *q = bp_model_piece (m, i, &len);
      if (len == n && memcmp (p, q, n) == 0)
        return (int32_t) i;
    }
  return -1;
}

/* The pieces of the best segmentation of S, as a string of the pieces'
   bytes separated by '|'.  Returns a new string.  */
static char *
best_string (const struct bp_model *m, const struct bp_unigram *u,
             const char *s)
{
  struct bp_segmenter *seg = bp_segmenter_new (u);
  struct bp_pieces out = { 0 };
  CHECK (seg != NULL);
  CHECK (bp_segment_best (seg, (const uint8_t *) s, strlen (s), &out) == 0);
  char *r = malloc (2 * strlen (s) + 1);
  size_t o = 0;
  for (size_t i = 0; i < out.len; i++)
    {
      size_t len;
      const uint8_t *p = bp_model_piece (m, out.v[i], &len);
      if (i)
        r[o++] = '|';
      memcpy (r + o, p, len);
      o += len;
    }
  r[o] = '\0';
  bp_pieces_free (&out);
  bp_segmenter_free (seg);
  return r;
}

static uint64_t
letters_ten (int b)
{
  return b == 'a' || b == 'b' || b == 'c' ? 10 : 1;
}

START_TEST (test_tie_rule)
{
  /* "ab" and "bc" have one count, "a" and "c" another: a|bc and ab|c
     score x + y and y + x, the same double.  The piece that starts
     earliest among those ending at 3 (bc) must win.  */
  static const char *const multi[] = { "ab", "bc" };
  static const uint64_t counts[] = { 50, 50 };
  struct bp_model *m = make_model (letters_ten, 2, multi, counts);
  struct bp_unigram *u = bp_unigram_new (m, NULL);
  ck_assert (u != NULL);
  double *sc = scores_of (m);
  ck_assert (sc['a'] + sc[257] == sc[256] + sc['c']);
  free (sc);
  char *r = best_string (m, u, "abc");
  ck_assert_str_eq (r, "a|bc");
  free (r);
  /* (Only at the start of a chunk is the tie exact: after a prefix of
     score P, (P + x) + y and (P + y) + x may differ in the last bit;
     the exhaustive test below covers those.)  */
  bp_unigram_free (u);
  bp_model_free (m);

  /* Runs of one character tie everywhere: "aa" and "a" only.  aaa is
     a|aa or aa|a, the same score: a|aa (aa starts earlier at the
     end).  Longer runs are left to the exhaustive test: their sums
     differ in the order of the additions.  */
  static const char *const multi3[] = { "aa" };
  static const uint64_t counts3[] = { 100 };
  m = make_model (letters_ten, 1, multi3, counts3);
  u = bp_unigram_new (m, NULL);
  r = best_string (m, u, "aaa");
  ck_assert_str_eq (r, "a|aa");
  free (r);
  bp_unigram_free (u);
  bp_model_free (m);
}
END_TEST

START_TEST (test_empty)
{
  static const char *const multi[] = { "ab", "abc", "\xff\xfe" };
  static const uint64_t counts[] = { 7, 123456789, 3 };
  struct bp_model *m = make_model (letters_ten, 3, multi, counts);
  struct bp_error err = { 0 };
  struct bp_unigram *u = bp_unigram_new (m, &err);
  ck_assert (u != NULL);
  char *r = best_string (m, u, "");
  ck_assert_str_eq (r, "");
  free (r);
  r = best_string (m, u, "x\xff\xfe" "abc");
  ck_assert_str_eq (r, "x|\xff\xfe|abc");
  free (r);
  bp_unigram_free (u);
  bp_model_free (m);
}
END_TEST

START_TEST (test_missing_byte)
{
  static const char *const multi[] = { "ab" };
  static const uint64_t counts[] = { 5 };
  struct bp_model *full = make_model (NULL, 1, multi, counts);
  /* Drop the byte 0x7f (piece 127).  */
  const uint8_t *pieces[256];
  size_t lens[256];
  uint64_t cnt[256];
  size_t n = 0;
  for (size_t i = 0; i < full->n; i++)
    if (i != 0x7f)
      {
        pieces[n] = bp_model_piece (full, i, &lens[n]);
        cnt[n++] = full->count[i];
      }
  struct bp_model *m = bp_model_new (n, pieces, lens, cnt, NULL);
  struct bp_error err = { 0 };
  ck_assert (bp_unigram_new (m, &err) == NULL);
  ck_assert_int_eq (err.code, BP_EFORMAT);
  ck_assert_str_eq (err.detail, "the model lacks the single byte \\x7f "
                                "(every byte must be a piece)");
  bp_model_free (m);
  bp_model_free (full);
  bp_unigram_free (NULL);
  bp_segmenter_free (NULL);
}
END_TEST

/* Exhaustive search over the segmentations of T (N bytes): V[p], the
   best score of a segmentation of T[0..p), sums taken left to right as
   the reference does.  */
struct search
{
  const struct bp_model *m;
  const double *score;
  const uint8_t *t;
  size_t n;
  double best[16];
};

static void
enumerate (struct search *s, size_t pos, double score)
{
  if (score > s->best[pos])
    s->best[pos] = score;
  for (size_t len = 1; pos + len <= s->n; len++)
    {
      int32_t p = find_piece (s->m, s->t + pos, len);
      if (p >= 0)
        enumerate (s, pos + len, score + s->score[p]);
    }
}

START_TEST (test_exhaustive)
{
  /* Random models over {a, b, c} and random strings of up to 12 bytes:
     the segmenter's path has the best score, and among the paths with
     that score it is the one the tie rule picks: going back from the
     end, the earliest start whose best prefix plus the piece makes the
     best score.  */
  for (int round = 0; round < 150; round++)
    {
      const char *multi[40];
      uint64_t counts[40];
      char store[40][6];
      size_t nm = 0;
      while (nm < 5 + rnd () % 30)
        {
          size_t len = 2 + rnd () % 4;
          for (size_t k = 0; k < len; k++)
            store[nm][k] = "abc"[rnd () % 3];
          store[nm][len] = '\0';
          int dup = 0;
          for (size_t k = 0; k < nm; k++)
            dup |= strcmp (store[k], store[nm]) == 0;
          if (dup)
            continue;
          multi[nm] = store[nm];
          /* Few distinct counts, so that scores tie often.  */
          counts[nm++] = 1 + rnd () % 4 * 5;
        }
      struct bp_model *m = make_model (letters_ten, nm, multi, counts);
      struct bp_unigram *u = bp_unigram_new (m, NULL);
      CHECK (u != NULL);
      double *sc = scores_of (m);
      struct bp_segmenter *seg = bp_segmenter_new (u);
      struct bp_pieces out = { 0 };
      for (int t = 0; t < 20; t++)
        {
          uint8_t text[12];
          size_t n = 1 + rnd () % 12;
          for (size_t k = 0; k < n; k++)
            text[k] = (uint8_t) "abc"[rnd () % 3];
          struct search s = { m, sc, text, n, { 0 } };
          for (size_t k = 0; k <= n; k++)
            s.best[k] = -INFINITY;
          enumerate (&s, 0, 0.0);

          /* The path the rule picks, built backwards.  */
          uint32_t want[12];
          size_t nw = 0;
          for (size_t end = n; end > 0;)
            {
              size_t start;
              int32_t pick = -1;
              for (start = 0; start < end; start++)
                {
                  int32_t p = find_piece (m, text + start, end - start);
                  if (p >= 0 && s.best[start] + sc[p] == s.best[end])
                    {
                      pick = p;
                      break;
                    }
                }
              CHECK (pick >= 0);
              want[nw++] = (uint32_t) pick;
              end = start;
            }

          out.len = 0;
          CHECK (bp_segment_best (seg, text, n, &out) == 0);
          CHECK (out.len == nw);
          double score = 0;
          for (size_t k = 0; k < nw; k++)
            {
              CHECK (out.v[k] == want[nw - 1 - k]);
              score += sc[out.v[k]];
            }
          CHECK (score == s.best[n]);
        }
      free (sc);
      bp_pieces_free (&out);
      bp_segmenter_free (seg);
      bp_unigram_free (u);
      bp_model_free (m);
    }
}
END_TEST

/* The best path of N random bytes over {a, b} with runs of 'a' under a
   model of NM pieces over {a, b}, the first NLONG of 250 to 300 bytes
   of 'a', the others of 2 to 12 bytes, mostly 'a' (so that many end at
   a byte): the segmenter's against a dynamic programme over every
   piece, where a tie goes to the longer piece (the earlier start).  */
static void
check_against_dp (size_t nm, size_t nlong, size_t n)
{
  char (*store)[301] = malloc (nm * sizeof *store);
  const char **multi = malloc (nm * sizeof *multi);
  uint64_t *counts = malloc (nm * sizeof *counts);
  CHECK (store && multi && counts);
  for (size_t i = 0; i < nm;)
    {
      size_t len = i < nlong ? 250 + rnd () % 51 : 2 + rnd () % 11;
      for (size_t k = 0; k < len; k++)
        store[i][k] = i < nlong || rnd () % 4 ? 'a' : 'b';
      store[i][len] = '\0';
      int dup = 0;
      for (size_t k = 0; k < i; k++)
        dup |= strcmp (store[k], store[i]) == 0;
      if (dup)
        continue;
      multi[i] = store[i];
      /* Few distinct counts, so that scores tie often.  */
      counts[i++] = 1 + rnd () % 3 * 7;
    }
  struct bp_model *m = make_model (letters_ten, nm, multi, counts);
  struct bp_unigram *u = bp_unigram_new (m, NULL);
  CHECK (u != NULL);
  double *sc = scores_of (m);
  uint8_t *t = malloc (n);
  double *best = malloc ((n + 1) * sizeof *best);
  uint32_t *last = malloc ((n + 1) * sizeof *last);
  CHECK (t && best && last);
  for (size_t k = 0; k < n;)
    {
      /* Runs of 'a', long ones now and then, and single b's.  */
      size_t run = rnd () % 8 ? 1 + rnd () % 12 : 200 + rnd () % 200;
      for (size_t j = 0; j < run && k < n; j++)
        t[k++] = 'a';
      if (k < n)
        t[k++] = 'b';
    }
  best[0] = 0;
  for (size_t e = 1; e <= n; e++)
    {
      best[e] = -INFINITY;
      size_t best_len = 0;
      for (size_t i = 0; i < m->n; i++)
        {
          size_t len;
          const uint8_t *p = bp_model_piece (m, i, &len);
          if (len > e || memcmp (t + e - len, p, len) != 0)
            continue;
          double x = best[e - len] + sc[i];
          if (x > best[e] || (x == best[e] && len > best_len))
            {
              best[e] = x;
              best_len = len;
              last[e] = (uint32_t) i;
            }
        }
    }
  size_t nw = 0;
  for (size_t e = n; e > 0;)
    {
      size_t len;
      bp_model_piece (m, last[e], &len);
      nw++;
      e -= len;
    }
  struct bp_segmenter *seg = bp_segmenter_new (u);
  struct bp_pieces out = { 0 };
  CHECK (bp_segment_best (seg, t, n, &out) == 0);
  CHECK (out.len == nw);
  for (size_t k = nw, e = n; k > 0; k--)
    {
      size_t len;
      bp_model_piece (m, last[e], &len);
      CHECK (out.v[k - 1] == last[e]);
      e -= len;
    }
  bp_pieces_free (&out);
  bp_segmenter_free (seg);
  free (t);
  free (best);
  free (last);
  free (sc);
  bp_unigram_free (u);
  bp_model_free (m);
  free (store);
  free (multi);
  free (counts);
}

START_TEST (test_long_chains)
{
  /* Pieces past 255 bytes (lengths kept in 32 bits) and a chunk long
     enough for the scores to slide several times; then pieces enough
     that most bytes have more candidates than the Viterbi reads without
     a branch: the best path, ties included.  */
  check_against_dp (120, 8, 30000);
  check_against_dp (2500, 0, 3000);
}
END_TEST

/* Segment T (N bytes) fed in spans of STEP bytes (0: whole), the best
   path if ALPHA < 0, else sampled with a generator seeded with SEED.
   *EARLY receives how many pieces came out before the last feed.  */
static void
segment_fed (const struct bp_unigram *u, const uint8_t *t, size_t n,
             size_t step, double alpha, uint64_t seed, struct bp_pieces *out,
             size_t *early)
{
  struct bp_segmenter *seg = bp_segmenter_new (u);
  struct bp_rng rng;
  CHECK (seg != NULL);
  bp_rng_seed (&rng, seed, 0);
  bp_segmenter_start (seg, alpha, &rng);
  out->len = 0;
  size_t i = 0;
  if (step)
    for (; i + step < n; i += step)
      CHECK (bp_segmenter_feed (seg, t + i, step, 0, out) == 0);
  if (early)
    *early = out->len;
  CHECK (bp_segmenter_feed (seg, t + i, n - i, 1, out) == 0);
  bp_segmenter_free (seg);
}

START_TEST (test_fed_in_pieces)
{
  /* A chunk fed in spans of any size gives the pieces it gives whole,
     also past 1 MiB, where the segmenter hands out the final part of a
     long chunk early (unigram.h: memory stays bounded).  */
  static const char *const multi[] = { "ab", "abc", "bc", "ca", "aa", "aaaa",
                                       "cab", "bca", "\xe4\xb8\xad",
                                       "\xe4\xb8\xad\xe6\x96\x87", "a b" };
  static const uint64_t counts[] = { 50, 40, 50, 30, 60, 20, 35, 35, 9, 8, 12 };
  struct bp_model *m = make_model (letters_ten, 11, multi, counts);
  struct bp_unigram *u = bp_unigram_new (m, NULL);
  CHECK (u != NULL);
  size_t n = 3u << 20;
  uint8_t *t = malloc (n);
  CHECK (t != NULL);
  static const char *const units[] = { "a", "b", "c", " ", "aaaa",
                                       "\xe4\xb8\xad\xe6\x96\x87", "\xff" };
  for (size_t i = 0; i < n;)
    {
      const char *w = units[rnd () % 7];
      size_t len = strlen (w);
      if (len > n - i)
        len = n - i;
      memcpy (t + i, w, len);
      i += len;
    }
  struct bp_pieces whole = { 0 }, fed = { 0 };
  segment_fed (u, t, n, 0, -1, 0, &whole, NULL);
  static const size_t steps[] = { 1, 3, 4096, 65536, 1u << 20 };
  for (size_t k = 0; k < sizeof steps / sizeof *steps; k++)
    {
      size_t early;
      /* Feeding byte by byte is slow: the first 200 KB then.  */
      size_t len = steps[k] == 1 ? 200000 : n;
      struct bp_pieces part = { 0 };
      if (len < n)
        segment_fed (u, t, len, 0, -1, 0, &part, NULL);
      segment_fed (u, t, len, steps[k], -1, 0, &fed, &early);
      const struct bp_pieces *want = len < n ? &part : &whole;
      ck_assert_uint_eq (fed.len, want->len);
      ck_assert (memcmp (fed.v, want->v, fed.len * sizeof *fed.v) == 0);
      if (steps[k] == 65536)
        ck_assert_uint_gt (early, 0);
      bp_pieces_free (&part);
    }
  /* The pieces add up to the text.  */
  size_t total = 0;
  for (size_t i = 0; i < whole.len; i++)
    {
      size_t len;
      bp_model_piece (m, whole.v[i], &len);
      total += len;
    }
  ck_assert_uint_eq (total, n);

  /* A run of 'a' that no position cuts for every path (the window
     keeps all of it, and is looked at less often as it grows), then
     text that does: the same pieces fed as whole.  */
  memset (t, 'a', 5u << 19);
  segment_fed (u, t, n, 0, -1, 0, &whole, NULL);
  segment_fed (u, t, n, 65536, -1, 0, &fed, NULL);
  ck_assert_uint_eq (fed.len, whole.len);
  ck_assert (memcmp (fed.v, whole.v, fed.len * sizeof *fed.v) == 0);
  bp_pieces_free (&whole);
  bp_pieces_free (&fed);
  free (t);
  bp_unigram_free (u);
  bp_model_free (m);
}
END_TEST

START_TEST (test_reuse)
{
  /* One segmenter, many chunks: each starts afresh, even after one that
     was abandoned halfway.  */
  static const char *const multi[] = { "ab", "bc" };
  static const uint64_t counts[] = { 50, 50 };
  struct bp_model *m = make_model (letters_ten, 2, multi, counts);
  struct bp_unigram *u = bp_unigram_new (m, NULL);
  struct bp_segmenter *seg = bp_segmenter_new (u);
  struct bp_pieces out = { 0 };
  bp_segmenter_start (seg, -1, NULL);
  ck_assert_int_eq (bp_segmenter_feed (seg, (const uint8_t *) "xyz", 3, 0,
                                       &out), 0);
  ck_assert_int_eq (bp_segment_best (seg, (const uint8_t *) "abc", 3, &out),
                    0);
  ck_assert_uint_eq (out.len, 2);
  ck_assert_uint_eq (out.v[0], 'a');
  ck_assert_uint_eq (out.v[1], 257);
  out.len = 0;
  ck_assert_int_eq (bp_segment_best (seg, (const uint8_t *) "", 0, &out), 0);
  ck_assert_uint_eq (out.len, 0);
  bp_pieces_free (&out);
  bp_segmenter_free (seg);
  bp_unigram_free (u);
  bp_model_free (m);
}
END_TEST

static Suite *
unigram_suite (void)
{
  Suite *s = suite_create ("unigram");
  TCase *tc = tcase_create ("best");
  tcase_add_test (tc, test_tie_rule);
  tcase_add_test (tc, test_empty);
  tcase_add_test (tc, test_missing_byte);
  tcase_add_test (tc, test_exhaustive);
  tcase_add_test (tc, test_long_chains);
  tcase_add_test (tc, test_reuse);
  tcase_set_timeout (tc, 300);
  suite_add_tcase (s, tc);
  tc = tcase_create ("streaming");
  tcase_add_test (tc, test_fed_in_pieces);
  tcase_set_timeout (tc, 600);
  suite_add_tcase (s, tc);
  return s;
}

int
main (void)
{
  SRunner *sr = srunner_create (unigram_suite ());
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
