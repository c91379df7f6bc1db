/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of src/lib/encode/automaton: every piece of a model is found
   with its index, nothing else is, whatever the bytes (NUL, 0xff), the
   size of the model or the order of its pieces; walking step by step
   finds the same as looking up whole keys; the automaton's walk lists at
   each position exactly the pieces that end there, longest first.  */
#include <config.h>

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "automaton.h"
#include "model.h"

#define CHECK(cond)                                                         \
  do                                                                        \
    if (!(cond))                                                            \
      ck_abort_msg ("%s:%d: %s", __FILE__, __LINE__, #cond);                \
  while (0)

static uint64_t rng_state = 0x2545F4914F6CDD1Du;

static uint64_t
rnd (void)
{
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return rng_state;
}

/* A model of the N pieces KEYS (LENS bytes).  */
static struct bp_model *
model_of (size_t n, const uint8_t *const *keys, const size_t *lens)
{
  uint64_t *counts = malloc ((n ? n : 1) * sizeof *counts);
  CHECK (counts != NULL);
  for (size_t i = 0; i < n; i++)
    counts[i] = i + 1;
  struct bp_model *m = bp_model_new (n, keys, lens, counts, NULL);
  CHECK (m != NULL);
  free (counts);
  return m;
}

/* The index of the piece P (N bytes) in M by linear search, or -1.  */
static int32_t
slow_find (const struct bp_model *m, const uint8_t *p, size_t n)
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

/* Every piece is found, and found again by stepping; every proper
   prefix and one-byte extension that is not a piece is not.  */
static void
check_all (const struct bp_model *m, const struct bp_automaton *mt)
{
  for (size_t i = 0; i < m->n; i++)
    {
      size_t len;
      const uint8_t *p = bp_model_piece (m, i, &len);
      CHECK (bp_automaton_find (mt, p, len) == (int32_t) i);
      int32_t s = BP_AC_ROOT;
      for (size_t k = 0; k < len; k++)
        {
          s = bp_automaton_child (mt, s, p[k]);
          CHECK (s >= 0);
          CHECK ((size_t) s < mt->size);
          /* The prefix up to here is a piece exactly when the model
             says so.  */
          CHECK (bp_automaton_find (mt, p, k + 1) == slow_find (m, p, k + 1));
        }
      uint8_t ext[64];
      if (len < sizeof ext)
        {
          memcpy (ext, p, len);
          for (int c = 0; c < 256; c += 51)
            {
              ext[len] = (uint8_t) c;
              CHECK (bp_automaton_find (mt, ext, len + 1)
                     == slow_find (m, ext, len + 1));
            }
        }
    }
}

START_TEST (test_small)
{
  static const char *const keys[] = { "ab", "abc", "b", "\xff", "\xff\xff",
                                      "\xff\x00\xff", "zz", "a" };
  static const size_t lens[] = { 2, 3, 1, 1, 2, 3, 2, 1 };
  struct bp_model *m = model_of (8, (const uint8_t *const *) keys, lens);
  struct bp_error err = { 0 };
  struct bp_automaton *mt = bp_automaton_new (m, &err);
  ck_assert (mt != NULL);
  check_all (m, mt);
  ck_assert_int_eq (bp_automaton_find (mt, (const uint8_t *) "abc", 3), 1);
  ck_assert_int_eq (bp_automaton_find (mt, (const uint8_t *) "\xff\x00\xff",
                                       3), 5);
  ck_assert_int_eq (bp_automaton_find (mt, (const uint8_t *) "\xff\x00", 2),
                    -1);
  ck_assert_int_eq (bp_automaton_find (mt, (const uint8_t *) "\0", 1), -1);
  ck_assert_int_eq (bp_automaton_find (mt, (const uint8_t *) "c", 1), -1);
  ck_assert_int_eq (bp_automaton_find (mt, (const uint8_t *) "z", 1), -1);
  ck_assert_int_eq (bp_automaton_find (mt, (const uint8_t *) "abcd", 4), -1);
  ck_assert_int_eq (bp_automaton_find (mt, (const uint8_t *) "", 0), -1);
  ck_assert_int_eq (bp_automaton_child (mt, BP_AC_ROOT, 'q'), -1);
  bp_automaton_free (mt);
  bp_model_free (m);
}
END_TEST

START_TEST (test_all_bytes)
{
  /* The 256 single bytes and every pair of NUL and 0xff up to length
     4, in the reverse of sorted order.  */
  uint8_t store[256 + 30 * 4];
  const uint8_t *keys[256 + 30];
  size_t lens[256 + 30], n = 0, off = 0;
  for (int len = 4; len >= 2; len--)
    for (int bits = (1 << len) - 1; bits >= 0; bits--)
      {
        for (int k = 0; k < len; k++)
          store[off + (size_t) k] = (bits >> k) & 1 ? 0xff : 0x00;
        keys[n] = store + off;
        lens[n++] = (size_t) len;
        off += (size_t) len;
      }
  for (int c = 255; c >= 0; c--)
    {
      store[off] = (uint8_t) c;
      keys[n] = store + off++;
      lens[n++] = 1;
    }
  struct bp_model *m = model_of (n, keys, lens);
  struct bp_automaton *mt = bp_automaton_new (m, NULL);
  ck_assert (mt != NULL);
  check_all (m, mt);
  /* Every byte of a string of NUL and 0xff has a piece at each
     length up to 4 and none at 5.  */
  static const uint8_t five[5] = { 0xff, 0, 0, 0xff, 0 };
  ck_assert_int_ge (bp_automaton_find (mt, five, 4), 0);
  ck_assert_int_eq (bp_automaton_find (mt, five, 5), -1);
  bp_automaton_free (mt);
  bp_model_free (m);
}
END_TEST

static int
cmp_size (const void *a, const void *b)
{
  size_t x = *(const size_t *) a, y = *(const size_t *) b;
  return (x > y) - (x < y);
}

/* Pieces sorted by their bytes, for lookups by binary search.  */
struct sorted
{
  const uint8_t *const *keys;
  const size_t *lens;
};
static struct sorted sorted_keys;

static int
cmp_index (const void *a, const void *b)
{
  size_t i = *(const size_t *) a, j = *(const size_t *) b;
  size_t li = sorted_keys.lens[i], lj = sorted_keys.lens[j];
  int c = memcmp (sorted_keys.keys[i], sorted_keys.keys[j], li < lj ? li : lj);
  return c ? c : (li > lj) - (li < lj);
}

static int
cmp_probe (const void *key, const void *elem)
{
  const struct { const uint8_t *p; size_t len; } *k = key;
  size_t j = *(const size_t *) elem, lj = sorted_keys.lens[j];
  int c = memcmp (k->p, sorted_keys.keys[j], k->len < lj ? k->len : lj);
  return c ? c : (k->len > lj) - (k->len < lj);
}

START_TEST (test_random_large)
{
  /* 30000 random pieces of lengths 1..20 over a small alphabet (long
     shared prefixes, dense nodes) and over all bytes, looked up whole,
     then 100000 random probes compared with a binary search.  */
  for (int round = 0; round < 2; round++)
    {
      size_t n = 30000;
      uint8_t *store = malloc (n * 20);
      const uint8_t **keys = malloc (n * sizeof *keys);
      size_t *lens = malloc (n * sizeof *lens);
      size_t *order = malloc (n * sizeof *order);
      CHECK (store && keys && lens && order);
      for (size_t k = 0; k < n; k++)
        {
          keys[k] = store + 20 * k;
          lens[k] = 1 + rnd () % 20;
          for (size_t j = 0; j < lens[k]; j++)
            store[20 * k + j] = round == 0 ? (uint8_t) ("ab\0\xff" "c"[rnd () % 5])
                                           : (uint8_t) rnd ();
          order[k] = k;
        }
      /* Drop duplicates: sort, and keep the first of each run.  */
      sorted_keys.keys = keys;
      sorted_keys.lens = lens;
      qsort (order, n, sizeof *order, cmp_index);
      size_t u = 0;
      for (size_t k = 0; k < n; k++)
        if (u == 0 || cmp_index (&order[u - 1], &order[k]) != 0)
          order[u++] = order[k];
      /* The model takes the survivors in generation order.  */
      const uint8_t **ukeys = malloc (u * sizeof *ukeys);
      size_t *ulens = malloc (u * sizeof *ulens);
      CHECK (ukeys && ulens);
      size_t *pos = malloc (u * sizeof *pos);
      CHECK (pos != NULL);
      memcpy (pos, order, u * sizeof *pos);
      qsort (pos, u, sizeof *pos, cmp_size);
      for (size_t k = 0; k < u; k++)
        {
          ukeys[k] = keys[pos[k]];
          ulens[k] = lens[pos[k]];
        }
      struct bp_model *m = model_of (u, ukeys, ulens);
      ck_assert_int_eq (bp_model_check_unique (m, NULL, NULL), 0);
      struct bp_error err = { 0 };
      struct bp_automaton *mt = bp_automaton_new (m, &err);
      ck_assert (mt != NULL);
      for (size_t i = 0; i < m->n; i++)
        {
          size_t len;
          const uint8_t *p = bp_model_piece (m, i, &len);
          CHECK (bp_automaton_find (mt, p, len) == (int32_t) i);
        }
      /* Probes: the sorted order maps back to model indices.  */
      sorted_keys.keys = ukeys;
      sorted_keys.lens = ulens;
      for (size_t k = 0; k < u; k++)
        order[k] = k;
      qsort (order, u, sizeof *order, cmp_index);
      for (int t = 0; t < 100000; t++)
        {
          uint8_t probe[8];
          struct { const uint8_t *p; size_t len; } key = { probe, 1 + rnd () % 8 };
          for (size_t j = 0; j < key.len; j++)
            probe[j] = round == 0 ? (uint8_t) ("ab\0\xff" "c"[rnd () % 5])
                                  : (uint8_t) rnd ();
          const size_t *hit = bsearch (&key, order, u, sizeof *order, cmp_probe);
          CHECK (bp_automaton_find (mt, probe, key.len)
                 == (hit ? (int32_t) *hit : -1));
        }
      bp_automaton_free (mt);
      bp_model_free (m);
      free (store);
      free (keys);
      free (lens);
      free (order);
      free (ukeys);
      free (ulens);
      free (pos);
    }
}
END_TEST

/* Walk TEXT (N bytes) with the automaton of M, whose pieces include all
   single bytes: after each byte the candidates are every piece that is a
   suffix of the text so far, longest first.  */
static void
check_walk (const struct bp_model *m, const struct bp_automaton *a,
            const uint8_t *text, size_t n)
{
  int32_t s = BP_AC_ROOT;
  for (size_t e = 1; e <= n; e++)
    {
      s = bp_automaton_next (a->node, s, text[e - 1]);
      int32_t r = a->node[s].out;
      size_t maxl = e < a->max_len ? e : a->max_len;
      for (size_t l = maxl; l >= 1; l--)
        {
          int32_t p = slow_find (m, text + e - l, l);
          if (p < 0)
            continue;
          CHECK (r >= 0);
          CHECK (a->piece[r] == p);
          CHECK (a->len[r] == l);
          r = a->next[r];
        }
      CHECK (r == -1);
    }
}

START_TEST (test_walk)
{
  /* Pieces over a three-letter alphabet with long shared suffixes, every
     single byte, and random texts over the same letters.  */
  enum { NKEYS = 400, KEYLEN = 7, TEXTLEN = 3000 };
  static uint8_t store[NKEYS * KEYLEN + 256];
  const uint8_t *keys[NKEYS + 256];
  size_t lens[NKEYS + 256], n = 0;
  for (int c = 0; c < 256; c++)
    {
      store[NKEYS * KEYLEN + c] = (uint8_t) c;
      keys[n] = store + NKEYS * KEYLEN + c;
      lens[n++] = 1;
    }
  for (size_t k = 0; k < NKEYS; k++)
    {
      size_t len = 2 + rnd () % (KEYLEN - 1);
      for (size_t j = 0; j < len; j++)
        store[k * KEYLEN + j] = (uint8_t) ("abc"[rnd () % 3]);
      const uint8_t *p = store + k * KEYLEN;
      int dup = 0;
      for (size_t i = 0; i < n && !dup; i++)
        dup = lens[i] == len && memcmp (keys[i], p, len) == 0;
      if (dup)
        continue;
      keys[n] = p;
      lens[n++] = len;
    }
  struct bp_model *m = model_of (n, keys, lens);
  struct bp_automaton *a = bp_automaton_new (m, NULL);
  ck_assert (a != NULL);
  uint8_t missing;
  ck_assert (bp_automaton_complete (a, &missing));
  ck_assert_uint_eq (a->max_len, KEYLEN);
  static uint8_t text[TEXTLEN];
  for (size_t i = 0; i < TEXTLEN; i++)
    text[i] = (uint8_t) (i % 97 == 0 ? 'z' : "abc"[rnd () % 3]);
  check_walk (m, a, text, TEXTLEN);

  /* Walking many texts at once gives each the walk it gets alone: texts
     of every length from 0 on (more of them than lanes, so that lanes
     take new texts while others are still walking), from the root, with
     gaps between them whose ranks are left alone.  */
  enum { NTEXTS = 23 };
  size_t to[NTEXTS], tl[NTEXTS];
  int32_t *all = malloc (TEXTLEN * sizeof *all);
  int32_t *one = malloc (TEXTLEN * sizeof *one);
  CHECK (all != NULL && one != NULL);
  for (size_t k = 0; k < TEXTLEN; k++)
    all[k] = -7;
  for (size_t i = 0, at = 0; i < NTEXTS; i++)
    {
      tl[i] = i % 7 == 3 ? 0 : (i * 37) % 211;
      to[i] = at;
      at += tl[i] + i % 2;
      CHECK (at <= TEXTLEN);
    }
  bp_automaton_walk_many (a, NTEXTS, text, all, to, tl);
  for (size_t i = 0; i < NTEXTS; i++)
    {
      bp_automaton_walk (a, BP_AC_ROOT, text + to[i], tl[i], one);
      CHECK (memcmp (one, all + to[i], tl[i] * sizeof *one) == 0);
      if (i % 2)
        CHECK (all[to[i] + tl[i]] == -7);
    }
  free (all);
  free (one);
  bp_automaton_free (a);
  bp_model_free (m);

  /* Without every single byte the model is not complete.  */
  m = model_of (n - 256, keys + 256, lens + 256);
  a = bp_automaton_new (m, NULL);
  ck_assert (a != NULL);
  ck_assert (!bp_automaton_complete (a, &missing));
  ck_assert_uint_eq (missing, 0);
  bp_automaton_free (a);
  bp_model_free (m);
}
END_TEST

START_TEST (test_edge_models)
{
  /* No pieces at all.  */
  struct bp_model *m = model_of (0, NULL, NULL);
  struct bp_automaton *mt = bp_automaton_new (m, NULL);
  ck_assert (mt != NULL);
  ck_assert_int_eq (bp_automaton_find (mt, (const uint8_t *) "a", 1), -1);
  ck_assert_int_eq (bp_automaton_find (mt, (const uint8_t *) "\xff", 1), -1);
  bp_automaton_free (mt);
  bp_model_free (m);

  /* One long piece.  */
  uint8_t longkey[300];
  memset (longkey, 0xff, sizeof longkey);
  const uint8_t *keys[1] = { longkey };
  size_t lens[1] = { sizeof longkey };
  m = model_of (1, keys, lens);
  mt = bp_automaton_new (m, NULL);
  ck_assert (mt != NULL);
  ck_assert_int_eq (bp_automaton_find (mt, longkey, sizeof longkey), 0);
  ck_assert_int_eq (bp_automaton_find (mt, longkey, sizeof longkey - 1), -1);
  bp_automaton_free (mt);
  bp_model_free (m);

  /* A piece twice is refused.  */
  static const char *const dups[] = { "x", "ab", "x" };
  static const size_t dlens[] = { 1, 2, 1 };
  m = model_of (3, (const uint8_t *const *) dups, dlens);
  struct bp_error err = { 0 };
  ck_assert (bp_automaton_new (m, &err) == NULL);
  ck_assert_int_eq (err.code, BP_EFORMAT);
  bp_model_free (m);
  /* Also among the many keys of a node (its keys are then sorted another
     way than a few are): "q" twice, "q" and every byte after it.  */
  static uint8_t qs[256][2];
  const uint8_t *many[258];
  size_t mlens[258];
  for (int c = 0; c < 256; c++)
    {
      qs[c][0] = 'q';
      qs[c][1] = (uint8_t) c;
      many[c] = qs[c];
      mlens[c] = 2;
    }
  many[256] = many[257] = (const uint8_t *) "q";
  mlens[256] = mlens[257] = 1;
  for (int twice = 0; twice < 2; twice++)
    {
      m = model_of (twice ? 258 : 257, many, mlens);
      bp_error_clear (&err);
      mt = bp_automaton_new (m, &err);
      ck_assert ((mt == NULL) == twice);
      if (twice)
        ck_assert_int_eq (err.code, BP_EFORMAT);
      else
        check_all (m, mt);
      bp_automaton_free (mt);
      bp_model_free (m);
    }
  bp_automaton_free (NULL);
}
END_TEST

static Suite *
automaton_suite (void)
{
  Suite *s = suite_create ("automaton");
  TCase *tc = tcase_create ("lookups");
  tcase_add_test (tc, test_small);
  tcase_add_test (tc, test_all_bytes);
  tcase_add_test (tc, test_random_large);
  tcase_add_test (tc, test_edge_models);
  tcase_add_test (tc, test_walk);
  tcase_set_timeout (tc, 300);
  suite_add_tcase (s, tc);
  return s;
}

int
main (void)
{
  SRunner *sr = srunner_create (automaton_suite ());
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
