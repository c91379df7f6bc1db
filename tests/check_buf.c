/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of src/lib/base/buf.c: the byte buffer keeps what is
   appended, in order, with NUL as an ordinary byte; an array grows to
   the room asked, doubling from its first size, and a size that does not
   fit is refused with the array left as it was.  */
#include <config.h>

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"

START_TEST (test_buf)
{
  struct bp_buf b = { 0 };
  ck_assert_int_eq (bp_buf_append (&b, "", 0), 0);
  ck_assert_uint_eq (b.len, 0);
  for (int i = 0; i < 1000; i++)
    {
      uint8_t c = (uint8_t) (i % 7);   /* NUL among them */
      ck_assert_int_eq (bp_buf_putc (&b, c), 0);
    }
  ck_assert_int_eq (bp_buf_append (&b, "tail", 4), 0);
  ck_assert_uint_eq (b.len, 1004);
  ck_assert_uint_ge (b.cap, b.len);
  for (int i = 0; i < 1000; i++)
    ck_assert_uint_eq (b.data[i], (uint8_t) (i % 7));
  ck_assert (memcmp (b.data + 1000, "tail", 4) == 0);
  bp_buf_consume (&b, 998);
  ck_assert_uint_eq (b.len, 6);
  ck_assert_uint_eq (b.data[0], 998 % 7);
  ck_assert (memcmp (b.data + 2, "tail", 4) == 0);
  bp_buf_consume (&b, 100);
  ck_assert_uint_eq (b.len, 0);
  /* LEN + EXTRA past SIZE_MAX.  */
  ck_assert_int_eq (bp_buf_grow (&b, SIZE_MAX), BP_ENOMEM);
  bp_buf_free (&b);
  ck_assert_ptr_null (b.data);
  ck_assert_uint_eq (b.cap, 0);
}
END_TEST

struct pair
{
  uint64_t a, b;
};

START_TEST (test_array)
{
  struct pair *v = NULL;
  size_t cap = 0, n = 0;
  /* Room asked one more at a time: it doubles from the first size.  */
  for (uint64_t i = 0; i < 100; i++)
    {
      size_t before = cap;
      ck_assert_int_eq (BP_ARRAY_RESERVE (v, cap, n + 1, 16), 0);
      ck_assert_uint_ge (cap, n + 1);
      if (before == 0)
        ck_assert_uint_eq (cap, 16);
      else if (cap != before)
        ck_assert_uint_eq (cap, 2 * before);
      v[n++] = (struct pair) { i, ~i };
    }
  ck_assert_uint_eq (cap, 128);
  /* Room for more than twice at once: exactly what is asked, at least.  */
  ck_assert_int_eq (BP_ARRAY_RESERVE (v, cap, 1000, 16), 0);
  ck_assert_uint_ge (cap, 1000);
  for (uint64_t i = 0; i < 100; i++)
    ck_assert (v[i].a == i && v[i].b == ~i);

  /* A size past SIZE_MAX: refused, the array and its room unchanged.  */
  struct pair *keep = v;
  size_t keep_cap = cap;
  ck_assert_int_eq (BP_ARRAY_RESERVE (v, cap, SIZE_MAX / 2, 16), BP_ENOMEM);
  ck_assert_ptr_eq (v, keep);
  ck_assert_uint_eq (cap, keep_cap);
  ck_assert (v[99].a == 99);
  /* Room already there: nothing moves.  */
  ck_assert_int_eq (BP_ARRAY_RESERVE (v, cap, 10, 16), 0);
  ck_assert_ptr_eq (v, keep);
  free (v);

  /* A first size of 0 still grows.  */
  char *c = NULL;
  size_t ccap = 0;
  ck_assert_int_eq (BP_ARRAY_RESERVE (c, ccap, 3, 0), 0);
  ck_assert_uint_ge (ccap, 3);
  memcpy (c, "abc", 3);
  free (c);
}
END_TEST

static Suite *
buf_suite (void)
{
  Suite *s = suite_create ("buf");
  TCase *tc = tcase_create ("buf");
  tcase_add_test (tc, test_buf);
  tcase_add_test (tc, test_array);
  suite_add_tcase (s, tc);
  return s;
}

int
main (void)
{
  SRunner *sr = srunner_create (buf_suite ());
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
