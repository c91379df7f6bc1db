/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of src/lib/train/prune.c: each step of DESIGN.md section 1.5 on
   inputs small enough to work out by hand, the errors, and that the
   thread count never changes the result.  The reference vectors are
   checked by prune-vectors.c.  */
#include <config.h>

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "model.h"
#include "prune.h"
#include "teststages.h"

#define PC(s, c) { (const uint8_t *) (s), sizeof (s) - 1, (c) }

/* The index of piece S (N bytes) in M, or -1.  */
static long
find (const struct bp_model *m, const char *s, size_t n)
{
  for (size_t i = 0; i < m->n; i++)
    {
      size_t len;
      const uint8_t *p = bp_model_piece (m, i, &len);
      if (len == n && memcmp (p, s, n) == 0)
        return (long) i;
    }
  return -1;
}

/* The count of piece S in M; fails the test if it is absent.  */
static uint64_t
count_of (const struct bp_model *m, const char *s, size_t n)
{
  long i = find (m, s, n);
  ck_assert_msg (i >= 0, "piece '%.*s' missing", (int) n, s);
  return m->count[i];
}

#define COUNT(m, s) count_of ((m), (s), sizeof (s) - 1)
#define HAS(m, s) (find ((m), (s), sizeof (s) - 1) >= 0)

/* Pieces are in (length, bytes) order and the total is their sum.  */
static void
assert_well_formed (const struct bp_model *m)
{
  uint64_t total = 0;
  for (size_t i = 0; i < m->n; i++)
    {
      total += m->count[i];
      ck_assert_uint_gt (m->count[i], 0);
      if (i == 0)
        continue;
      size_t la, lb;
      const uint8_t *a = bp_model_piece (m, i - 1, &la);
      const uint8_t *b = bp_model_piece (m, i, &lb);
      ck_assert (la < lb || (la == lb && memcmp (a, b, la) < 0));
    }
  ck_assert_uint_eq (total, m->total);
  for (int c = 0; c < 256; c++)
    {
      uint8_t b = (uint8_t) c;
      ck_assert_int_eq (find (m, (const char *) &b, 1), c);
    }
}

static int
equal_models (const struct bp_model *a, const struct bp_model *b)
{
  return a->n == b->n && a->off[a->n] == b->off[b->n]
         && memcmp (a->off, b->off, (a->n + 1) * sizeof *a->off) == 0
         && memcmp (a->bytes, b->bytes, a->off[a->n]) == 0
         && memcmp (a->count, b->count, a->n * sizeof *a->count) == 0;
}

START_TEST (test_errors)
{
  const struct bp_piece_count ok[] = { PC ("ab", 5) };
  const struct bp_prune_params p = { .min_count = 1, .max_piece_length = 36,
                                     .threads = 1 };
  struct bp_model *m[2] = { (struct bp_model *) 1, (struct bp_model *) 1 };
  struct bp_error err;
  size_t sizes[2] = { 300, 258 };

  ck_assert_int_eq (bp_prune_vocab (ok, 1, &p, sizes, 0, m, &err),
                    BP_EINVAL);
  ck_assert_int_eq (err.code, BP_EINVAL);
  ck_assert_int_eq (bp_prune_vocab (ok, 1, &p, sizes, 2, m, &err),
                    BP_EINVAL);
  ck_assert_ptr_null (m[0]);
  ck_assert_ptr_null (m[1]);
  ck_assert_int_eq (bp_prune_vocab (ok, 1, &p, sizes, 2, m, NULL),
                    BP_EINVAL);

  const struct bp_piece_count empty[] = { PC ("ab", 5), PC ("", 3) };
  ck_assert_int_eq (bp_prune_vocab (empty, 2, &p, sizes, 1, m, &err),
                    BP_EINVAL);
  const struct bp_piece_count zero[] = { PC ("ab", 0) };
  ck_assert_int_eq (bp_prune_vocab (zero, 1, &p, sizes, 1, m, &err),
                    BP_EINVAL);
  const struct bp_piece_count twice[] = { PC ("ab", 5), PC ("c", 1),
                                          PC ("ab", 2) };
  ck_assert_int_eq (bp_prune_vocab (twice, 3, &p, sizes, 1, m, &err),
                    BP_EINVAL);
  ck_assert_ptr_null (m[0]);
  ck_assert_int_eq (err.code, BP_EINVAL);
}
END_TEST

START_TEST (test_overflow)
{
  const struct bp_piece_count big[] = { PC ("a", UINT64_MAX - 10),
                                        PC ("b", 100) };
  const struct bp_prune_params p = { .min_count = 1, .max_piece_length = 36,
                                     .threads = 1 };
  struct bp_model *m[1];
  struct bp_error err;
  size_t size = 1000;

  ck_assert_int_eq (bp_prune_vocab (big, 2, &p, &size, 1, m, &err),
                    BP_ERANGE);
  ck_assert_int_eq (err.code, BP_ERANGE);
  ck_assert_ptr_null (m[0]);
}
END_TEST

/* No pieces at all: the 256 single bytes, each counted once.  */
START_TEST (test_empty)
{
  const struct bp_prune_params p = { .min_count = 2, .max_piece_length = 36,
                                     .threads = 1 };
  struct bp_model *m[1];
  size_t size = 259;

  ck_assert_int_eq (bp_prune_vocab (NULL, 0, &p, &size, 1, m, NULL), 0);
  ck_assert_uint_eq (m[0]->n, 256);
  ck_assert_uint_eq (m[0]->total, 256);
  assert_well_formed (m[0]);
  for (size_t i = 0; i < 256; i++)
    ck_assert_uint_eq (m[0]->count[i], 1);
  bp_model_free (m[0]);
}
END_TEST

/* Step 2: "abc" (count 1 < min_count 2) is re-segmented as "ab" + "c"
   (log 10 + log 3 beats log 1 + log 1 + log 3), which adds 1 to each.
   The size 300 has room for all 257 pieces; the size 259 keeps the 256
   bytes ("c" first, by count), and "ab" (now 11) goes to "a" and "b".  */
START_TEST (test_steps)
{
  const struct bp_piece_count in[] = { PC ("abc", 1), PC ("c", 3),
                                       PC ("ab", 10) };
  const struct bp_prune_params p = { .min_count = 2, .max_piece_length = 36,
                                     .threads = 1 };
  size_t sizes[2] = { 259, 300 };
  struct bp_model *m[2];
  struct bp_error err;

  ck_assert_int_eq (bp_prune_vocab (in, 3, &p, sizes, 2, m, &err), 0);
  ck_assert_uint_eq (m[0]->n, 257);
  assert_well_formed (m[0]);
  ck_assert_int_eq (find (m[0], "ab", 2), 256);
  ck_assert_uint_eq (COUNT (m[0], "ab"), 11);
  ck_assert_uint_eq (COUNT (m[0], "c"), 4);
  ck_assert_uint_eq (COUNT (m[0], "a"), 1);
  ck_assert (!HAS (m[0], "abc"));
  ck_assert_uint_eq (m[0]->total, 253 + 11 + 4 + 1 + 1);

  ck_assert_uint_eq (m[1]->n, 256);
  assert_well_formed (m[1]);
  ck_assert_uint_eq (COUNT (m[1], "a"), 12);
  ck_assert_uint_eq (COUNT (m[1], "b"), 12);
  ck_assert_uint_eq (COUNT (m[1], "c"), 4);
  ck_assert_uint_eq (COUNT (m[1], "x"), 1);

  /* The order of the sizes does not matter.  */
  size_t rev[2] = { 300, 259 };
  struct bp_model *r[2];
  ck_assert_int_eq (bp_prune_vocab (in, 3, &p, rev, 2, r, &err), 0);
  ck_assert (equal_models (m[0], r[0]));
  ck_assert (equal_models (m[1], r[1]));
  for (int k = 0; k < 2; k++)
    {
      bp_model_free (m[k]);
      bp_model_free (r[k]);
    }
}
END_TEST

/* Step 3: "abcd" (2) is better cut as "ab" + "cd" (100 each), so no
   segmentation uses it: it vanishes and its count moves to them.  */
START_TEST (test_vanish)
{
  const struct bp_piece_count in[] = { PC ("ab", 100), PC ("cd", 100),
                                       PC ("abcd", 2) };
  const struct bp_prune_params p = { .min_count = 1, .max_piece_length = 36,
                                     .threads = 1 };
  size_t size = 1000;
  struct bp_model *m[1];

  ck_assert_int_eq (bp_prune_vocab (in, 3, &p, &size, 1, m, NULL), 0);
  assert_well_formed (m[0]);
  ck_assert_uint_eq (m[0]->n, 258);
  ck_assert (!HAS (m[0], "abcd"));
  ck_assert_uint_eq (COUNT (m[0], "ab"), 102);
  ck_assert_uint_eq (COUNT (m[0], "cd"), 102);
  ck_assert_uint_eq (COUNT (m[0], "a"), 1);
  bp_model_free (m[0]);
}
END_TEST

/* Step 2: length above max_piece_length drops a piece whatever its
   count; length equal to it keeps it.  A dropped piece used twice
   credits its count twice.  */
START_TEST (test_max_length)
{
  const struct bp_piece_count in[] = { PC ("xyxy", 50), PC ("xy", 7),
                                       PC ("pqr", 9) };
  const struct bp_prune_params p = { .min_count = 1, .max_piece_length = 3,
                                     .threads = 1 };
  size_t size = 1000;
  struct bp_model *m[1];

  ck_assert_int_eq (bp_prune_vocab (in, 3, &p, &size, 1, m, NULL), 0);
  assert_well_formed (m[0]);
  ck_assert (!HAS (m[0], "xyxy"));
  ck_assert_uint_eq (COUNT (m[0], "xy"), 7 + 2 * 50);
  ck_assert_uint_eq (COUNT (m[0], "pqr"), 9);
  ck_assert_uint_eq (COUNT (m[0], "x"), 1);
  bp_model_free (m[0]);
}
END_TEST

/* Step 4's order: bytes first, then count, then length, then bytes.  */
START_TEST (test_survival)
{
  const struct bp_piece_count in[] = { PC ("pr", 5), PC ("xy", 5),
                                       PC ("xyz", 5), PC ("pq", 5),
                                       PC ("zzzz", 4) };
  const struct bp_prune_params p = { .min_count = 1, .max_piece_length = 36,
                                     .threads = 1 };
  size_t sizes[2] = { 260, 261 };
  struct bp_model *m[2];

  ck_assert_int_eq (bp_prune_vocab (in, 5, &p, sizes, 2, m, NULL), 0);
  /* 261: room for two: "xyz" (longest of count 5), then "pq" (bytes).  */
  assert_well_formed (m[0]);
  ck_assert_uint_eq (m[0]->n, 258);
  ck_assert (HAS (m[0], "xyz") && HAS (m[0], "pq"));
  ck_assert_uint_eq (COUNT (m[0], "x"), 1 + 5);
  ck_assert_uint_eq (COUNT (m[0], "r"), 1 + 5);
  ck_assert_uint_eq (COUNT (m[0], "z"), 1 + 4 * 4);
  /* 260, from what 261 left: "xyz" alone.  */
  assert_well_formed (m[1]);
  ck_assert_uint_eq (m[1]->n, 257);
  ck_assert (HAS (m[1], "xyz"));
  ck_assert_uint_eq (COUNT (m[1], "p"), 1 + 5 + 5);
  bp_model_free (m[0]);
  bp_model_free (m[1]);
}
END_TEST

/* NUL and 0xff are ordinary bytes of a piece.  */
START_TEST (test_binary)
{
  const struct bp_piece_count in[] = { { (const uint8_t *) "\0\xff", 2, 9 },
                                       { (const uint8_t *) "\xff", 1, 4 } };
  const struct bp_prune_params p = { .min_count = 1, .max_piece_length = 36,
                                     .threads = 1 };
  size_t size = 300;
  struct bp_model *m[1];

  ck_assert_int_eq (bp_prune_vocab (in, 2, &p, &size, 1, m, NULL), 0);
  assert_well_formed (m[0]);
  ck_assert_uint_eq (count_of (m[0], "\0\xff", 2), 9);
  ck_assert_uint_eq (count_of (m[0], "\xff", 1), 4);
  ck_assert_uint_eq (count_of (m[0], "\0", 1), 1);
  bp_model_free (m[0]);
}
END_TEST

static int
cmp_pc (const void *x, const void *y)
{
  const struct bp_piece_count *a = x, *b = y;
  if (a->len != b->len)
    return a->len < b->len ? -1 : 1;
  return memcmp (a->bytes, b->bytes, a->len);
}

/* A xorshift generator: the same pieces on every run.  */
static uint64_t
next (uint64_t *x)
{
  *x ^= *x << 13;
  *x ^= *x >> 7;
  *x ^= *x << 17;
  return *x;
}

/* Append to B (at *USED) NW words drawn from WORDS.  */
static size_t
words (uint8_t *b, size_t *used, const char *const *w, size_t nw,
       uint64_t *x)
{
  size_t start = *used;
  for (size_t k = 0; k < nw; k++)
    {
      const char *s = w[next (x) % 40];
      size_t len = s[0] ? strlen (s) : 1;   /* "\0" is one NUL */
      memcpy (b + *used, s, len);
      *used += len;
    }
  return *used - start;
}

/* The stages of pruning as REC recorded them: the rare pieces dropped,
   rounds of recounting numbered from 1, then for each size that cuts
   pieces its own drop and rounds; each read all its bytes.  */
static void
check_stages (struct stage_rec *rec)
{
  ck_assert_uint_gt (rec->n, 2);
  ck_assert_int_eq (rec->v[0].s.kind, BP_STAGE_DROP);
  ck_assert_uint_eq (rec->v[0].s.size, 0);
  size_t size = 0, sizes = 0;
  unsigned pass = 0;
  for (size_t i = 1; i < rec->n; i++)
    {
      const struct bp_stage *s = &rec->v[i].s;
      ck_assert (s->bytes);
      if (s->kind == BP_STAGE_DROP)
        {
          ck_assert_uint_lt (s->size - 1, size - 1);   /* 0 is the largest */
          size = s->size;
          sizes++;
          pass = 0;
          continue;
        }
      ck_assert_int_eq (s->kind, BP_STAGE_SETTLE);
      ck_assert_uint_eq (s->size, size);
      ck_assert_uint_eq (s->pass, ++pass);
    }
  ck_assert_uint_ge (sizes, 1);
  rec_check (rec);
}

/* Enough text for several threads in every step: short pieces made of
   a few words (kept) and long ones (dropped at once).  Every thread count
   gives the same models.  */
START_TEST (test_threads)
{
  enum { NKEEP = 12000, NLONG = 800 };
  static const char *const w[40] = {
    "the", "of", "and", "to", "in", "is", "that", "it", "for", "on",
    "\xe7\x9a\x84", "\xe6\x98\xaf", "\xe4\xb8\x8d", "\xe4\xba\x86",
    "a", "b", "ab", "ba", "aa", "bb", "\n", "\n\n", " ", "  ", "x", "\xff",
    "with", "as", "was", "he", "\0", "e", "s", "t", "th", "he ", " t",
    "ing", "tion", "er"
  };
  uint8_t *text = malloc (NKEEP * 24 + NLONG * 1000);
  struct bp_piece_count *in = malloc ((NKEEP + NLONG) * sizeof *in);
  uint64_t x = 88172645463325252u;
  size_t used = 0, n = 0;

  ck_assert (text && in);
  for (size_t i = 0; i < NKEEP + NLONG; i++)
    {
      uint8_t *p = text + used;
      int keep = i < NKEEP;
      size_t len = words (text, &used, w, keep ? 1 + next (&x) % 6
                                                : 100 + next (&x) % 150,
                          &x);
      uint64_t count = keep ? 10 + next (&x) % 90 : 1 + next (&x) % 9;
      in[i] = (struct bp_piece_count) { p, len, count };
    }
  /* Pieces are distinct: keep the first of equal ones.  */
  qsort (in, NKEEP + NLONG, sizeof *in, cmp_pc);
  for (size_t i = 0; i < NKEEP + NLONG; i++)
    if (n == 0 || cmp_pc (&in[n - 1], &in[i]) != 0)
      in[n++] = in[i];
  ck_assert_uint_gt (n, NKEEP / 2);

  size_t sizes[2] = { 5000, 1000 };
  struct bp_model *one[2], *many[2];
  struct bp_prune_params p = { .min_count = 10, .max_piece_length = 24,
                                     .threads = 1 };
  struct bp_error err;
  ck_assert_int_eq (bp_prune_vocab (in, n, &p, sizes, 2, one, &err), 0);
  ck_assert_uint_le (one[0]->n, 4997);
  ck_assert_uint_le (one[1]->n, 997);
  ck_assert_uint_gt (one[1]->n, 900);
  static struct stage_rec rec;
  for (int t = 2; t <= 7; t += 5)
    {
      p.threads = t;
      rec_init (&rec);
      p.progress = &rec.cb;
      ck_assert_int_eq (bp_prune_vocab (in, n, &p, sizes, 2, many, &err), 0);
      p.progress = NULL;
      check_stages (&rec);
      for (int k = 0; k < 2; k++)
        {
          assert_well_formed (many[k]);
          ck_assert (equal_models (one[k], many[k]));
          bp_model_free (many[k]);
        }
    }
  bp_model_free (one[0]);
  bp_model_free (one[1]);
  free (text);
  free (in);
}
END_TEST

static Suite *
prune_suite (void)
{
  Suite *s = suite_create ("prune");
  TCase *tc = tcase_create ("errors");
  tcase_add_test (tc, test_errors);
  tcase_add_test (tc, test_overflow);
  suite_add_tcase (s, tc);
  tc = tcase_create ("steps");
  tcase_add_test (tc, test_empty);
  tcase_add_test (tc, test_steps);
  tcase_add_test (tc, test_vanish);
  tcase_add_test (tc, test_max_length);
  tcase_add_test (tc, test_survival);
  tcase_add_test (tc, test_binary);
  suite_add_tcase (s, tc);
  tc = tcase_create ("threads");
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_threads);
  suite_add_tcase (s, tc);
  return s;
}

int
main (void)
{
  SRunner *sr = srunner_create (prune_suite ());
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
