/* Unit tests of src/lib/base/memsize.c: sizes as sort -S takes them, in every
   unit, and the values refused.  */
#include <config.h>

#include <check.h>
#include <stdint.h>
#include <stdlib.h>

#include "error.h"
#include "memsize.h"

START_TEST (test_parse)
{
  static const struct { const char *arg; size_t bytes; } good[] = {
    { "1", 1024 }, { "64", 65536 }, { "64K", 65536 }, { "64k", 65536 },
    { "100b", 100 }, { "100B", 100 }, { "0", 0 }, { "2M", 2 << 20 },
    { "2m", 2 << 20 }, { "3G", (size_t) 3 << 30 },
    { "1T", (size_t) 1 << 40 }, { "1p", (size_t) 1 << 50 },
    { "007", 7 * 1024 },
  };
  for (size_t i = 0; i < sizeof good / sizeof *good; i++)
    {
      size_t v = 12345;
      ck_assert_msg (bp_memsize_parse (good[i].arg, &v) == 0, "'%s'",
                     good[i].arg);
      ck_assert_uint_eq (v, good[i].bytes);
    }
  static const char *const bad[] = { "", "K", "-1", "+1", " 1", "1 ",
                                     "1KB", "1x", "1.5M", "1%%", "101%",
                                     "%" };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
    {
      size_t v = 12345;
      ck_assert_msg (bp_memsize_parse (bad[i], &v) == BP_EINVAL, "'%s'",
                     bad[i]);
      ck_assert_uint_eq (v, 12345);
    }
  size_t v;
  ck_assert_int_eq (bp_memsize_parse ("99999999999999999999", &v),
                    BP_ERANGE);
  ck_assert_int_eq (bp_memsize_parse ("99999999999T", &v), BP_ERANGE);
}
END_TEST

START_TEST (test_memory)
{
  size_t phys = bp_memsize_physical (), v;
  if (phys == 0)
    return;   /* unknown here: % is refused */
  ck_assert_int_eq (bp_memsize_parse ("100%", &v), 0);
  ck_assert_uint_eq (v, phys);
  ck_assert_int_eq (bp_memsize_parse ("50%", &v), 0);
  ck_assert_uint_le (v, phys / 2 + 1);
  ck_assert_uint_ge (v + 1, phys / 2);
  ck_assert_int_eq (bp_memsize_parse ("0%", &v), 0);
  ck_assert_uint_eq (v, 0);
  /* The default: half the memory at most, and some of it.  */
  size_t d = bp_memsize_default ();
  ck_assert_uint_le (d, phys / 2);
  ck_assert_uint_gt (d, 0);
}
END_TEST

static Suite *
memsize_suite (void)
{
  Suite *s = suite_create ("memsize");
  TCase *tc = tcase_create ("sizes");
  tcase_add_test (tc, test_parse);
  tcase_add_test (tc, test_memory);
  suite_add_tcase (s, tc);
  return s;
}

int
main (void)
{
  SRunner *sr = srunner_create (memsize_suite ());
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
