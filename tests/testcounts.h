/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers shared by the unit tests of the count modules (check_counts,
   check_keysort, check_countmerge, check_ngramcount, check_strcount,
   check_spill): streams over strings, a random source biased towards the
   bytes that break orders and escapes, and naive counting to compare
   with.  Everything is static inline, so a test uses what it needs.  */
#ifndef BP_TESTCOUNTS_H
#define BP_TESTCOUNTS_H

#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "escape.h"
#include "spill.h"
#include "testtemp.h"

/* A stream reading the N bytes at S.  */
static inline FILE *
mem_in (const char *s, size_t n)
{
  FILE *f = tmpfile ();
  ck_assert_ptr_nonnull (f);
  ck_assert_uint_eq (fwrite (s, 1, n, f), n);
  rewind (f);
  return f;
}

#define MEM_IN(s) mem_in ((s), sizeof (s) - 1)

/* Everything a function wrote to an open_memstream.  */
struct memout
{
  char *data;
  size_t len;
  FILE *f;
};

static inline void
memout_open (struct memout *m)
{
  m->data = NULL;
  m->len = 0;
  m->f = open_memstream (&m->data, &m->len);
  ck_assert_ptr_nonnull (m->f);
}

static inline void
memout_close (struct memout *m)
{
  ck_assert_int_eq (fclose (m->f), 0);
}

static uint32_t rng_state = 12345;

static inline uint32_t
rnd (void)
{
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 17;
  rng_state ^= rng_state << 5;
  return rng_state;
}

/* Random bytes biased towards what breaks orders and escapes: UTF-8
   lead and continuation bytes, controls, backslash, NUL, 0xFF, LF.  */
static inline uint8_t
rnd_byte (void)
{
  static const uint8_t some[] = { 0, '\\', '\t', '\n', 'a', 'b', 0xE4, 0xB8,
                                  0xAD, 0xC3, 0xA9, 0xFF, 0x80, 0x7F, ' ',
                                  'x' };
  return (rnd () % 4) ? some[rnd () % sizeof some] : (uint8_t) rnd ();
}

static inline int
cmp_escaped (const void *a, const void *b)
{
  const struct bp_buf *x = a, *y = b;
  int c = memcmp (x->data, y->data, x->len < y->len ? x->len : y->len);
  return c ? c : x->len < y->len ? -1 : x->len > y->len;
}

/* Naive counting to compare with: every substring of every chunk in a
   list, sorted and counted by qsort.  */

struct naive
{
  struct bp_buf *key;
  size_t n, cap;
};

static inline void
naive_add (struct naive *nv, const uint8_t *p, size_t len)
{
  if (nv->n == nv->cap)
    {
      nv->cap = nv->cap ? 2 * nv->cap : 1024;
      nv->key = realloc (nv->key, nv->cap * sizeof *nv->key);
      ck_assert_ptr_nonnull (nv->key);
    }
  memset (&nv->key[nv->n], 0, sizeof nv->key[nv->n]);
  ck_assert_int_eq (bp_escape_append (&nv->key[nv->n], p, len, 0), 0);
  nv->n++;
}

/* The record lines the naive counts make, after HEADER.  */
static inline char *
naive_text (struct naive *nv, const char *header, size_t *len)
{
  struct bp_buf out = { 0 };
  bp_buf_append (&out, header, strlen (header));
  qsort (nv->key, nv->n, sizeof *nv->key, cmp_escaped);
  for (size_t i = 0; i < nv->n;)
    {
      size_t j = i + 1;
      while (j < nv->n && cmp_escaped (&nv->key[i], &nv->key[j]) == 0)
        j++;
      char num[32];
      bp_buf_append (&out, nv->key[i].data, nv->key[i].len);
      bp_buf_append (&out, num, (size_t) sprintf (num, "\t%zu\n", j - i));
      i = j;
    }
  for (size_t i = 0; i < nv->n; i++)
    bp_buf_free (&nv->key[i]);
  free (nv->key);
  *len = out.len;
  bp_buf_putc (&out, 0);
  return (char *) out.data;
}

#endif /* BP_TESTCOUNTS_H */
