/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of src/lib/count/countmerge.c: counts add up, headers must agree,
   and bad or overflowing input names the file at fault.  */
#include <config.h>

#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "countmerge.h"
#include "counts.h"
#include "error.h"
#include "testcounts.h"
#include "testmain.h"
#include "teststages.h"

#define H_PIECES "#bytepiece-counts 1 kind=pieces order=3 min_count=2 " \
                 "ensure_unicode=1 normalize=nfc isolate_digits=0\n"

/* Merge the count files TEXTS (NIN of them); return the code, with the
   output in *OUT (caller frees) and the error in ERR.  */
static int
merge (const char *const *texts, size_t nin, char **out,
       struct bp_error *err)
{
  FILE *in[8];
  const char *names[8] = { "a", "b", "c", "d", "e", "f", "g", "h" };
  struct memout m;
  ck_assert_uint_le (nin, 8);
  for (size_t i = 0; i < nin; i++)
    in[i] = mem_in (texts[i], strlen (texts[i]));
  memout_open (&m);
  bp_error_clear (err);
  int rc = bp_countmerge_files (in, names, nin, m.f, NULL, err);
  memout_close (&m);
  for (size_t i = 0; i < nin; i++)
    fclose (in[i]);
  *out = m.data;
  return rc;
}

#define HN(t) "#bytepiece-counts 1 kind=ngrams order=3 total=" t \
              " normalize=nfc isolate_digits=0\n"

/* A merge is a stage of the progress it is given, in bytes of the files,
   which it reads to their end.  */
START_TEST (test_progress)
{
  const char *a = HN ("5") "a\t2\nab\t1\n", *b = HN ("7") "a\t3\nb\t4\n";
  FILE *in[2] = { mem_in (a, strlen (a)), mem_in (b, strlen (b)) };
  const char *names[2] = { "a", "b" };
  struct stage_rec rec;
  struct bp_error err;
  struct memout m;
  rec_init (&rec);
  memout_open (&m);
  ck_assert_int_eq (bp_countmerge_files (in, names, 2, m.f, &rec.cb, &err),
                    0);
  memout_close (&m);
  ck_assert_uint_eq (rec.n, 1);
  ck_assert_int_eq (rec.v[0].s.kind, BP_STAGE_MERGE);
  ck_assert_uint_eq (rec.v[0].s.items, 2);
  ck_assert (rec.v[0].s.bytes);
  ck_assert_uint_eq (rec.v[0].s.total, strlen (a) + strlen (b));
  rec_check (&rec);
  free (m.data);
  fclose (in[0]);
  fclose (in[1]);
}
END_TEST

START_TEST (test_merge)
{
  char *out;
  struct bp_error err;
  const char *three[] = {
    HN ("5") "\\\\\t1\na\t2\nab\t1\n\xe4\xb8\xad\t1\n",
    HN ("0"),
    HN ("7") "\\x00\t4\na\t3\nb\t18446744073709551610\n",
  };
  ck_assert_int_eq (merge (three, 3, &out, &err), 0);
  ck_assert_str_eq (out, HN ("12") "\\\\\t1\n\\x00\t4\na\t5\nab\t1\n"
                    "b\t18446744073709551610\n\xe4\xb8\xad\t1\n");
  free (out);

  /* One input is copied (and checked).  */
  ck_assert_int_eq (merge (three, 1, &out, &err), 0);
  ck_assert_str_eq (out, three[0]);
  free (out);

  const char *clash[] = { HN ("1") "a\t1\n",
                          "#bytepiece-counts 1 kind=ngrams order=4 total=1 "
                          "normalize=nfc isolate_digits=0\n" };
  ck_assert_int_eq (merge (clash, 2, &out, &err), BP_EFORMAT);
  ck_assert_int_eq (err.where, BP_AT_INPUT);
  ck_assert_uint_eq (err.input, 1);
  ck_assert_uint_eq (err.line, 1);
  ck_assert_str_eq (err.detail, "order=4 disagrees with order=3 in a");
  free (out);

  const char *kinds[] = { HN ("1"), H_PIECES };
  ck_assert_int_eq (merge (kinds, 2, &out, &err), BP_EFORMAT);
  ck_assert_int_eq (err.where, BP_AT_INPUT);
  ck_assert_uint_eq (err.input, 1);
  ck_assert_str_eq (err.detail, "kind=pieces disagrees with kind=ngrams in a");
  free (out);

  const char *model[] = { "#bytepiece-counts 1 kind=ngram-model order=3 "
                          "min_count=2 total=1 normalize=nfc "
                          "isolate_digits=0\n" };
  ck_assert_int_eq (merge (model, 1, &out, &err), BP_EFORMAT);
  ck_assert_int_eq (err.where, BP_AT_INPUT);
  ck_assert_uint_eq (err.input, 0);
  free (out);

  const char *unsorted[] = { HN ("1") "a\t1\n", HN ("1") "b\t1\na\t1\n" };
  ck_assert_int_eq (merge (unsorted, 2, &out, &err), BP_EFORMAT);
  ck_assert_int_eq (err.where, BP_AT_INPUT);
  ck_assert_uint_eq (err.input, 1);
  ck_assert_uint_eq (err.line, 3);
  free (out);

  const char *over[] = { HN ("1") "a\t18446744073709551615\n",
                         HN ("1") "a\t1\n" };
  ck_assert_int_eq (merge (over, 2, &out, &err), BP_ERANGE);
  ck_assert_int_eq (err.where, BP_AT_INPUT);
  ck_assert_uint_eq (err.input, 1);
  free (out);
  const char *tover[] = { HN ("18446744073709551615"), HN ("1") };
  ck_assert_int_eq (merge (tover, 2, &out, &err), BP_ERANGE);
  ck_assert_uint_eq (err.input, 1);
  free (out);

  /* A write error is the output's.  */
  FILE *full = fopen ("/dev/full", "w");
  if (full)
    {
      FILE *in[2] = { mem_in (three[0], strlen (three[0])),
                      mem_in (three[2], strlen (three[2])) };
      const char *names[] = { "a", "b" };
      setvbuf (full, NULL, _IONBF, 0);
      ck_assert_int_eq (bp_countmerge_files (in, names, 2, full, NULL, &err),
                        BP_EIO);
      ck_assert_int_eq (err.where, BP_AT_OUTPUT);
      ck_assert_int_eq (err.errnum, ENOSPC);
      fclose (in[0]);
      fclose (in[1]);
      fclose (full);
    }
}
END_TEST

static Suite *
countmerge_suite (void)
{
  Suite *s = suite_create ("countmerge");
  TCase *tc = tcase_create ("files");
  tcase_add_test (tc, test_merge);
  tcase_add_test (tc, test_progress);
  suite_add_tcase (s, tc);
  return s;
}

int
main (void)
{
  /* The write errors need /dev/full: without it, SKIP.  */
  return test_main (countmerge_suite (), test_need_dev_full ());
}
