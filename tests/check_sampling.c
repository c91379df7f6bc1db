/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of sampling in src/lib/encode/unigram (DESIGN.md section 1.6): a
   segmentation is drawn with probability proportional to the product of
   p(piece)^alpha, exactly.  The test enumerates every segmentation of a
   short string, draws 20000 samples and applies Pearson's chi-square
   test; it also checks that a seed repeats its draws and that feeding a
   chunk in pieces draws what feeding it whole draws.  */
#include <config.h>

#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "model.h"
#include "rng.h"
#include "unigram.h"

#define CHECK(cond)                                                         \
  do                                                                        \
    if (!(cond))                                                            \
      ck_abort_msg ("%s:%d: %s", __FILE__, __LINE__, #cond);                \
  while (0)

/* The regularized upper incomplete gamma function Q(a, x) = 1 - P(a, x),
   by its power series when x < a + 1 and by its continued fraction
   (evaluated with the modified Lentz method) otherwise, each where it
   converges quickly.  The chi-square p-value of X with K degrees of
   freedom is Q(K/2, X/2).  */
static double
gamma_q (double a, double x)
{
  if (x <= 0)
    return 1.0;
  double lg = lgamma (a);
  if (x < a + 1)
    {
      /* P(a, x) = x^a e^-x / Gamma(a+1) * sum x^n / ((a+1)...(a+n)) */
      double term = 1.0 / a, sum = term;
      for (int n = 1; n < 10000; n++)
        {
          term *= x / (a + n);
          sum += term;
          if (fabs (term) < fabs (sum) * 1e-16)
            break;
        }
      return 1.0 - sum * exp (-x + a * log (x) - lg);
    }
  /* Q(a, x) = x^a e^-x / Gamma(a) * 1 / (x + 1 - a - 1(1-a) / (x + 3 - a
     - 2(2-a) / (x + 5 - a - ...)))  */
  const double tiny = 1e-300;
  double b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d;
  for (int i = 1; i < 10000; i++)
    {
      double an = -i * (i - a);
      b += 2;
      d = an * d + b;
      if (fabs (d) < tiny)
        d = tiny;
      c = b + an / c;
      if (fabs (c) < tiny)
        c = tiny;
      d = 1 / d;
      double delta = d * c;
      h *= delta;
      if (fabs (delta - 1) < 1e-16)
        break;
    }
  return exp (-x + a * log (x) - lg) * h;
}

START_TEST (test_gamma)
{
  /* Closed forms: Q(1, x) = e^-x, Q(1/2, x) = erfc(sqrt x), and two
     values for 51 degrees of freedom found by integrating the density
     numerically (Simpson's rule): P(X > 67.5) = 0.060662 and
     P(X > 51) = 0.473661.  */
  static const double xs[] = { 0.01, 0.5, 1, 1.9, 2.5, 7, 30 };
  for (size_t i = 0; i < sizeof xs / sizeof *xs; i++)
    {
      ck_assert_double_eq_tol (gamma_q (1, xs[i]), exp (-xs[i]), 1e-12);
      ck_assert_double_eq_tol (gamma_q (0.5, xs[i]), erfc (sqrt (xs[i])),
                               1e-12);
    }
  ck_assert_double_eq_tol (gamma_q (25.5, 67.5 / 2), 0.060662, 1e-5);
  ck_assert_double_eq_tol (gamma_q (25.5, 25.5), 0.473661, 1e-5);
  ck_assert_double_eq (gamma_q (3, 0), 1.0);
}
END_TEST

/* The model: every byte (count 1), a, b, c more often, and pieces over
   them with chosen counts.  The string abcabca has 52 segmentations.  */
static const char *const multi[] = { "ab", "bc", "ca", "abc", "bca", "cab",
                                     "abca" };
static const uint64_t multi_count[] = { 60, 50, 40, 30, 20, 25, 10 };
static const char text[] = "abcabca";
#define TEXT_LEN (sizeof text - 1)

static struct bp_model *
make_model (void)
{
  static uint8_t bytes[256];
  const uint8_t *pieces[256 + 7];
  size_t lens[256 + 7];
  uint64_t counts[256 + 7];
  for (int b = 0; b < 256; b++)
    {
      bytes[b] = (uint8_t) b;
      pieces[b] = bytes + b;
      lens[b] = 1;
      counts[b] = b == 'a' ? 300 : b == 'b' ? 250 : b == 'c' ? 200 : 1;
    }
  for (size_t i = 0; i < 7; i++)
    {
      pieces[256 + i] = (const uint8_t *) multi[i];
      lens[256 + i] = strlen (multi[i]);
      counts[256 + i] = multi_count[i];
    }
  struct bp_model *m = bp_model_new (256 + 7, pieces, lens, counts, NULL);
  CHECK (m != NULL);
  return m;
}

/* The segmentations of TEXT, each known by the set of positions where
   its pieces end (a bit per position 1..TEXT_LEN-1), with their log
   probabilities (unnormalised) under ALPHA.  */
struct segs
{
  size_t n;
  unsigned mask[64];
  double logw[64];
};

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

static void
enumerate (const struct bp_model *m, struct segs *s, double alpha, size_t pos,
           unsigned mask, double logw)
{
  if (pos == TEXT_LEN)
    {
      CHECK (s->n < 64);
      s->mask[s->n] = mask;
      s->logw[s->n++] = logw;
      return;
    }
  for (size_t len = 1; pos + len <= TEXT_LEN; len++)
    {
      int32_t p = find_piece (m, (const uint8_t *) text + pos, len);
      if (p < 0)
        continue;
      double lp = log ((double) m->count[p]) - log ((double) m->total);
      unsigned bit = pos + len < TEXT_LEN ? 1u << (pos + len) : 0;
      enumerate (m, s, alpha, pos + len, mask | bit, logw + alpha * lp);
    }
}

/* The category of a drawn segmentation, checking that its pieces spell
   the text.  */
static size_t
category (const struct bp_model *m, const struct segs *s,
          const struct bp_pieces *out)
{
  unsigned mask = 0;
  size_t pos = 0;
  for (size_t i = 0; i < out->len; i++)
    {
      size_t len;
      const uint8_t *p = bp_model_piece (m, out->v[i], &len);
      CHECK (pos + len <= TEXT_LEN);
      CHECK (memcmp (p, text + pos, len) == 0);
      pos += len;
      if (pos < TEXT_LEN)
        mask |= 1u << pos;
    }
  CHECK (pos == TEXT_LEN);
  for (size_t k = 0; k < s->n; k++)
    if (s->mask[k] == mask)
      return k;
  ck_abort_msg ("a segmentation that is not one: mask %x", mask);
  return 0;
}

/* Draw N samples of TEXT under ALPHA, draw I from stream I of SEED,
   counting them per category in COUNT.  */
static void
draw (const struct bp_model *m, const struct bp_unigram *u,
      const struct segs *s, double alpha, uint64_t seed, size_t n,
      unsigned *count)
{
  struct bp_segmenter *seg = bp_segmenter_new (u);
  struct bp_pieces out = { 0 };
  struct bp_rng rng;
  CHECK (seg != NULL);
  memset (count, 0, s->n * sizeof *count);
  for (size_t i = 0; i < n; i++)
    {
      bp_rng_seed (&rng, seed, i);
      bp_segmenter_start (seg, alpha, &rng);
      out.len = 0;
      CHECK (bp_segmenter_feed (seg, (const uint8_t *) text, TEXT_LEN, 1,
                                &out) == 0);
      count[category (m, s, &out)]++;
    }
  bp_pieces_free (&out);
  bp_segmenter_free (seg);
}

/* Pearson's chi-square p-value of the counts COUNT (N draws) against the
   probabilities of S (all of whose expected counts are at least 5
   here).  */
static double
chi_square_p (const struct segs *s, const unsigned *count, size_t n)
{
  double max = -INFINITY, z = 0, chi2 = 0;
  for (size_t k = 0; k < s->n; k++)
    if (s->logw[k] > max)
      max = s->logw[k];
  for (size_t k = 0; k < s->n; k++)
    z += exp (s->logw[k] - max);
  for (size_t k = 0; k < s->n; k++)
    {
      double e = (double) n * exp (s->logw[k] - max) / z;
      CHECK (e >= 5);
      chi2 += (count[k] - e) * (count[k] - e) / e;
    }
  return gamma_q ((double) (s->n - 1) / 2, chi2 / 2);
}

enum { DRAWS = 20000 };

START_TEST (test_distribution)
{
  /* alpha 0 (uniform), 0.5, 1 and 2, each against its exact law.  */
  static const double alphas[] = { 0, 0.5, 1, 2 };
  struct bp_model *m = make_model ();
  struct bp_unigram *u = bp_unigram_new (m, NULL);
  CHECK (u != NULL);
  unsigned count[64];
  for (size_t a = 0; a < 4; a++)
    {
      struct segs s = { 0 };
      enumerate (m, &s, alphas[a], 0, 0, 0.0);
      ck_assert_uint_eq (s.n, 52);
      draw (m, u, &s, alphas[a], 20231124 + a, DRAWS, count);
      double p = chi_square_p (&s, count, DRAWS);
      ck_assert_msg (p > 0.001, "alpha %g: chi-square p-value %g", alphas[a],
                     p);
    }
  /* The test can fail: draws under alpha 1 do not pass for alpha 2,
     nor uniform ones for alpha 0.5.  */
  struct segs s2 = { 0 }, s05 = { 0 };
  enumerate (m, &s2, 2, 0, 0, 0.0);
  enumerate (m, &s05, 0.5, 0, 0, 0.0);
  draw (m, u, &s2, 1, 7, DRAWS, count);
  ck_assert_double_lt (chi_square_p (&s2, count, DRAWS), 1e-6);
  draw (m, u, &s05, 0, 7, DRAWS, count);
  ck_assert_double_lt (chi_square_p (&s05, count, DRAWS), 1e-6);
  bp_unigram_free (u);
  bp_model_free (m);
}
END_TEST

START_TEST (test_seeds)
{
  /* The same seed and stream give the same draws; another seed gives
     other draws.  */
  struct bp_model *m = make_model ();
  struct bp_unigram *u = bp_unigram_new (m, NULL);
  struct segs s = { 0 };
  enumerate (m, &s, 0.5, 0, 0, 0.0);
  struct bp_segmenter *seg = bp_segmenter_new (u);
  struct bp_pieces out = { 0 };
  size_t first[300], again[300], other[300];
  size_t *runs[3] = { first, again, other };
  static const uint64_t seeds[3] = { 99, 99, 100 };
  for (int r = 0; r < 3; r++)
    for (size_t i = 0; i < 300; i++)
      {
        struct bp_rng rng;
        bp_rng_seed (&rng, seeds[r], i);
        bp_segmenter_start (seg, 0.5, &rng);
        out.len = 0;
        CHECK (bp_segmenter_feed (seg, (const uint8_t *) text, TEXT_LEN, 1,
                                  &out) == 0);
        runs[r][i] = category (m, &s, &out);
      }
  ck_assert (memcmp (first, again, sizeof first) == 0);
  ck_assert (memcmp (first, other, sizeof first) != 0);
  /* Neighbouring streams of one seed differ too.  */
  size_t same = 0;
  for (size_t i = 1; i < 300; i++)
    same += first[i] == first[i - 1];
  ck_assert_uint_lt (same, 100);
  bp_pieces_free (&out);
  bp_segmenter_free (seg);
  bp_unigram_free (u);
  bp_model_free (m);
}
END_TEST

/* Sample T (N bytes) fed in spans of STEP bytes (0: whole) with stream 0
   of SEED.  */
static void
sample_fed (const struct bp_unigram *u, const uint8_t *t, size_t n,
            size_t step, double alpha, uint64_t seed, struct bp_pieces *out)
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
  CHECK (bp_segmenter_feed (seg, t + i, n - i, 1, out) == 0);
  bp_segmenter_free (seg);
}

START_TEST (test_fed_in_pieces)
{
  /* The short string byte by byte, for many seeds.  */
  struct bp_model *m = make_model ();
  struct bp_unigram *u = bp_unigram_new (m, NULL);
  struct bp_pieces whole = { 0 }, fed = { 0 };
  for (uint64_t seed = 0; seed < 500; seed++)
    {
      sample_fed (u, (const uint8_t *) text, TEXT_LEN, 0, 1, seed, &whole);
      sample_fed (u, (const uint8_t *) text, TEXT_LEN, 1, 1, seed, &fed);
      CHECK (fed.len == whole.len);
      CHECK (memcmp (fed.v, whole.v, fed.len * sizeof *fed.v) == 0);
    }

  /* A chunk of 3 MB, past the 1 MiB after which the segmenter hands out
     what is final: the same draws fed in spans of any size, for the
     best path and for samples.  */
  size_t n = 3u << 20;
  uint8_t *t = malloc (n);
  CHECK (t != NULL);
  uint64_t x = 42;
  static const char *const units[] = { "a", "b", "c", "ab", "abca", "\xff",
                                       "bca", " " };
  for (size_t i = 0; i < n;)
    {
      x ^= x << 13, x ^= x >> 7, x ^= x << 17;
      const char *w = units[x % 8];
      size_t len = strlen (w) < n - i ? strlen (w) : n - i;
      memcpy (t + i, w, len);
      i += len;
    }
  static const double alphas[] = { -1, 0, 0.7, 3 };
  static const size_t steps[] = { 1, 4096, 65536, 1u << 20 };
  for (size_t a = 0; a < 4; a++)
    {
      sample_fed (u, t, n, 0, alphas[a], 5, &whole);
      size_t total = 0;
      for (size_t i = 0; i < whole.len; i++)
        {
          size_t len;
          bp_model_piece (m, whole.v[i], &len);
          total += len;
        }
      ck_assert_uint_eq (total, n);
      for (size_t k = 0; k < 4; k++)
        {
          /* Byte by byte: the first 150 KB only, for time.  */
          size_t len = steps[k] == 1 ? 150000 : n;
          struct bp_pieces part = { 0 };
          if (len < n)
            sample_fed (u, t, len, 0, alphas[a], 5, &part);
          sample_fed (u, t, len, steps[k], alphas[a], 5, &fed);
          const struct bp_pieces *want = len < n ? &part : &whole;
          ck_assert_uint_eq (fed.len, want->len);
          ck_assert (memcmp (fed.v, want->v, fed.len * sizeof *fed.v) == 0);
          bp_pieces_free (&part);
        }
    }
  free (t);
  bp_pieces_free (&whole);
  bp_pieces_free (&fed);
  bp_unigram_free (u);
  bp_model_free (m);
}
END_TEST

static Suite *
sampling_suite (void)
{
  Suite *s = suite_create ("sampling");
  TCase *tc = tcase_create ("law");
  tcase_add_test (tc, test_gamma);
  tcase_add_test (tc, test_distribution);
  tcase_add_test (tc, test_seeds);
  tcase_set_timeout (tc, 300);
  suite_add_tcase (s, tc);
  tc = tcase_create ("streaming");
  tcase_add_test (tc, test_fed_in_pieces);
  tcase_set_timeout (tc, 900);
  suite_add_tcase (s, tc);
  return s;
}

int
main (void)
{
  SRunner *sr = srunner_create (sampling_suite ());
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
