/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of src/lib/count/keysort.c: random keys, many sharing long
   prefixes and mixing characters with escaped bytes, come out in the
   order of their escaped forms.  */
#include <config.h>

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "escape.h"
#include "keysort.h"
#include "testcounts.h"

struct keys
{
  uint8_t **p;
  size_t *len;
};

static const uint8_t *
keys_key (const void *ctx, size_t i, uint8_t *scratch, size_t *len)
{
  const struct keys *k = ctx;
  (void) scratch;
  *len = k->len[i];
  return k->p[i];
}

START_TEST (test_sort_escaped)
{
  /* Distinct random keys, many sharing long prefixes (so every level of
     the slice sort and its comparison fallback is used).  */
  enum { N = 3000 };
  struct keys k = { malloc (N * sizeof *k.p), malloc (N * sizeof *k.len) };
  struct bp_buf *esc = calloc (N, sizeof *esc);
  size_t n = 0;
  while (n < N)
    {
      size_t len = 1 + rnd () % (n % 3 ? 8 : 60);
      uint8_t *p = malloc (len + 4);
      if (n % 4 == 3)
        {
          /* Whole characters (escaped literally) mixed with escaped
             bytes, so that a character straddles every slice boundary.  */
          static const char *const units[] = { "a", "\\", "\t",
                                               "\xe4\xb8\xad", "\xc3\xa9",
                                               "\xf0\x9f\x98\x80", "\xff",
                                               "\x80", "" };
          /* One of a few shared beginnings of 0 to 12 bytes, then whole
             units: keys that agree up to a character cut by a slice.  */
          static const char *const starts[] = { "", "aaaaaaa", "aaaaaa\\",
                                                "a\t\xe4\xb8\xad\xff\x80" "aaa",
                                                "aaaaa" };
          const char *st = starts[rnd () % 5];
          size_t j = strlen (st);
          len = j + 1 + rnd () % 8;
          p = realloc (p, len + 4);
          ck_assert_ptr_nonnull (p);
          memcpy (p, st, j);
          while (j < len)
            {
              const char *u = units[rnd () % 9];
              size_t ul = *u ? strlen (u) : 1;
              memcpy (p + j, u, ul);
              j += ul;
            }
          len = j;
        }
      else
        for (size_t j = 0; j < len; j++)
          p[j] = (n % 2 && j < len - 3) ? 'a' : rnd_byte ();
      int dup = 0;
      for (size_t i = 0; i < n && !dup; i++)
        dup = k.len[i] == len && memcmp (k.p[i], p, len) == 0;
      if (dup)
        {
          free (p);
          continue;
        }
      k.p[n] = p;
      k.len[n] = len;
      n++;
    }
  uint32_t *perm;
  ck_assert_int_eq (bp_keysort_escaped (N, 64, keys_key, &k, &perm), 0);
  for (size_t i = 0; i < N; i++)
    ck_assert_int_eq (bp_escape_append (&esc[i], k.p[perm[i]],
                                        k.len[perm[i]], 0), 0);
  for (size_t i = 1; i < N; i++)
    ck_assert_msg (cmp_escaped (&esc[i - 1], &esc[i]) < 0,
                   "not sorted at %zu", i);
  for (size_t i = 0; i < N; i++)
    {
      free (k.p[i]);
      bp_buf_free (&esc[i]);
    }
  free (perm);
  free (k.p);
  free (k.len);
  free (esc);

  /* No keys: an empty permutation.  */
  ck_assert_int_eq (bp_keysort_escaped (0, 0, keys_key, NULL, &perm), 0);
  free (perm);
}
END_TEST

static Suite *
keysort_suite (void)
{
  Suite *s = suite_create ("keysort");
  TCase *tc = tcase_create ("escaped");
  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_sort_escaped);
  suite_add_tcase (s, tc);
  return s;
}

int
main (void)
{
  SRunner *sr = srunner_create (keysort_suite ());
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
