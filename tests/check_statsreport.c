/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of bp-stats' report writers (src/stats-text.c,
   src/stats-json.c, src/stats-plot.c): both forms of both reports, the
   JSON ones parsed back with jansson, with the keys bp-stats(1)
   documents; the table by vocabulary size; the data of the --plot
   script; a write error.  */
#include <config.h>

#include <check.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "countstats.h"
#include "stats-report.h"
#include "teststats.h"
#include "testmain.h"

/* What WRITE wrote, parsed as JSON.  */
static json_t *
parse (char *data, size_t len)
{
  json_error_t e;
  json_t *root = json_loadb (data, len, 0, &e);
  ck_assert_msg (root != NULL, "line %d: %s\n%s", e.line, e.text, data);
  free (data);
  return root;
}

static json_int_t
get_int (json_t *o, const char *key)
{
  json_t *v = json_object_get (o, key);
  ck_assert_msg (json_is_integer (v), "no integer %s", key);
  return json_integer_value (v);
}

START_TEST (test_json)
{
  struct fixture fx;
  fixture_make (&fx);
  struct bp_stats_layout l = { 2, 40 };
  char *data;
  size_t len;
  FILE *f = open_memstream (&data, &len);
  ck_assert_int_eq (bp_stats_write_json (f, &fx.r, &l), 0);
  fclose (f);
  json_t *root = parse (data, len);

  json_t *m = json_array_get (json_object_get (root, "models"), 0);
  ck_assert (json_is_object (m));
  ck_assert_str_eq (json_string_value (json_object_get (m, "file")),
                    "small \"m\"");
  ck_assert_int_eq (get_int (m, "vocab"), 261);
  ck_assert_int_eq (get_int (m, "pieces"), 258);
  ck_assert_int_eq (get_int (m, "total"), 326);
  ck_assert_int_eq (get_int (m, "max_piece_bytes"), 3);
  json_t *p = json_object_get (m, "params");
  ck_assert_int_eq (get_int (p, "order"), 6);
  ck_assert_int_eq (get_int (p, "min_count"), 2);
  ck_assert_int_eq (get_int (p, "max_piece_length"), 36);
  ck_assert_int_eq (get_int (p, "ensure_unicode"), 1);
  ck_assert_int_eq (get_int (p, "isolate_digits"), 0);
  ck_assert_str_eq (json_string_value (json_object_get (p, "normalize")),
                    "nfc");
  json_t *bl = json_object_get (m, "by_length");
  ck_assert_uint_eq (json_array_size (bl), 3);
  ck_assert_int_eq (json_integer_value (json_array_get (bl, 0)), 256);
  json_t *bk = json_object_get (m, "by_kind");
  ck_assert_int_eq (get_int (bk, "ascii"), 129);
  ck_assert_int_eq (get_int (bk, "cjk"), 1);
  ck_assert_int_eq (get_int (bk, "other"), 0);
  ck_assert_int_eq (get_int (bk, "partial"), 128);
  ck_assert_int_eq (get_int (m, "tokens"), 4);
  ck_assert (json_real_value (json_object_get (m, "bytes_per_token")) == 2.0);
  ck_assert (json_real_value (json_object_get (m, "chars_per_token")) == 1.5);
  ck_assert_int_eq (get_int (m, "pieces_used"), 3);
  ck_assert (json_is_real (json_object_get (m, "vocab_used")));
  /* Of ab ab 中 \n one token is a byte; the documents have 4 and 0
     tokens.  */
  ck_assert_int_eq (get_int (m, "single_byte_tokens"), 1);
  ck_assert (json_real_value (json_object_get (m, "single_byte_share"))
             == 0.25);
  json_t *pd = json_object_get (m, "tokens_per_document");
  ck_assert (json_real_value (json_object_get (pd, "mean")) == 2.0);
  ck_assert_int_eq (get_int (pd, "p50"), 0);
  ck_assert_int_eq (get_int (pd, "p90"), 4);
  ck_assert_int_eq (get_int (pd, "p95"), 4);
  ck_assert_int_eq (get_int (pd, "p99"), 4);
  ck_assert_int_eq (get_int (pd, "max"), 4);

  json_t *top = json_object_get (m, "top");
  ck_assert_uint_eq (json_array_size (top), 2);
  json_t *t0 = json_array_get (top, 0);
  ck_assert_int_eq (get_int (t0, "id"), 259);
  ck_assert_str_eq (json_string_value (json_object_get (t0, "piece")), "ab");
  ck_assert_int_eq (get_int (t0, "count"), 2);
  ck_assert (json_real_value (json_object_get (t0, "share")) == 0.5);
  /* "\n" (id 13) before 中 (id 260) on equal counts; escaped.  */
  json_t *t1 = json_array_get (top, 1);
  ck_assert_str_eq (json_string_value (json_object_get (t1, "piece")),
                    "\\n");
  json_t *lo = json_array_get (json_object_get (m, "longest"), 0);
  ck_assert_str_eq (json_string_value (json_object_get (lo, "piece")),
                    "\xe4\xb8\xad");
  ck_assert_int_eq (get_int (lo, "bytes"), 3);
  ck_assert_int_eq (get_int (lo, "id"), 260);

  json_t *t = json_object_get (root, "text");
  ck_assert_int_eq (get_int (t, "documents"), 2);
  ck_assert_int_eq (get_int (t, "chunks"), 1);
  ck_assert_int_eq (get_int (t, "bytes"), 8);
  ck_assert_int_eq (get_int (t, "chars"), 6);
  json_decref (root);

  /* Without text: "text" is null and the token keys are absent.  */
  fx.r.have_text = 0;
  f = open_memstream (&data, &len);
  ck_assert_int_eq (bp_stats_write_json (f, &fx.r, &l), 0);
  fclose (f);
  root = parse (data, len);
  ck_assert (json_is_null (json_object_get (root, "text")));
  m = json_array_get (json_object_get (root, "models"), 0);
  ck_assert_ptr_null (json_object_get (m, "tokens"));
  ck_assert_ptr_nonnull (json_object_get (m, "by_kind"));
  json_decref (root);
  fixture_free (&fx);
}
END_TEST

START_TEST (test_json_counts)
{
  struct bp_error err = { 0 };
  struct bp_stats_counts s[2];
  FILE *f = MEM_IN (counts_file);
  ck_assert_int_eq (bp_stats_counts_read (&s[0], "a", f, 2, &err), 0);
  fclose (f);
  f = MEM_IN ("#bytepiece-counts 1 kind=ngrams order=2 total=3 "
              "normalize=none isolate_digits=1\n"
              "\\xff\t3\n");
  /* A name that is not UTF-8 still gives valid JSON.  */
  ck_assert_int_eq (bp_stats_counts_read (&s[1], "b\xff", f, 2, &err), 0);
  fclose (f);

  char *data;
  size_t len;
  f = open_memstream (&data, &len);
  ck_assert_int_eq (bp_stats_write_counts_json (f, s, 2), 0);
  fclose (f);
  json_t *root = parse (data, len);
  json_t *c = json_object_get (root, "counts");
  ck_assert_uint_eq (json_array_size (c), 2);
  json_t *a = json_array_get (c, 0);
  ck_assert_str_eq (json_string_value (json_object_get (a, "kind")),
                    "pieces");
  ck_assert_int_eq (get_int (a, "order"), 6);
  json_t *p = json_object_get (a, "params");
  ck_assert_int_eq (get_int (p, "min_count"), 2);
  ck_assert_int_eq (get_int (p, "ensure_unicode"), 1);
  ck_assert_ptr_null (json_object_get (p, "total"));
  ck_assert_int_eq (get_int (a, "keys"), 6);
  ck_assert_int_eq (get_int (a, "sum"), 27);
  ck_assert_uint_eq (json_array_size (json_object_get (a, "by_length")), 6);
  ck_assert_int_eq (get_int (json_object_get (a, "by_kind"), "cjk"), 2);
  json_t *top = json_object_get (a, "top");
  ck_assert_uint_eq (json_array_size (top), 2);
  ck_assert_str_eq (json_string_value (json_object_get (json_array_get (top,
                                                                        1),
                                                        "key")),
                    "b");
  json_t *b = json_array_get (c, 1);
  ck_assert_str_eq (json_string_value (json_object_get (b, "file")),
                    "b\xef\xbf\xbd");
  p = json_object_get (b, "params");
  ck_assert_int_eq (get_int (p, "total"), 3);
  ck_assert_int_eq (get_int (p, "isolate_digits"), 1);
  ck_assert_str_eq (json_string_value (json_object_get (p, "normalize")),
                    "none");
  ck_assert_ptr_null (json_object_get (p, "min_count"));
  ck_assert_str_eq (json_string_value (json_object_get (json_array_get (
                      json_object_get (b, "top"), 0), "key")),
                    "\\xff");
  json_decref (root);
  bp_stats_counts_free (&s[0]);
  bp_stats_counts_free (&s[1]);
}
END_TEST

START_TEST (test_text)
{
  struct fixture fx;
  fixture_make (&fx);
  struct bp_stats_layout l = { 5, 10 };
  char *data;
  size_t len;
  FILE *f = open_memstream (&data, &len);
  ck_assert_int_eq (bp_stats_write_text (f, &fx.r, &l), 0);
  fclose (f);
  /* The charts: the longest bar is 10 columns, a small value still has
     one.  */
  ck_assert_ptr_nonnull (strstr (data, "\n  1                     256 "
                                       "##########\n"));
  ck_assert_ptr_nonnull (strstr (data, "\n  2                       1 #\n"));
  ck_assert_ptr_nonnull (strstr (data, "\n  CJK                     1 #\n"));
  ck_assert_ptr_nonnull (strstr (data, "\n  other UTF-8             0\n"));
  ck_assert_ptr_nonnull (strstr (data, "\nbytes                   8\n"));
  ck_assert_ptr_nonnull (strstr (data, "\ntokens                  4\n"));
  ck_assert_ptr_nonnull (strstr (data, "\nbytes/token             2.000\n"));
  ck_assert_ptr_nonnull (strstr (data, "\nvocabulary used         1.16%\n"));
  ck_assert_ptr_nonnull (strstr (data, "\nsingle-byte tokens      25.00%\n"
                                       "\ndocument length in tokens\n"
                                       "  mean                  2.0\n"
                                       "  p50                   0\n"
                                       "  p90                   4\n"
                                       "  p95                   4\n"
                                       "  p99                   4\n"
                                       "  max                   4\n"));
  /* One model: no table by vocabulary size.  */
  ck_assert_ptr_null (strstr (data, "compression by"));
  ck_assert_ptr_nonnull (strstr (data, "       1      259            2"
                                       "   50.00%  \"ab\"\n"));
  free (data);
  fixture_free (&fx);
}
END_TEST

/* Two models (the same one twice, the second named first in vocabulary
   order by the command line's order): the table by vocabulary size.  */
START_TEST (test_text_by_vocab)
{
  struct fixture fx;
  fixture_make (&fx);
  struct bp_stats_model two[2] = { fx.r.model[0], fx.r.model[0] };
  two[1].name = "other";
  struct bp_stats_report r = fx.r;
  r.nmodels = 2;
  r.model = two;
  struct bp_stats_layout l = { 0, 10 };
  char *data;
  size_t len;
  FILE *f = open_memstream (&data, &len);
  ck_assert_int_eq (bp_stats_write_text (f, &r, &l), 0);
  fclose (f);
  ck_assert_ptr_nonnull (strstr (data,
    "\ncompression by vocabulary size\n"
    "  vocabulary         tokens  bytes/token  single-byte  model\n"
    "         261              4        2.000       25.00%  small \"m\"\n"
    "         261              4        2.000       25.00%  other\n"));
  free (data);
  fixture_free (&fx);
}
END_TEST

/* The --plot script: its data blocks, the name made safe in them.  */
START_TEST (test_plot)
{
  struct fixture fx;
  fixture_make (&fx);
  char *data;
  size_t len;
  FILE *f = open_memstream (&data, &len);
  ck_assert_int_eq (bp_stats_write_plot (f, &fx.r), 0);
  fclose (f);
  ck_assert_ptr_nonnull (strstr (data, "\n$per_doc << EOD\n"
                                       "percent \"small 'm'\"\n"
                                       "0.0 0\n1.0 0\n"));
  ck_assert_ptr_nonnull (strstr (data, "\n50.0 0\n"));
  ck_assert_ptr_nonnull (strstr (data, "\n51.0 4\n"));
  ck_assert_ptr_nonnull (strstr (data, "\n99.9 4\n100.0 4\nEOD\n"));
  ck_assert_ptr_nonnull (strstr (data, "\n$by_vocab << EOD\n"
                                       "261 2.000 25.00 4 \"small 'm'\"\n"
                                       "EOD\n"));
  ck_assert_ptr_nonnull (strstr (data, "\nunset multiplot\n"));
  free (data);
  fixture_free (&fx);
}
END_TEST

START_TEST (test_write_error)
{
  FILE *f = fopen ("/dev/full", "w");
  if (!f)
    return;   /* no /dev/full here: main says SKIP */
  setvbuf (f, NULL, _IONBF, 0);
  struct fixture fx;
  fixture_make (&fx);
  struct bp_stats_layout l = { 5, 10 };
  ck_assert_int_eq (bp_stats_write_text (f, &fx.r, &l), BP_EIO);
  clearerr (f);
  ck_assert_int_eq (bp_stats_write_json (f, &fx.r, &l), BP_EIO);
  clearerr (f);
  ck_assert_int_eq (bp_stats_write_plot (f, &fx.r), BP_EIO);
  fclose (f);
  fixture_free (&fx);
}
END_TEST

static Suite *
statsreport_suite (void)
{
  Suite *s = suite_create ("statsreport");
  TCase *tc = tcase_create ("reports");
  tcase_add_test (tc, test_json);
  tcase_add_test (tc, test_json_counts);
  tcase_add_test (tc, test_text);
  tcase_add_test (tc, test_text_by_vocab);
  tcase_add_test (tc, test_plot);
  tcase_add_test (tc, test_write_error);
  suite_add_tcase (s, tc);
  return s;
}

int
main (void)
{
  /* The write errors need /dev/full: without it, SKIP.  */
  return test_main (statsreport_suite (), test_need_dev_full ());
}
