/* Unit tests of src/lib/strcount.c: counting byte strings against naive
   counting, tables combined, overflow.  */
#include <config.h>

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "counts.h"
#include "error.h"
#include "strcount.h"
#include "testcounts.h"

START_TEST (test_strcount)
{
  struct bp_strcount *t = bp_strcount_new (), *t2 = bp_strcount_new ();
  struct naive nv = { 0 };
  uint8_t buf[80];
  ck_assert_ptr_nonnull (t);
  for (int i = 0; i < 20000; i++)
    {
      size_t len = 1 + rnd () % (i % 10 ? 3 : 80);
      for (size_t j = 0; j < len; j++)
        buf[j] = rnd_byte ();
      ck_assert_int_eq (bp_strcount_add (i % 3 ? t : t2, buf, len, 1), 0);
      naive_add (&nv, buf, len);
    }
  ck_assert_int_eq (bp_strcount_absorb (t, t2), 0);
  ck_assert_uint_eq (bp_strcount_size (t2), 0);

  struct memout m;
  struct bp_error err = { 0 };
  struct bp_counts_header h = { BP_COUNTS_PIECES, 6, 8, 0, 1, 1, 0 };
  memout_open (&m);
  ck_assert_int_eq (bp_strcount_write (t, &h, m.f, &err), 0);
  memout_close (&m);
  size_t wlen;
  char *want = naive_text (&nv, "#bytepiece-counts 1 kind=pieces order=6 "
                           "min_count=8 ensure_unicode=1 normalize=nfc "
                           "isolate_digits=0\n", &wlen);
  ck_assert_uint_eq (m.len, wlen);
  ck_assert_mem_eq (m.data, want, wlen);

  /* Counts add, and overflow is caught.  */
  ck_assert_int_eq (bp_strcount_add (t2, (const uint8_t *) "\0", 1,
                                     UINT64_MAX), 0);
  ck_assert_int_eq (bp_strcount_add (t2, (const uint8_t *) "\0", 1, 1),
                    BP_ERANGE);
  free (want);
  free (m.data);
  bp_strcount_free (t);
  bp_strcount_free (t2);
}
END_TEST

static Suite *
strcount_suite (void)
{
  Suite *s = suite_create ("strcount");
  TCase *tc = tcase_create ("counting");
  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_strcount);
  suite_add_tcase (s, tc);
  return s;
}

int
main (void)
{
  SRunner *sr = srunner_create (strcount_suite ());
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
