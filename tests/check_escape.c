/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of src/lib/base/escape: the byte escaping of DESIGN.md section 2,
   checked against an escaper written here from the rules, with
   libunistring's u8_mblen deciding what is well-formed UTF-8.  */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistr.h>

#include "buf.h"
#include "escape.h"

/* check's ck_assert reports each call to the parent process through a
   pipe; the loops below make millions of checks, so they use these,
   which cost nothing until one fails.  */
#define CHECK(cond)                                                         \
  do                                                                        \
    if (!(cond))                                                            \
      ck_abort_msg ("%s:%d: %s", __FILE__, __LINE__, #cond);                \
  while (0)
#define CHECK_MEM(a, b, n) CHECK (memcmp ((a), (b), (n)) == 0)

/* The escaping of SRC as DESIGN.md states it, written independently of
   escape.c: ASCII by its own rules, a well-formed sequence literally,
   any other byte as \xhh.  Returns the length written to DST.  */
static size_t
ref_escape (const uint8_t *src, size_t n, char *dst, int space)
{
  static const char hex[] = "0123456789abcdef";
  size_t o = 0;
  for (size_t i = 0; i < n;)
    {
      uint8_t c = src[i];
      if (c < 0x80)
        {
          if (c == '\\')
            o += (size_t) sprintf (dst + o, "\\\\");
          else if (c == '\t')
            o += (size_t) sprintf (dst + o, "\\t");
          else if (c == '\n')
            o += (size_t) sprintf (dst + o, "\\n");
          else if (c == '\r')
            o += (size_t) sprintf (dst + o, "\\r");
          else if (c < 0x20 || c == 0x7f || (space && c == ' '))
            o += (size_t) sprintf (dst + o, "\\x%c%c", hex[c >> 4],
                                   hex[c & 15]);
          else
            dst[o++] = (char) c;
          i++;
          continue;
        }
      int len = u8_mblen (src + i, n - i);
      if (len > 0)
        {
          memcpy (dst + o, src + i, (size_t) len);
          o += (size_t) len;
          i += (size_t) len;
        }
      else
        {
          o += (size_t) sprintf (dst + o, "\\x%c%c", hex[c >> 4], hex[c & 15]);
          i++;
        }
    }
  return o;
}

/* Escape SRC both ways (with and without escaping the space), compare
   with the reference, check the promises of escape.h, and unescape it
   back.  */
static void
check_bytes (const uint8_t *src, size_t n)
{
  char *got = malloc (BP_ESCAPE_MAX (n) + 1);
  char *want = malloc (BP_ESCAPE_MAX (n) + 8);
  uint8_t *back = malloc (n + 1);
  CHECK (got && want && back);

  for (int space = 0; space <= 1; space++)
    {
      size_t glen = bp_escape (src, n, got, space);
      size_t wlen = ref_escape (src, n, want, space);
      CHECK (glen <= BP_ESCAPE_MAX (n));
      CHECK (glen == wlen);
      CHECK_MEM (got, want, glen);
      /* No TAB, LF, CR or other control in a field; no space if asked.  */
      for (size_t i = 0; i < glen; i++)
        {
          uint8_t c = (uint8_t) got[i];
          CHECK (c >= 0x20 && c != 0x7f);
          CHECK (!(space && c == ' '));
        }
      size_t bad = 12345;
      long blen = bp_unescape (got, glen, back, &bad);
      CHECK (blen == (long) n);
      CHECK_MEM (back, src, n);
      CHECK (bad == 12345);
      CHECK (bp_escape_is_canonical (got, glen)
             == (!space || memchr (src, ' ', n) == NULL));
    }
  free (got);
  free (want);
  free (back);
}

START_TEST (test_single_bytes)
{
  /* Every byte alone: the exact escape, then generic checks.  */
  for (int c = 0; c < 256; c++)
    {
      uint8_t b = (uint8_t) c;
      char out[8], exp[8];
      size_t len = bp_escape (&b, 1, out, 0);
      if (c == '\\')
        strcpy (exp, "\\\\");
      else if (c == '\t')
        strcpy (exp, "\\t");
      else if (c == '\n')
        strcpy (exp, "\\n");
      else if (c == '\r')
        strcpy (exp, "\\r");
      else if (c < 0x20 || c >= 0x7f)
        sprintf (exp, "\\x%02x", (unsigned) c);
      else
        {
          exp[0] = (char) c;
          exp[1] = '\0';
        }
      ck_assert_uint_eq (len, strlen (exp));
      ck_assert_mem_eq (out, exp, len);
      check_bytes (&b, 1);
    }
  uint8_t sp = ' ';
  char out[8];
  ck_assert_uint_eq (bp_escape (&sp, 1, out, 1), 4);
  ck_assert_mem_eq (out, "\\x20", 4);
}
END_TEST

START_TEST (test_all_pairs)
{
  /* Every two-byte string: covers each lead byte with each second byte,
     so every 2-byte sequence, overlongs C0/C1 and cut 3-/4-byte ones.  */
  for (int a = 0; a < 256; a++)
    for (int b = 0; b < 256; b++)
      {
        uint8_t s[2] = { (uint8_t) a, (uint8_t) b };
        check_bytes (s, 2);
      }
}
END_TEST

START_TEST (test_three_and_four)
{
  /* Each lead byte E0..FF with every second byte and a continuation
     (or not) after it: the Table 3-7 ranges E0 A0, ED 9F, F0 90, F4 8F
     and their invalid neighbours, surrogates ED A0 80, F5 and above.  */
  static const uint8_t thirds[] = { 0x80, 0xBF, 0x41, 0xC0, 0xFF };
  for (int a = 0xE0; a < 0x100; a++)
    for (int b = 0; b < 256; b++)
      for (size_t k = 0; k < sizeof thirds; k++)
        {
          uint8_t s[5] = { (uint8_t) a, (uint8_t) b, thirds[k], 0x80, 'z' };
          check_bytes (s, 3);
          check_bytes (s, 4);
          check_bytes (s, 5);
        }
}
END_TEST

START_TEST (test_random)
{
  /* Random strings over an alphabet of lead, continuation, ASCII and
     special bytes, where well-formed sequences are common.  */
  static const uint8_t alphabet[] = {
    0x00, '\t', '\n', '\r', ' ', '\\', 'x', 'a', 0x7f, 0x80, 0x8f, 0x90,
    0x9f, 0xa0, 0xbf, 0xc0, 0xc2, 0xdf, 0xe0, 0xe4, 0xed, 0xef, 0xf0,
    0xf4, 0xf5, 0xff
  };
  uint64_t x = 88172645463325252u;
  for (int t = 0; t < 200000; t++)
    {
      uint8_t s[16];
      x ^= x << 13, x ^= x >> 7, x ^= x << 17;
      size_t n = x % 17;
      for (size_t i = 0; i < n; i++)
        {
          x ^= x << 13, x ^= x >> 7, x ^= x << 17;
          s[i] = alphabet[x % sizeof alphabet];
        }
      check_bytes (s, n);
    }
}
END_TEST

START_TEST (test_readable)
{
  /* Chinese and English stay as they are.  */
  const char *s = "中文 and English, \xe2\x82\xac 5";
  char out[64];
  size_t len = bp_escape ((const uint8_t *) s, strlen (s), out, 0);
  ck_assert_uint_eq (len, strlen (s));
  ck_assert_mem_eq (out, s, len);
  check_bytes ((const uint8_t *) s, strlen (s));
  /* A whole valid 4-byte sequence, then the same cut short.  */
  const uint8_t emoji[] = { 0xf0, 0x9f, 0x98, 0x80 };
  len = bp_escape (emoji, 4, out, 0);
  ck_assert_uint_eq (len, 4);
  len = bp_escape (emoji, 3, out, 0);
  ck_assert_uint_eq (len, 12);
  ck_assert_mem_eq (out, "\\xf0\\x9f\\x98", 12);
  /* Empty input.  */
  ck_assert_uint_eq (bp_escape (emoji, 0, out, 0), 0);
  ck_assert_int_eq (bp_unescape ("", 0, (uint8_t *) out, NULL), 0);
  ck_assert (bp_escape_is_canonical ("", 0));
}
END_TEST

START_TEST (test_unescape_accepts)
{
  /* \xhh in either case, for any byte, even where the canonical form
     would not use it; NUL and other bytes literally.  */
  uint8_t out[32];
  ck_assert_int_eq (bp_unescape ("\\xFF\\xfF\\x41\\x0a", 16, out, NULL), 4);
  ck_assert_mem_eq (out, "\xff\xff\x41\x0a", 4);
  ck_assert_int_eq (bp_unescape ("a\0b\\\\\\t\\n\\r", 11, out, NULL), 7);
  ck_assert_mem_eq (out, "a\0b\\\t\n\r", 7);
  /* Accepted, but not canonical.  */
  ck_assert (!bp_escape_is_canonical ("\\xFF", 4));
  ck_assert (bp_escape_is_canonical ("\\xff", 4));
  ck_assert (!bp_escape_is_canonical ("\\x41", 4));
  ck_assert (!bp_escape_is_canonical ("\\x0a", 4));
  ck_assert (bp_escape_is_canonical ("\\n", 2));
  ck_assert (!bp_escape_is_canonical ("\\xe4\\xb8\\xad", 12));
  ck_assert (bp_escape_is_canonical ("\xe4\xb8\xad", 3));
  ck_assert (!bp_escape_is_canonical ("\xe4\xb8", 2));
  ck_assert (bp_escape_is_canonical ("\\xe4\\xb8", 8));
  ck_assert (!bp_escape_is_canonical ("a\tb", 3));
  ck_assert (!bp_escape_is_canonical ("\\x20", 4));
  ck_assert (bp_escape_is_canonical (" ", 1));
  ck_assert (!bp_escape_is_canonical ("\\q", 2));
  /* A long key takes the allocating path.  */
  char longkey[1000];
  memset (longkey, 'k', sizeof longkey);
  ck_assert (bp_escape_is_canonical (longkey, sizeof longkey));
  longkey[999] = '\\';
  ck_assert (!bp_escape_is_canonical (longkey, sizeof longkey));
}
END_TEST

START_TEST (test_unescape_rejects)
{
  static const struct
  {
    const char *s;
    size_t bad;
  } cases[] = {
    { "\\", 0 }, { "ab\\", 2 }, { "\\x", 0 }, { "\\x4", 0 }, { "a\\xg0", 1 },
    { "\\x0g", 0 }, { "\\q", 0 }, { "ok\\\\\\X41", 4 }, { "\\0", 0 },
    { "\\u0041", 0 }, { "\\xe4\\xb8\\x", 8 }
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
    {
      uint8_t out[32];
      size_t bad = 999;
      ck_assert_msg (bp_unescape (cases[i].s, strlen (cases[i].s), out, &bad)
                     == -1, "accepted %s", cases[i].s);
      ck_assert_uint_eq (bad, cases[i].bad);
      ck_assert_int_eq (bp_unescape (cases[i].s, strlen (cases[i].s), out,
                                     NULL), -1);
    }
}
END_TEST

START_TEST (test_append)
{
  struct bp_buf b = { 0 };
  ck_assert_int_eq (bp_escape_append (&b, (const uint8_t *) "a b", 3, 1), 0);
  ck_assert_int_eq (bp_escape_append (&b, (const uint8_t *) "\xff\n", 2, 0),
                    0);
  ck_assert_uint_eq (b.len, 12);
  ck_assert_mem_eq (b.data, "a\\x20b\\xff\\n", 12);
  bp_buf_free (&b);
}
END_TEST

static Suite *
escape_suite (void)
{
  Suite *s = suite_create ("escape");
  TCase *tc = tcase_create ("bytes");
  tcase_add_test (tc, test_single_bytes);
  tcase_add_test (tc, test_all_pairs);
  tcase_add_test (tc, test_three_and_four);
  tcase_add_test (tc, test_random);
  tcase_add_test (tc, test_readable);
  tcase_set_timeout (tc, 120);
  suite_add_tcase (s, tc);
  tc = tcase_create ("unescape");
  tcase_add_test (tc, test_unescape_accepts);
  tcase_add_test (tc, test_unescape_rejects);
  tcase_add_test (tc, test_append);
  suite_add_tcase (s, tc);
  return s;
}

int
main (void)
{
  SRunner *sr = srunner_create (escape_suite ());
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
