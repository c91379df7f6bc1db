/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of src/lib/text/normalize: the stable-starter predicate against what
   libunistring's data and u8_normalize say, streaming NFC against NFC of
   the whole text, and the decimal digits.  */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>

#include "buf.h"
#include "normalize.h"

/* ck_assert reports every call to the parent process; the loops here
   check millions of things, so they use this until something fails.  */
#define CHECK(cond)                                                         \
  do                                                                        \
    if (!(cond))                                                            \
      ck_abort_msg ("%s:%d: %s", __FILE__, __LINE__, #cond);                \
  while (0)

#define MAX_CP 0x110000

/* The UTF-8 of CP appended to P; returns the new end.  */
static uint8_t *
put_cp (uint8_t *p, uint32_t cp)
{
  int n = u8_uctomb (p, cp, 4);
  CHECK (n > 0);
  return p + n;
}

/* NFC of the well-formed S (N bytes) into OUT (room for CAP); returns
   its length.  */
static size_t
nfc (const uint8_t *s, size_t n, uint8_t *out, size_t cap)
{
  size_t len = cap;
  uint8_t *r = u8_normalize (UNINORM_NFC, s, n, out, &len);
  CHECK (r != NULL);
  if (r != out)
    {
      CHECK (len <= cap);
      memcpy (out, r, len);
      free (r);
    }
  return len;
}

/* The second characters of canonical compositions that are starters:
   for every code point whose canonical decomposition has two characters
   and composes back, the second one if its combining class is 0.  */
static unsigned char *composing;

static void
find_composing (void)
{
  composing = calloc (MAX_CP, 1);
  CHECK (composing != NULL);
  for (uint32_t cp = 0; cp < MAX_CP; cp++)
    {
      ucs4_t dec[UC_DECOMPOSITION_MAX_LENGTH];
      if (cp >= 0xD800 && cp <= 0xDFFF)
        continue;
      if (uc_canonical_decomposition (cp, dec) != 2)
        continue;
      if (uc_composition (dec[0], dec[1]) != cp)
        continue;
      if (uc_combining_class (dec[1]) == 0)
        composing[dec[1]] = 1;
    }
}

/* A stable starter, from the definition in normalize.h: combining class
   0, left unchanged by NFC, never composing with what precedes it.  */
static int
expect_stable (uint32_t cp)
{
  if (cp >= 0xD800 && cp <= 0xDFFF)
    return 0;
  if (uc_combining_class (cp) != 0 || composing[cp])
    return 0;
  uint8_t in[4], out[64];
  size_t n = (size_t) (put_cp (in, cp) - in);
  size_t len = nfc (in, n, out, sizeof out);
  return len == n && memcmp (in, out, n) == 0;
}

START_TEST (test_composing_table)
{
  /* Every code point: the predicate is exactly the definition, so the
     table of composing starters in normalize.c is exactly the list
     computed above (an entry too many makes a stable character
     unstable, one too few the reverse).  */
  find_composing ();
  size_t ncomposing = 0;
  for (uint32_t cp = 0; cp < MAX_CP; cp++)
    {
      ncomposing += composing[cp];
      int got = bp_nfc_is_stable_starter (cp);
      int want = expect_stable (cp);
      if (got != want)
        ck_abort_msg ("U+%04X: stable starter %d, expected %d", (unsigned) cp,
                      got, want);
    }
  /* Sanity of the list itself: the Hangul vowels and trailing consonants
     (21 + 27) and the 24 others of Unicode 14.  */
  ck_assert_uint_eq (ncomposing, 21 + 27 + 24);
  ck_assert (composing[0x1161] && composing[0x11A8] && composing[0x0BBE]);
  ck_assert (!composing[0x0301] && !composing['a']);
  ck_assert (!bp_nfc_is_stable_starter (0x110000));
  ck_assert (!bp_nfc_is_stable_starter (0xFFFFFFFF));
  free (composing);
}
END_TEST

START_TEST (test_stable_in_context)
{
  /* For each stable starter S of some blocks where composition happens,
     NFC (X S Y) = NFC (X) NFC (S Y) for prefixes X that compose with
     something and suffixes Y that may combine: the property the
     streaming normaliser relies on.  */
  static const uint32_t blocks[][2] = {
    { 0x0000, 0x0500 }, { 0x0900, 0x0E00 }, { 0x1000, 0x1200 },
    { 0x1B00, 0x1B80 }, { 0x1E00, 0x2000 }, { 0x3040, 0x3100 },
    { 0xAC00, 0xAD00 }, { 0xD700, 0xD7B0 }, { 0xF900, 0xFB50 },
    { 0x11000, 0x11380 }, { 0x11480, 0x114E0 }, { 0x11580, 0x11600 },
    { 0x11900, 0x11960 }, { 0x1D150, 0x1D1F0 }, { 0x2F800, 0x2FA20 }
  };
  static const uint32_t prefixes[][3] = {
    { 0 }, { 'a' }, { 'e', 0x0301 }, { 0x1100 }, { 0xAC00 }, { 0x1100, 0x1161 },
    { 0x0B47 }, { 0x09C7 }, { 0x0BC6 }, { 0x0CC6 }, { 0x0D46 }, { 0x0DD9 },
    { 0x1025 }, { 0x1B05 }, { 0x11131 }, { 0x11347 }, { 0x114B9 },
    { 0x115B8 }, { 0x11935 }, { 0x0300 }, { 0x304B }, { 0x0F71 },
    { 'A', 0x0323 }
  };
  static const uint32_t suffixes[][3] = {
    { 0 }, { 0x0301 }, { 0x0323, 0x0301 }, { 0x1161 }, { 0x11A8 },
    { 0x3099 }, { 'b' }
  };
  size_t checked = 0;
  for (size_t b = 0; b < sizeof blocks / sizeof *blocks; b++)
    for (uint32_t cp = blocks[b][0]; cp < blocks[b][1]; cp++)
      {
        if (!bp_nfc_is_stable_starter (cp))
          continue;
        for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++)
          for (size_t j = 0; j < sizeof suffixes / sizeof *suffixes; j++)
            {
              uint8_t x[16], sy[16], xsy[32];
              uint8_t *px = x, *psy = sy;
              for (int k = 0; k < 3 && prefixes[i][k]; k++)
                px = put_cp (px, prefixes[i][k]);
              psy = put_cp (psy, cp);
              for (int k = 0; k < 3 && suffixes[j][k]; k++)
                psy = put_cp (psy, suffixes[j][k]);
              size_t nx = (size_t) (px - x), nsy = (size_t) (psy - sy);
              memcpy (xsy, x, nx);
              memcpy (xsy + nx, sy, nsy);
              uint8_t whole[128], parts[128];
              size_t nwhole = nfc (xsy, nx + nsy, whole, sizeof whole);
              size_t np = nx ? nfc (x, nx, parts, sizeof parts) : 0;
              np += nfc (sy, nsy, parts + np, sizeof parts - np);
              if (np != nwhole || memcmp (whole, parts, np) != 0)
                ck_abort_msg ("U+%04X is not stable after prefix %zu, "
                              "suffix %zu", (unsigned) cp, i, j);
              checked++;
            }
      }
  ck_assert_uint_gt (checked, 100000);
}
END_TEST

/* NFC as normalize.h defines it for any bytes: each maximal well-formed
   run normalised on its own, every other byte copied.  Appends to B.  */
static void
ref_nfc (struct bp_buf *b, const uint8_t *s, size_t n)
{
  size_t i = 0;
  while (i < n)
    {
      size_t j = i;
      int len;
      while (j < n && (len = u8_mblen (s + j, n - j)) != -1)
        j += len ? (size_t) len : 1;  /* u8_mblen gives 0 for NUL */
      if (j > i)
        {
          size_t olen;
          uint8_t *r = u8_normalize (UNINORM_NFC, s + i, j - i, NULL, &olen);
          CHECK (r != NULL);
          CHECK (bp_buf_append (b, r, olen) == 0);
          free (r);
        }
      if (j < n)
        CHECK (bp_buf_putc (b, s[j]) == 0);
      i = j + 1;
    }
}

/* Feed S to bp_nfc_append in two calls split at K, the first not at the
   end, and return the result in OUT.  */
static void
nfc_split (struct bp_buf *out, const uint8_t *s, size_t n, size_t k)
{
  size_t used = 99999;
  out->len = 0;
  CHECK (bp_nfc_append (out, s, k, 0, &used) == 0);
  CHECK (used <= k);
  size_t used2 = 99999;
  CHECK (bp_nfc_append (out, s + used, n - used, 1, &used2) == 0);
  CHECK (used2 == n - used);
}

/* Feed S one byte more at a time, passing again whatever was not
   consumed, as a reader of a stream does.  */
static void
nfc_trickle (struct bp_buf *out, const uint8_t *s, size_t n, size_t step)
{
  size_t start = 0;
  out->len = 0;
  for (size_t end = step; end < n; end += step)
    {
      size_t used;
      CHECK (bp_nfc_append (out, s + start, end - start, 0, &used) == 0);
      CHECK (used <= end - start);
      start += used;
    }
  size_t used;
  CHECK (bp_nfc_append (out, s + start, n - start, 1, &used) == 0);
  CHECK (used == n - start);
}

/* The same with bp_nfc_stream and a stretch of LONG bytes at most before
   it normalises a run at a time; a call that leaves the normaliser busy
   is made again with no more text, as the chunker does.  Each call must
   consume or write something.  */
static void
nfc_state_trickle (struct bp_buf *out, const uint8_t *s, size_t n,
                   size_t step, size_t long_segment)
{
  struct bp_nfc st = { 0 };
  size_t start = 0, end = 0;
  st.long_segment = long_segment;
  out->len = 0;
  do
    {
      end = end + step < n ? end + step : n;
      do
        {
          size_t used, before = out->len;
          CHECK (bp_nfc_stream (&st, out, s + start, end - start, end == n,
                                &used) == 0);
          CHECK (used <= end - start);
          CHECK (used > 0 || out->len > before || !bp_nfc_busy (&st));
          start += used;
        }
      while (bp_nfc_busy (&st));
    }
  while (end < n);
  CHECK (start == n);
  bp_nfc_free (&st);
}

static void
check_stream (const uint8_t *s, size_t n)
{
  struct bp_buf want = { 0 }, got = { 0 };
  ref_nfc (&want, s, n);
  for (size_t lim = 1; lim <= 9; lim += 4)
    for (size_t step = 1; step <= 7; step += 3)
      {
        nfc_state_trickle (&got, s, n, step, lim);
        if (got.len != want.len
            || (got.len && memcmp (got.data, want.data, got.len) != 0))
          ck_abort_msg ("stream with steps of %zu, runs past %zu bytes, "
                        "differs from NFC", step, lim);
      }
  for (size_t k = 0; k <= n; k++)
    {
      nfc_split (&got, s, n, k);
      if (got.len != want.len
          || (got.len && memcmp (got.data, want.data, got.len) != 0))
        ck_abort_msg ("split at %zu of %zu differs from NFC", k, n);
    }
  for (size_t step = 1; step <= 3; step++)
    {
      nfc_trickle (&got, s, n, step);
      CHECK (got.len == want.len);
      CHECK (got.len == 0 || memcmp (got.data, want.data, got.len) == 0);
    }
  bp_buf_free (&want);
  bp_buf_free (&got);
}

/* Pieces of text that NFC cares about, and bytes that are not UTF-8.  */
static const char *const units[] = {
  "a", "e", " ", "\n", "\xcc\x81", "\xcc\xa3", "\xcc\x80", "\xcc\x96",
  "\xc3\xa9", "\xe1\x84\x80", "\xe1\x85\xa1", "\xe1\x86\xa8", "\xea\xb0\x80",
  "\xe0\xad\x87", "\xe0\xac\xbe", "\xe0\xad\x97", "\xe1\x80\xa5",
  "\xe1\x80\xae", "\xe2\x84\xab", "\xef\xa4\x80", "\xcd\x84", "\xe4\xb8\xad",
  "\xe3\x81\x8b", "\xe3\x82\x99", "\xf0\x91\x8d\x87", "\xf0\x91\x8c\xbe",
  "\x80", "\xff", "\xe4\xb8", "\xf0\x9f\x98", "\xed\xa0\x80", "\xc0\xaf",
  "\xef\xac\xac", "\xd7\x99\xd6\xb4"
};

START_TEST (test_stream_fixed)
{
  static const char *const texts[] = {
    "",
    "e\xcc\x81",
    "e\x80\xcc\x81",
    "a\xcc\x81\xcc\xa3\xcc\x80\xcc\x96 x",
    "\xe1\x84\x80\xe1\x85\xa1\xe1\x86\xa8\xe1\x84\x80",
    "\xea\xb0\x80\xe1\x86\xa8",
    "\xe0\xad\x87\xe0\xac\xbe\xe0\xad\x87\xe0\xad\x97",
    "abc\xe4\xb8",
    "\xcc\x81start",
    "\xe2\x84\xab\xef\xa4\x80\xcd\x84",
    "x\xf0\x9f\x98\xcc\x81",
    "\xf0\x91\x8d\x87\xf0\x91\x8c\xbe\xf0\x91\x8d\x87\xf0\x91\x8d\x97",
    "plain ASCII and \xe4\xb8\xad\xe6\x96\x87 only, nothing to change"
  };
  for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
    check_stream ((const uint8_t *) texts[i], strlen (texts[i]));
  /* NUL is an ordinary byte.  */
  check_stream ((const uint8_t *) "e\0\xcc\x81\0", 5);
}
END_TEST

START_TEST (test_stream_random)
{
  uint64_t x = 0x9E3779B97F4A7C15u;
  uint8_t s[256];
  for (int t = 0; t < 3000; t++)
    {
      size_t n = 0;
      x ^= x << 13, x ^= x >> 7, x ^= x << 17;
      size_t k = x % 14;
      for (size_t i = 0; i < k; i++)
        {
          x ^= x << 13, x ^= x >> 7, x ^= x << 17;
          const char *u = units[x % (sizeof units / sizeof *units)];
          memcpy (s + n, u, strlen (u));
          n += strlen (u);
        }
      check_stream (s, n);
    }
}
END_TEST

/* A run of marks too long to hold twice: "a", 20000 acute accents, then
   a dot below, which NFC orders first, and composes with the a; written
   out a step at a time, while the text before and after it is copied.  */
START_TEST (test_stream_marks)
{
  struct bp_buf text = { 0 }, want = { 0 }, got = { 0 };
  CHECK (bp_buf_append (&text, "x\xe2\x84\xab a", 6) == 0);
  for (int i = 0; i < 20000; i++)
    CHECK (bp_buf_append (&text, "\xcc\x81", 2) == 0);
  CHECK (bp_buf_append (&text, "\xcc\xa3\xcc\x88" "b\n", 6) == 0);
  ref_nfc (&want, text.data, text.len);
  /* The dot below went first: U+1EA1 (a with dot below), then the
     acutes and the diaeresis (both class 230, in their order).  */
  CHECK (want.len > 12
         && memcmp (want.data, "x\xc3\x85 \xe1\xba\xa1", 7) == 0);
  for (size_t step = 1000; step <= 70000; step *= 7)
    {
      nfc_state_trickle (&got, text.data, text.len, step, 64);
      CHECK (got.len == want.len && memcmp (got.data, want.data,
                                            got.len) == 0);
    }
  /* All of it at once: the run comes out a step of about 1000 bytes at
     a time.  */
  struct bp_nfc st = { .long_segment = 1000 };
  size_t used, calls = 0, start = 0;
  got.len = 0;
  do
    {
      size_t before = got.len;
      CHECK (bp_nfc_stream (&st, &got, text.data + start, text.len - start,
                            1, &used) == 0);
      CHECK (got.len - before <= 1000 + 16);
      start += used;
      calls++;
    }
  while (bp_nfc_busy (&st));
  CHECK (start == text.len && calls > 40);
  CHECK (got.len == want.len && memcmp (got.data, want.data, got.len) == 0);
  bp_nfc_free (&st);
  bp_buf_free (&text);
  bp_buf_free (&want);
  bp_buf_free (&got);
}
END_TEST

START_TEST (test_stream_long)
{
  /* A long text fed in blocks of awkward sizes.  */
  struct bp_buf text = { 0 }, want = { 0 }, got = { 0 };
  uint64_t x = 12345;
  while (text.len < 300000)
    {
      x ^= x << 13, x ^= x >> 7, x ^= x << 17;
      const char *u = units[x % (sizeof units / sizeof *units)];
      CHECK (bp_buf_append (&text, u, strlen (u)) == 0);
    }
  ref_nfc (&want, text.data, text.len);
  static const size_t steps[] = { 4093, 65536, 100 };
  for (size_t i = 0; i < sizeof steps / sizeof *steps; i++)
    {
      nfc_trickle (&got, text.data, text.len, steps[i]);
      ck_assert_uint_eq (got.len, want.len);
      ck_assert_mem_eq (got.data, want.data, got.len);
    }
  /* Already NFC and all stable: copied as it is.  */
  const char *plain = "the quick \xe4\xb8\xad\xe6\x96\x87 fox\n";
  size_t used;
  got.len = 0;
  ck_assert_int_eq (bp_nfc_append (&got, (const uint8_t *) plain,
                                   strlen (plain), 1, &used), 0);
  ck_assert_uint_eq (used, strlen (plain));
  ck_assert_mem_eq (got.data, plain, used);
  bp_buf_free (&text);
  bp_buf_free (&want);
  bp_buf_free (&got);
}
END_TEST

START_TEST (test_consumed)
{
  /* Not at the end: a sequence cut short, and a starter that what comes
     next might combine with, are left for the next call.  */
  struct bp_buf out = { 0 };
  size_t used;
  ck_assert_int_eq (bp_nfc_append (&out, (const uint8_t *) "ab\xe4\xb8", 4,
                                   0, &used), 0);
  ck_assert_uint_le (used, 2);
  ck_assert_mem_eq (out.data, "ab", used);
  out.len = 0;
  ck_assert_int_eq (bp_nfc_append (&out, (const uint8_t *) "xe", 2, 0,
                                   &used), 0);
  ck_assert_uint_le (used, 1);
  out.len = 0;
  /* An invalid byte is final at once.  */
  ck_assert_int_eq (bp_nfc_append (&out, (const uint8_t *) "e\x80", 2, 0,
                                   &used), 0);
  ck_assert_uint_eq (used, 2);
  ck_assert_mem_eq (out.data, "e\x80", 2);
  out.len = 0;
  ck_assert_int_eq (bp_nfc_append (&out, (const uint8_t *) "", 0, 1, &used),
                    0);
  ck_assert_uint_eq (used, 0);
  ck_assert_uint_eq (out.len, 0);
  bp_buf_free (&out);
}
END_TEST

START_TEST (test_digits)
{
  static const uint32_t digits[] = {
    '0', '9', 0x0660, 0x06F5, 0x0966, 0x09EF, 0x0E50, 0x0F29, 0x1040,
    0xFF10, 0xFF19, 0x104A0, 0x1D7CE, 0x1D7FF, 0x1E950, 0x1FBF9
  };
  static const uint32_t others[] = {
    '/', ':', 'a', 0xB2, 0xB9, 0xBD, 0x2160, 0x2460, 0x3007, 0x4E00,
    0x5341, 0x0F2A, 0xFF21, 0x1D7CD, 0xD800, 0x110000
  };
  for (size_t i = 0; i < sizeof digits / sizeof *digits; i++)
    ck_assert_msg (bp_is_digit (digits[i]), "U+%04X", (unsigned) digits[i]);
  for (size_t i = 0; i < sizeof others / sizeof *others; i++)
    ck_assert_msg (!bp_is_digit (others[i]), "U+%04X", (unsigned) others[i]);
  /* Nd, what Python's \d matches, everywhere.  */
  size_t n = 0;
  for (uint32_t cp = 0; cp < MAX_CP; cp++)
    {
      int want = uc_is_general_category (cp, UC_CATEGORY_Nd);
      CHECK (bp_is_digit (cp) == want);
      n += want;
    }
  ck_assert_uint_eq (n, 660);  /* Unicode 14.0 has 660 Nd characters */
}
END_TEST

static Suite *
normalize_suite (void)
{
  Suite *s = suite_create ("normalize");
  TCase *tc = tcase_create ("stable starters");
  tcase_add_test (tc, test_composing_table);
  tcase_add_test (tc, test_stable_in_context);
  tcase_set_timeout (tc, 300);
  suite_add_tcase (s, tc);
  tc = tcase_create ("streaming");
  tcase_add_test (tc, test_stream_fixed);
  tcase_add_test (tc, test_stream_random);
  tcase_add_test (tc, test_stream_long);
  tcase_add_test (tc, test_stream_marks);
  tcase_add_test (tc, test_consumed);
  tcase_set_timeout (tc, 300);
  suite_add_tcase (s, tc);
  tc = tcase_create ("digits");
  tcase_add_test (tc, test_digits);
  tcase_set_timeout (tc, 120);
  suite_add_tcase (s, tc);
  return s;
}

int
main (void)
{
  SRunner *sr = srunner_create (normalize_suite ());
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
