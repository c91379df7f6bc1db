/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of src/lib/count/countparts.c, the parts of a count file
   that every parallel writing of one depends on: for random keys (biased
   towards UTF-8 lead and continuation bytes, controls, backslash and
   0xFF), the parts never decrease in escaped order, every part holds
   keys of one first byte, and the parts cover all 384 beginnings;
   written in parts on any number of threads, a count file is the one
   written whole; a write error is the output's, and a failure of a part
   stops the writing.  */
#include <config.h>

#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "counts.h"
#include "countparts.h"
#include "error.h"
#include "escape.h"
#include "testcounts.h"
#include "testmain.h"

enum { NKEYS = 20000 };

/* A key, escaped, and its bytes.  */
struct key
{
  struct bp_buf esc;
  uint8_t raw[12];
  size_t len;
};

static int
cmp_key (const void *a, const void *b)
{
  return cmp_escaped (&((const struct key *) a)->esc,
                      &((const struct key *) b)->esc);
}

/* NKEYS random keys of 1 to 12 bytes, some whole UTF-8 sequences, sorted
   by their escaped form.  */
static struct key *
random_keys (void)
{
  struct key *k = calloc (NKEYS, sizeof *k);
  ck_assert_ptr_nonnull (k);
  for (size_t i = 0; i < NKEYS; i++)
    {
      k[i].len = 1 + rnd () % 12;
      for (size_t j = 0; j < k[i].len; j++)
        k[i].raw[j] = rnd_byte ();
      if (rnd () % 4 == 0)
        {
          /* A whole sequence first: 中 or é.  */
          static const uint8_t zh[] = { 0xE4, 0xB8, 0xAD }, e[] = { 0xC3,
                                                                    0xA9 };
          int which = rnd () % 2;
          memcpy (k[i].raw, which ? zh : e, which ? 3 : 2);
          if (k[i].len < 3)
            k[i].len = which ? 3 : 2;
        }
      ck_assert_int_eq (bp_escape_append (&k[i].esc, k[i].raw, k[i].len, 0),
                        0);
    }
  qsort (k, NKEYS, sizeof *k, cmp_key);
  return k;
}

static void
free_keys (struct key *k)
{
  for (size_t i = 0; i < NKEYS; i++)
    bp_buf_free (&k[i].esc);
  free (k);
}

START_TEST (test_order)
{
  struct bp_countparts kp;
  bp_countparts_init (&kp);
  struct key *k = random_keys ();
  unsigned prev = 0;
  for (size_t i = 0; i < NKEYS; i++)
    {
      unsigned p = bp_countparts_of (&kp, k[i].raw, k[i].len);
      ck_assert_uint_lt (p, BP_COUNTPARTS);
      ck_assert_msg (p >= prev, "key %zu (%.*s): part %u after %u", i,
                     (int) k[i].esc.len, (const char *) k[i].esc.data, p,
                     prev);
      ck_assert_uint_eq (kp.byte[p], k[i].raw[0]);
      prev = p;
    }
  free_keys (k);

  /* Every part is the part of its own beginning, and each beginning has
     its own part.  */
  unsigned char seen[BP_COUNTPARTS] = { 0 };
  for (unsigned b = 0; b < 256; b++)
    for (int whole = 0; whole < 2; whole++)
      {
        unsigned p = kp.rank[b][whole];
        ck_assert_uint_lt (p, BP_COUNTPARTS);
        ck_assert_uint_eq (kp.byte[p], b);
        if (b < 0x80)
          ck_assert_uint_eq (kp.rank[b][0], kp.rank[b][1]);
        else
          ck_assert_uint_eq (kp.whole[p], whole);
        seen[p] = 1;
      }
  for (size_t p = 0; p < BP_COUNTPARTS; p++)
    ck_assert_msg (seen[p], "part %zu is nobody's", p);
}
END_TEST

/* Records by part for bp_countparts_write: keys K, each with count
   I + 1, dealt into their parts.  */
struct parts
{
  struct bp_countparts kp;
  const struct key *k;
  size_t start[BP_COUNTPARTS + 1];
  size_t fail_part;             /* a part whose making fails */
};

static int
make (void *ctx, size_t part, struct bp_buf *out)
{
  const struct parts *ps = ctx;
  if (part == ps->fail_part)
    return BP_ERANGE;
  for (size_t i = ps->start[part]; i < ps->start[part + 1]; i++)
    if (i == ps->start[part] || cmp_key (&ps->k[i], &ps->k[i - 1]))
      ck_assert_int_eq (bp_counts_format_record (out, ps->k[i].raw,
                                                 ps->k[i].len, i + 1), 0);
  return 0;
}

START_TEST (test_write)
{
  static const struct bp_counts_header h = { .kind = BP_COUNTS_PIECES,
                                             .order = 6, .min_count = 2,
                                             .normalize = 1 };
  struct parts *ps = calloc (1, sizeof *ps);
  ck_assert_ptr_nonnull (ps);
  bp_countparts_init (&ps->kp);
  struct key *k = random_keys ();
  ps->k = k;
  ps->fail_part = BP_COUNTPARTS;
  for (size_t i = 0; i < NKEYS; i++)
    ps->start[bp_countparts_of (&ps->kp, k[i].raw, k[i].len) + 1]++;
  for (size_t p = 0; p < BP_COUNTPARTS; p++)
    ps->start[p + 1] += ps->start[p];

  /* The file written whole, a record per distinct key.  */
  struct memout whole;
  struct bp_error err;
  memout_open (&whole);
  ck_assert_int_eq (bp_counts_header_write (whole.f, &h, &err), 0);
  struct bp_buf rec = { 0 };
  for (size_t i = 0; i < NKEYS; i++)
    if (i == 0 || cmp_key (&k[i], &k[i - 1]))
      {
        rec.len = 0;
        ck_assert_int_eq (bp_counts_format_record (&rec, k[i].raw, k[i].len,
                                                   i + 1), 0);
        ck_assert_uint_eq (fwrite (rec.data, 1, rec.len, whole.f), rec.len);
      }
  bp_buf_free (&rec);
  memout_close (&whole);

  static const int threads[] = { 1, 2, 5 };
  for (size_t t = 0; t < 3; t++)
    {
      struct memout m;
      memout_open (&m);
      ck_assert_int_eq (bp_countparts_write (&h, m.f, threads[t], make, ps,
                                             NULL, NULL, &err), 0);
      memout_close (&m);
      ck_assert_uint_eq (m.len, whole.len);
      ck_assert_mem_eq (m.data, whole.data, whole.len);
      free (m.data);
    }
  free (whole.data);

  /* A part that fails stops the writing, with its code.  */
  ps->fail_part = 200;
  struct memout m;
  memout_open (&m);
  ck_assert_int_eq (bp_countparts_write (&h, m.f, 3, make, ps, NULL, NULL,
                                         &err),
                    BP_ERANGE);
  memout_close (&m);
  free (m.data);
  ps->fail_part = BP_COUNTPARTS;

  /* A write error is the output's.  */
  FILE *full = fopen ("/dev/full", "w");
  if (full)
    {
      ck_assert_int_eq (bp_countparts_write (&h, full, 2, make, ps, NULL,
                                             NULL, &err),
                        BP_EIO);
      ck_assert_int_eq (err.where, BP_AT_OUTPUT);
      ck_assert_int_eq (err.errnum, ENOSPC);
      fclose (full);
    }
  free_keys (k);
  free (ps);
}
END_TEST

static Suite *
countparts_suite (void)
{
  Suite *s = suite_create ("countparts");
  TCase *tc = tcase_create ("core");
  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_order);
  tcase_add_test (tc, test_write);
  suite_add_tcase (s, tc);
  return s;
}

int
main (void)
{
  /* The write errors need /dev/full: without it, SKIP.  */
  return test_main (countparts_suite (), test_need_dev_full ());
}
