/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of src/lib/count/counts.c: the count file header and reader with
   each kind of bad input, and the record writer.  */
#include <config.h>

#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "counts.h"
#include "error.h"
#include "testcounts.h"
#include "testmain.h"

START_TEST (test_header_roundtrip)
{
  static const struct bp_counts_header hs[] = {
    { BP_COUNTS_NGRAMS, 6, 0, 2050843, 0, 1, 0 },
    { BP_COUNTS_NGRAM_MODEL, 7, 8, UINT64_MAX, 0, 0, 1 },
    { BP_COUNTS_PIECES, 1, 32, 0, 1, 1, 1 },
  };
  static const char *const want[] = {
    "#bytepiece-counts 1 kind=ngrams order=6 total=2050843 normalize=nfc "
    "isolate_digits=0\n",
    "#bytepiece-counts 1 kind=ngram-model order=7 min_count=8 "
    "total=18446744073709551615 normalize=none isolate_digits=1\n",
    "#bytepiece-counts 1 kind=pieces order=1 min_count=32 ensure_unicode=1 "
    "normalize=nfc isolate_digits=1\n",
  };
  for (size_t i = 0; i < 3; i++)
    {
      struct memout m;
      struct bp_counts_header h;
      struct bp_error err = { 0 };
      memout_open (&m);
      ck_assert_int_eq (bp_counts_header_write (m.f, &hs[i], &err), 0);
      memout_close (&m);
      ck_assert_str_eq (m.data, want[i]);
      ck_assert_int_eq (bp_counts_header_parse (m.data, m.len - 1, &h, &err),
                        0);
      ck_assert_int_eq (h.kind, hs[i].kind);
      ck_assert_int_eq (h.order, hs[i].order);
      ck_assert_uint_eq (h.normalize, hs[i].normalize);
      ck_assert_uint_eq (h.isolate_digits, hs[i].isolate_digits);
      if (hs[i].kind != BP_COUNTS_NGRAMS)
        ck_assert_uint_eq (h.min_count, hs[i].min_count);
      if (hs[i].kind != BP_COUNTS_PIECES)
        ck_assert_uint_eq (h.total, hs[i].total);
      else
        ck_assert_int_eq (h.ensure_unicode, hs[i].ensure_unicode);
      free (m.data);
    }
}
END_TEST

/* Parse S as a header; return the error code and leave the detail.  */
static int
parse (const char *s, struct bp_error *err)
{
  struct bp_counts_header h;
  bp_error_clear (err);
  return bp_counts_header_parse (s, strlen (s), &h, err);
}

START_TEST (test_header_errors)
{
  struct bp_error err;
  const char *ok = "#bytepiece-counts 1 kind=ngrams order=2 total=3 "
                   "normalize=nfc isolate_digits=0";
  ck_assert_int_eq (parse (ok, &err), 0);
  /* Unknown fields are a later version's; extra spaces are harmless.  */
  ck_assert_int_eq (parse ("#bytepiece-counts 1  kind=ngrams order=2 total=3 "
                           "normalize=nfc isolate_digits=0 future=yes", &err),
                    0);
  /* Any order: the readers that depend on it check it themselves.  */
  ck_assert_int_eq (parse ("#bytepiece-counts 1 kind=pieces order=4000 "
                           "min_count=2 ensure_unicode=1 normalize=nfc "
                           "isolate_digits=0", &err), 0);

  /* A field that the kind does not have is ignored like an unknown one:
     a piece-count header given a total has none (the reducer, which
     adds up the totals of its inputs, found this).  */
  struct bp_counts_header h;
  const char *extra = "#bytepiece-counts 1 kind=pieces order=9 min_count=2 "
                      "ensure_unicode=1 total=8 normalize=nfc "
                      "isolate_digits=0";
  ck_assert_int_eq (bp_counts_header_parse (extra, strlen (extra), &h, &err),
                    0);
  ck_assert_uint_eq (h.total, 0);
  ck_assert_uint_eq (h.min_count, 2);
  extra = "#bytepiece-counts 1 kind=ngrams order=2 total=3 min_count=5 "
          "ensure_unicode=1 normalize=nfc isolate_digits=0";
  ck_assert_int_eq (bp_counts_header_parse (extra, strlen (extra), &h, &err),
                    0);
  ck_assert_uint_eq (h.total, 3);
  ck_assert_uint_eq (h.min_count, 0);
  ck_assert_int_eq (h.ensure_unicode, 0);

  static const struct { const char *line, *detail; } bad[] = {
    { "", "missing header" },
    { "a\t1", "missing header" },
    { "#bytepiece-model 1 vocab=300", "missing header" },
    { "#bytepiece-countsX 1 kind=ngrams", "missing header" },
    { "#bytepiece-counts", "unsupported count file version ''" },
    { "#bytepiece-counts 2 kind=ngrams", "unsupported count file version '2'" },
    { "#bytepiece-counts 1 kind=ngrams order=2 total=3 normalize=nfc",
      "header lacks the field 'isolate_digits'" },
    { "#bytepiece-counts 1 kind=pieces order=2 min_count=3 normalize=nfc "
      "isolate_digits=0", "header lacks the field 'ensure_unicode'" },
    { "#bytepiece-counts 1 kind=ngram-model order=2 total=3 normalize=nfc "
      "isolate_digits=0", "header lacks the field 'min_count'" },
    { "#bytepiece-counts 1 kind=words order=2", "bad value 'words' for "
      "header field 'kind'" },
    { "#bytepiece-counts 1 kind=ngrams order=2147483648", "bad value "
      "'2147483648' for header field 'order'" },
    { "#bytepiece-counts 1 kind=ngrams order=0", "bad value '0' for header "
      "field 'order'" },
    { "#bytepiece-counts 1 kind=ngrams order=2 total=-3", "bad value '-3' "
      "for header field 'total'" },
    { "#bytepiece-counts 1 kind=ngrams order=2 total=03", "bad value '03' "
      "for header field 'total'" },
    { "#bytepiece-counts 1 kind=ngrams order=2 total=18446744073709551616",
      "bad value '18446744073709551616' for header field 'total'" },
    { "#bytepiece-counts 1 kind=ngrams normalize=nfd", "bad value 'nfd' for "
      "header field 'normalize'" },
    { "#bytepiece-counts 1 kind=ngrams isolate_digits=yes", "bad value 'yes' "
      "for header field 'isolate_digits'" },
    { "#bytepiece-counts 1 kind=ngrams kind=pieces", "header field 'kind' "
      "given twice" },
    { "#bytepiece-counts 1 kind=ngrams order", "bad header field 'order'" },
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
    {
      ck_assert_int_eq (parse (bad[i].line, &err), BP_EFORMAT);
      ck_assert_msg (strncmp (err.detail, bad[i].detail,
                              strlen (bad[i].detail)) == 0,
                     "'%s': got '%s'", bad[i].line, err.detail);
      ck_assert_uint_eq (err.line, 1);
    }
}
END_TEST

/* Read all of S as a count file; return the first error (or 0) with its
   line, and the number of records read in *N.  */
static int
read_all (const char *s, size_t len, size_t *n, struct bp_error *err)
{
  FILE *f = mem_in (s, len);
  struct bp_counts_reader *r;
  struct bp_counts_record rec;
  int rc;

  bp_error_clear (err);
  *n = 0;
  if ((rc = bp_counts_reader_open (f, &r, err)) == 0)
    {
      while ((rc = bp_counts_reader_next (r, &rec, err)) > 0)
        ++*n;
      bp_counts_reader_free (r);
    }
  fclose (f);
  return rc;
}

#define H_NGRAMS "#bytepiece-counts 1 kind=ngrams order=3 total=9 " \
                 "normalize=nfc isolate_digits=0\n"
#define H_PIECES "#bytepiece-counts 1 kind=pieces order=3 min_count=2 " \
                 "ensure_unicode=1 normalize=nfc isolate_digits=0\n"

START_TEST (test_reader)
{
  struct bp_error err;
  size_t n;
  /* Every odd byte: NUL, 0xFF, a lone continuation byte, TAB, a
     backslash, DEL, and UTF-8 (escaped order: '\\' sorts before 'a').  */
  static const char good[] =
    H_PIECES "\\\\\t1\n\\t\t2\n\\x00\t3\n\\x7f\t4\n\\x80\t5\n\\xff\t6\n"
    "a\t18446744073709551615\n\xe4\xb8\xad\t7\n";
  ck_assert_int_eq (read_all (good, sizeof good - 1, &n, &err), 0);
  ck_assert_uint_eq (n, 8);

  FILE *f = MEM_IN (good);
  struct bp_counts_reader *r;
  struct bp_counts_record rec;
  ck_assert_int_eq (bp_counts_reader_open (f, &r, &err), 0);
  ck_assert_int_eq (bp_counts_reader_header (r)->kind, BP_COUNTS_PIECES);
  static const struct { const char *key; size_t len; uint64_t count; } want[] = {
    { "\\", 1, 1 }, { "\t", 1, 2 }, { "\0", 1, 3 }, { "\x7f", 1, 4 },
    { "\x80", 1, 5 }, { "\xff", 1, 6 }, { "a", 1, UINT64_MAX },
    { "\xe4\xb8\xad", 3, 7 },
  };
  for (size_t i = 0; i < 8; i++)
    {
      ck_assert_int_eq (bp_counts_reader_next (r, &rec, &err), 1);
      ck_assert_uint_eq (rec.len, want[i].len);
      ck_assert_mem_eq (rec.key, want[i].key, want[i].len);
      ck_assert_uint_eq (rec.count, want[i].count);
      ck_assert_uint_eq (rec.line, i + 2);
    }
  ck_assert_int_eq (bp_counts_reader_next (r, &rec, &err), 0);
  bp_counts_reader_free (r);
  fclose (f);

  /* A header and no records is an empty table.  */
  ck_assert_int_eq (read_all (H_NGRAMS, sizeof H_NGRAMS - 1, &n, &err), 0);
  ck_assert_uint_eq (n, 0);
}
END_TEST

START_TEST (test_reader_errors)
{
  static const struct
  {
    const char *text;
    uint64_t line;
    const char *detail;
  } bad[] = {
    { "", 1, "missing header" },
    { "a\t1\n", 1, "missing header" },
    { H_NGRAMS "b\t1\na\t1\n", 3, "key out of order" },
    { H_NGRAMS "ab\t1\na\t1\n", 3, "key out of order" },
    { H_NGRAMS "a\t1\na\t2\n", 3, "duplicate key" },
    { H_NGRAMS "a\t1\n\\q\t1\n", 3, "bad escape in key at byte 1" },
    { H_NGRAMS "a\\x4\t1\n", 2, "bad escape in key at byte 2" },
    { H_NGRAMS "\\x41\t1\n", 2, "key not escaped the canonical way" },
    { H_NGRAMS "\\xFF\t1\n", 2, "key not escaped the canonical way" },
    { H_NGRAMS "\xff\t1\n", 2, "key not escaped the canonical way" },
    { H_NGRAMS "a\t0\n", 2, "bad count '0'" },
    { H_NGRAMS "a\t01\n", 2, "bad count '01'" },
    { H_NGRAMS "a\t-1\n", 2, "bad count '-1'" },
    { H_NGRAMS "a\t\n", 2, "bad count ''" },
    { H_NGRAMS "a\t1 \n", 2, "bad count '1 '" },
    /* Input is quoted escaped, so that no control byte reaches the
       terminal and a NUL does not cut the message.  */
    { H_NGRAMS "a\t1\r\n", 2, "bad count '1\\r'" },
    { H_NGRAMS "a\t\x1b[2J\n", 2, "bad count '\\x1b[2J'" },
    { H_NGRAMS "a\t18446744073709551616\n", 2, "bad count" },
    { H_NGRAMS "a 1\n", 2, "missing TAB" },
    { H_NGRAMS "\t1\n", 2, "empty key" },
    { H_NGRAMS "abcd\t1\n", 2, "key of 4 bytes is longer than the order 3" },
    { H_NGRAMS "a\t1\nb\t1", 3, "line not terminated by a newline" },
    { "#bytepiece-counts 1 kind=ngrams", 1,
      "line not terminated by a newline" },
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
    {
      struct bp_error err;
      size_t n;
      ck_assert_int_eq (read_all (bad[i].text, strlen (bad[i].text), &n,
                                  &err), BP_EFORMAT);
      ck_assert_msg (err.line == bad[i].line, "case %zu: line %llu", i,
                     (unsigned long long) err.line);
      ck_assert_msg (strncmp (err.detail, bad[i].detail,
                              strlen (bad[i].detail)) == 0,
                     "case %zu: got '%s'", i, err.detail);
    }
}
END_TEST

/* The buffered writer formats records as the reader reads them, and a
   stream error is reported.  */
START_TEST (test_writer)
{
  struct memout m;
  memout_open (&m);
  struct bp_counts_writer w = { .f = m.f };
  struct bp_error err;
  ck_assert_int_eq (bp_counts_writer_put (&w, (const uint8_t *) "\\", 1, 1,
                                          &err), 0);
  ck_assert_int_eq (bp_counts_writer_put (&w, (const uint8_t *) "\0\t", 2,
                                          UINT64_MAX, &err), 0);
  ck_assert_int_eq (bp_counts_writer_put_escaped (&w, "\\xe4\\xb8", 8, 10,
                                                  &err), 0);
  for (int i = 0; i < 20000; i++)
    ck_assert_int_eq (bp_counts_writer_put (&w, (const uint8_t *) "\xe4\xb8"
                                            "\xad", 3, 7, &err), 0);
  ck_assert_int_eq (bp_counts_writer_flush (&w, &err), 0);
  bp_counts_writer_free (&w);
  memout_close (&m);
  const char want[] = "\\\\\t1\n\\x00\\t\t18446744073709551615\n"
                      "\\xe4\\xb8\t10\n\xe4\xb8\xad\t7\n";
  ck_assert_uint_eq (m.len, sizeof want - 1 + 19999 * 6);
  ck_assert_mem_eq (m.data, want, sizeof want - 1);
  free (m.data);

  FILE *f = fopen ("/dev/full", "w");
  if (f)
    {
      /* More than the stream buffers, so that a write reaches the
         device; the error may come from a put or from the flush.  */
      struct bp_counts_writer fw = { .f = f };
      int rc = 0;
      for (int i = 0; i < 100000 && !rc; i++)
        rc = bp_counts_writer_put (&fw, (const uint8_t *) "a", 1, 1, &err);
      if (!rc)
        rc = bp_counts_writer_flush (&fw, &err);
      ck_assert_int_eq (rc, BP_EIO);
      /* The error is the output's, with the errno of the write.  */
      ck_assert_int_eq (err.code, BP_EIO);
      ck_assert_int_eq (err.where, BP_AT_OUTPUT);
      ck_assert_int_eq (err.errnum, ENOSPC);
      bp_counts_writer_free (&fw);
      fclose (f);
    }
}
END_TEST

START_TEST (test_cmp)
{
  ck_assert_int_lt (bp_counts_cmp ("a", 1, "ab", 2), 0);
  ck_assert_int_gt (bp_counts_cmp ("b", 1, "ab", 2), 0);
  ck_assert_int_eq (bp_counts_cmp ("ab", 2, "ab", 2), 0);
  ck_assert_int_lt (bp_counts_cmp ("", 0, "\\", 1), 0);
  ck_assert_int_lt (bp_counts_cmp ("\\t", 2, "a", 1), 0);
}
END_TEST

static Suite *
counts_suite (void)
{
  Suite *s = suite_create ("counts");
  TCase *tc = tcase_create ("header");
  tcase_add_test (tc, test_header_roundtrip);
  tcase_add_test (tc, test_header_errors);
  suite_add_tcase (s, tc);
  tc = tcase_create ("reader");
  tcase_add_test (tc, test_reader);
  tcase_add_test (tc, test_reader_errors);
  suite_add_tcase (s, tc);
  tc = tcase_create ("writer");
  tcase_add_test (tc, test_writer);
  tcase_add_test (tc, test_cmp);
  suite_add_tcase (s, tc);
  return s;
}

int
main (void)
{
  /* The write errors need /dev/full: without it, SKIP.  */
  return test_main (counts_suite (), test_need_dev_full ());
}
