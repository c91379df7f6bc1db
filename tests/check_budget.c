/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of src/lib/base/budget.c: sizes as sort -S takes them, in
   every unit, and the values refused; the default and the percentages
   of the machine's memory (skipped where its size is unknown); shares,
   reservations and the room they leave.  */
#include <config.h>

#include <check.h>
#include <stdint.h>
#include <stdlib.h>

#include "budget.h"
#include "error.h"
#include "testmain.h"

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
      ck_assert_msg (bp_budget_parse (good[i].arg, &v) == 0, "'%s'",
                     good[i].arg);
      ck_assert_uint_eq (v, good[i].bytes);
    }
  static const char *const bad[] = { "", "K", "-1", "+1", " 1", "1 ",
                                     "1KB", "1x", "1.5M", "1%%", "101%",
                                     "%" };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
    {
      size_t v = 12345;
      ck_assert_msg (bp_budget_parse (bad[i], &v) == BP_EINVAL, "'%s'",
                     bad[i]);
      ck_assert_uint_eq (v, 12345);
    }
  size_t v;
  ck_assert_int_eq (bp_budget_parse ("99999999999999999999", &v),
                    BP_ERANGE);
  ck_assert_int_eq (bp_budget_parse ("99999999999T", &v), BP_ERANGE);
}
END_TEST

START_TEST (test_memory)
{
  size_t phys = bp_budget_physical (), v;
  if (phys == 0)
    {
      /* Unknown here (main says SKIP): % is refused.  */
      ck_assert_int_eq (bp_budget_parse ("50%", &v), BP_EINVAL);
      return;
    }
  ck_assert_int_eq (bp_budget_parse ("100%", &v), 0);
  ck_assert_uint_eq (v, phys);
  ck_assert_int_eq (bp_budget_parse ("50%", &v), 0);
  ck_assert_uint_le (v, phys / 2 + 1);
  ck_assert_uint_ge (v + 1, phys / 2);
  ck_assert_int_eq (bp_budget_parse ("0%", &v), 0);
  ck_assert_uint_eq (v, 0);
  /* The default: half the memory at most, and some of it.  */
  size_t d = bp_budget_default ();
  ck_assert_uint_le (d, phys / 2);
  ck_assert_uint_gt (d, 0);
}
END_TEST

START_TEST (test_shares)
{
  struct bp_budget none = bp_budget_of (0);
  struct bp_budget all = bp_budget_of ((size_t) 8 << 20);
  struct bp_budget s = bp_budget_share (&all, 4);
  ck_assert_uint_eq (s.limit, (size_t) 2 << 20);
  ck_assert_uint_eq (s.used, 0);
  /* A share is never below the least a table can work in.  */
  s = bp_budget_share (&all, 1000);
  ck_assert_uint_eq (s.limit, BP_BUDGET_MIN_SHARE);
  s = bp_budget_share (&none, 4);
  ck_assert_uint_eq (s.limit, 0);

  /* Without a limit nothing is ever over.  */
  bp_budget_reserve (&none, SIZE_MAX / 2);
  ck_assert (!bp_budget_over (&none, SIZE_MAX / 2));
  ck_assert_uint_eq (bp_budget_room (&none), SIZE_MAX);

  struct bp_budget b = bp_budget_of (1000);
  ck_assert (!bp_budget_over (&b, 1000));
  ck_assert (bp_budget_over (&b, 1001));
  ck_assert (bp_budget_over (&b, SIZE_MAX));
  bp_budget_reserve (&b, 600);
  ck_assert_uint_eq (bp_budget_room (&b), 400);
  ck_assert (!bp_budget_over (&b, 400));
  ck_assert (bp_budget_over (&b, 401));
  bp_budget_reserve (&b, 600);
  ck_assert_uint_eq (bp_budget_room (&b), 0);
  ck_assert (bp_budget_over (&b, 0));
  bp_budget_release (&b, 1000);
  ck_assert_uint_eq (b.used, 200);
  bp_budget_release (&b, 5000);
  ck_assert_uint_eq (b.used, 0);

  struct bp_budget sum = bp_budget_of (0);
  bp_budget_reserve (&b, 10);
  bp_budget_add (&sum, &b);
  bp_budget_add (&sum, &all);
  ck_assert_uint_eq (sum.limit, 1000 + ((size_t) 8 << 20));
  ck_assert_uint_eq (sum.used, 10);
}
END_TEST

static Suite *
budget_suite (void)
{
  Suite *s = suite_create ("budget");
  TCase *tc = tcase_create ("sizes");
  tcase_add_test (tc, test_parse);
  tcase_add_test (tc, test_memory);
  tcase_add_test (tc, test_shares);
  suite_add_tcase (s, tc);
  return s;
}

int
main (void)
{
  return test_main (budget_suite (), bp_budget_physical () == 0
                                     ? "the size of the memory is unknown"
                                     : NULL);
}
