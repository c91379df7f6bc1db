/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of src/lib/text/jsonpath: member paths of --jsonl=KEY, with
   "\." for a dot inside a name and "\\" for a backslash.  (What the
   paths select is tested with the extractor, in check_jsonl.)  */
#include <config.h>

#include <check.h>
#include <stdlib.h>

#include "error.h"
#include "jsonpath.h"

START_TEST (test_names)
{
  struct bp_jsonpath p;
  ck_assert_int_eq (bp_jsonpath_parse ("text", &p, NULL), 0);
  ck_assert_uint_eq (p.n, 1);
  ck_assert_uint_eq (p.name[0].len, 4);
  ck_assert_mem_eq (p.name[0].data, "text", 4);
  ck_assert_str_eq (p.key, "text");
  bp_jsonpath_free (&p);

  ck_assert_int_eq (bp_jsonpath_parse ("a\\.b.\\\\c.", &p, NULL), 0);
  ck_assert_uint_eq (p.n, 3);
  ck_assert_uint_eq (p.name[0].len, 3);
  ck_assert_mem_eq (p.name[0].data, "a.b", 3);
  ck_assert_uint_eq (p.name[1].len, 2);
  ck_assert_mem_eq (p.name[1].data, "\\c", 2);
  ck_assert_uint_eq (p.name[2].len, 0);
  ck_assert_uint_eq (p.end[0], 4);
  ck_assert_uint_eq (p.end[1], 8);
  ck_assert_uint_eq (p.end[2], 9);
  ck_assert_str_eq (p.key, "a\\.b.\\\\c.");
  bp_jsonpath_free (&p);

  /* Empty names: "" is one, "." two.  */
  ck_assert_int_eq (bp_jsonpath_parse ("", &p, NULL), 0);
  ck_assert_uint_eq (p.n, 1);
  ck_assert_uint_eq (p.name[0].len, 0);
  bp_jsonpath_free (&p);
  ck_assert_int_eq (bp_jsonpath_parse (".", &p, NULL), 0);
  ck_assert_uint_eq (p.n, 2);
  ck_assert_uint_eq (p.name[0].len + p.name[1].len, 0);
  bp_jsonpath_free (&p);
  /* Freeing twice is harmless.  */
  bp_jsonpath_free (&p);
}
END_TEST

START_TEST (test_bad)
{
  struct bp_jsonpath p;
  struct bp_error err = { 0 };
  ck_assert_int_eq (bp_jsonpath_parse ("a\\b", &p, &err), BP_EINVAL);
  ck_assert_str_eq (err.detail, "a backslash must be followed by '.' or "
                                "'\\' in a member path");
  ck_assert_int_eq (bp_jsonpath_parse ("a\\", &p, &err), BP_EINVAL);
  ck_assert_int_eq (bp_jsonpath_parse ("\\\\\\", &p, NULL), BP_EINVAL);
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("jsonpath");
  TCase *tc = tcase_create ("parse");
  tcase_add_test (tc, test_names);
  tcase_add_test (tc, test_bad);
  suite_add_tcase (s, tc);
  SRunner *sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
