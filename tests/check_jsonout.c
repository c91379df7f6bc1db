/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of src/lib/text/jsonout: documents written as JSON Lines.
   The form of each byte (Python's json.dumps for UTF-8 text, \udcXX for
   a byte outside it), nested paths, the same line however the text is
   cut into pieces, and the round trip through the --jsonl extractor
   (jsonl.h) for every byte, every pair of bytes and random text.  */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "jsonl.h"
#include "jsonout.h"
#include "jsonpath.h"

#define CHECK(cond)                                                         \
  do                                                                        \
    if (!(cond))                                                            \
      ck_abort_msg ("%s:%d: %s", __FILE__, __LINE__, #cond);                \
  while (0)

/* The line for TEXT (N bytes) under KEY, written in pieces of PIECE
   bytes (0: in one), into OUT (emptied first).  */
static void
write_doc (const char *key, const uint8_t *text, size_t n, size_t piece,
           struct bp_buf *out)
{
  struct bp_jsonpath path;
  struct bp_jsonout w;
  CHECK (bp_jsonpath_parse (key, &path, NULL) == 0);
  bp_jsonout_init (&w, &path);
  out->len = 0;
  for (size_t at = 0; at < n;)
    {
      size_t k = piece && piece < n - at ? piece : n - at;
      CHECK (bp_jsonout_text (&w, text + at, k, out) == 0);
      CHECK (w.npend <= 3);
      at += k;
    }
  CHECK (bp_jsonout_end (&w, out) == 0);
  bp_jsonpath_free (&path);
}

/* TEXT (N bytes) under KEY is the line WANT, written in one piece and in
   pieces of every size.  */
static void
line_is (const char *key, const void *text, size_t n, const char *want)
{
  struct bp_buf out = { 0 };
  for (size_t piece = 0; piece <= n; piece++)
    {
      write_doc (key, text, n, piece, &out);
      if (out.len != strlen (want) || memcmp (out.data, want, out.len))
        ck_abort_msg ("pieces of %zu: got '%.*s', not '%s'", piece,
                      (int) out.len, out.data, want);
    }
  bp_buf_free (&out);
}

#define LINE(key, text, want) line_is (key, text, sizeof text - 1, want)

/* TEXT (N bytes) comes back from its line through the extractor.  */
static void
round_trip (const uint8_t *text, size_t n, size_t piece)
{
  struct bp_buf out = { 0 }, back = { 0 };
  write_doc ("text", text, n, piece, &out);
  CHECK (out.len > 0 && out.data[out.len - 1] == '\n');
  /* The line is printable: no control character but its LF.  */
  for (size_t i = 0; i + 1 < out.len; i++)
    CHECK (out.data[i] >= 0x20);
  struct bp_error err = { 0 };
  int rc = bp_jsonl_extract (out.data, out.len - 1, "text", &back, &err);
  if (rc != 1)
    ck_abort_msg ("line '%.*s' not read back: %s", (int) out.len, out.data,
                  err.detail);
  CHECK (back.len == n);
  CHECK (n == 0 || memcmp (back.data, text, n) == 0);
  bp_buf_free (&out);
  bp_buf_free (&back);
}

START_TEST (test_forms)
{
  LINE ("text", "", "{\"text\":\"\"}\n");
  LINE ("text", "Hello, world!", "{\"text\":\"Hello, world!\"}\n");
  LINE ("text", "a\"b\\c/d", "{\"text\":\"a\\\"b\\\\c/d\"}\n");
  LINE ("text", "\b\f\n\r\t\001\037\177",
        "{\"text\":\"\\b\\f\\n\\r\\t\\u0001\\u001f\177\"}\n");
  /* A NUL is a byte like any other.  */
  line_is ("text", "a\0b", 3, "{\"text\":\"a\\u0000b\"}\n");
  /* Well-formed UTF-8 as it is, U+2028 too.  */
  LINE ("text", "\xe4\xb8\xad\xc3\xa9\xf0\x9f\x98\x80\xe2\x80\xa8",
        "{\"text\":\"\xe4\xb8\xad\xc3\xa9\xf0\x9f\x98\x80\xe2\x80\xa8\"}\n");
  /* Bytes outside it as lone surrogates: lone continuation bytes, a
     sequence cut short (at the end too), an overlong form, a surrogate's
     encoding, bytes that never occur.  */
  LINE ("text", "\x80\xbf", "{\"text\":\"\\udc80\\udcbf\"}\n");
  LINE ("text", "\xe4\xb8" "a\xe4\xb8",
        "{\"text\":\"\\udce4\\udcb8a\\udce4\\udcb8\"}\n");
  LINE ("text", "\xc0\xaf", "{\"text\":\"\\udcc0\\udcaf\"}\n");
  LINE ("text", "\xed\xa0\x80", "{\"text\":\"\\udced\\udca0\\udc80\"}\n");
  LINE ("text", "\xf5\xff\xfe", "{\"text\":\"\\udcf5\\udcff\\udcfe\"}\n");
  LINE ("text", "\xf0\x9f\x98", "{\"text\":\"\\udcf0\\udc9f\\udc98\"}\n");
  LINE ("text", "\xf0\x9f\x98" "\xf0\x9f\x98\x80",
        "{\"text\":\"\\udcf0\\udc9f\\udc98\xf0\x9f\x98\x80\"}\n");
}
END_TEST

START_TEST (test_paths)
{
  LINE ("meta.content", "x", "{\"meta\":{\"content\":\"x\"}}\n");
  LINE ("a.b.c", "", "{\"a\":{\"b\":{\"c\":\"\"}}}\n");
  LINE ("", "x", "{\"\":\"x\"}\n");
  LINE ("a\\.b", "x", "{\"a.b\":\"x\"}\n");
  LINE ("a\"b\\\\c", "x", "{\"a\\\"b\\\\c\":\"x\"}\n");
  /* Several documents with one writer.  */
  struct bp_jsonpath path;
  struct bp_jsonout w;
  struct bp_buf out = { 0 };
  CHECK (bp_jsonpath_parse ("t", &path, NULL) == 0);
  bp_jsonout_init (&w, &path);
  CHECK (bp_jsonout_text (&w, "a\xe4", 2, &out) == 0);
  CHECK (bp_jsonout_end (&w, &out) == 0);
  CHECK (bp_jsonout_end (&w, &out) == 0);
  CHECK (bp_jsonout_text (&w, "\xb8\xad", 2, &out) == 0);
  CHECK (bp_jsonout_end (&w, &out) == 0);
  static const char want[] = "{\"t\":\"a\\udce4\"}\n{\"t\":\"\"}\n"
                             "{\"t\":\"\\udcb8\\udcad\"}\n";
  ck_assert_uint_eq (out.len, sizeof want - 1);
  ck_assert_mem_eq (out.data, want, out.len);
  bp_buf_free (&out);
  bp_jsonpath_free (&path);
}
END_TEST

START_TEST (test_every_byte)
{
  /* Every byte, every pair of bytes, every byte between two others that
     make it part of a sequence or not: back as they were, whatever the
     pieces.  */
  uint8_t t[4];
  for (int a = 0; a < 256; a++)
    {
      t[0] = (uint8_t) a;
      round_trip (t, 1, 0);
      for (int b = 0; b < 256; b++)
        {
          t[1] = (uint8_t) b;
          round_trip (t, 2, 0);
          round_trip (t, 2, 1);
        }
    }
  static const uint8_t leads[] = { 0xc3, 0xe4, 0xed, 0xf0, 0xf4, 'a' };
  for (size_t l = 0; l < sizeof leads; l++)
    for (int b = 0; b < 256; b++)
      {
        t[0] = leads[l];
        t[1] = (uint8_t) b;
        t[2] = 0x80;
        t[3] = 0xbf;
        for (size_t piece = 0; piece <= 4; piece++)
          round_trip (t, 4, piece);
      }
}
END_TEST

START_TEST (test_random)
{
  /* Random text from pieces likely to interact: the same line however
     it is cut, and back as it was.  */
  static const char *const parts[] = {
    "a", "\"", "\\", "\n", "\x01", "\x7f", "\xe4\xb8\xad", "\xe4", "\xb8",
    "\xf0\x9f", "\x98\x80", "\xff", "\xed\xa0\x80", "\xc3\xa9", " ",
  };
  unsigned seed = 7;
  struct bp_buf text = { 0 }, whole = { 0 }, cut = { 0 };
  for (int t = 0; t < 2000; t++)
    {
      text.len = 0;
      for (int i = rand_r (&seed) % 20; i > 0; i--)
        {
          const char *p = parts[rand_r (&seed) % (sizeof parts / sizeof *parts)];
          CHECK (bp_buf_append (&text, p, strlen (p)) == 0);
        }
      write_doc ("x.y", text.data, text.len, 0, &whole);
      size_t piece = 1 + (size_t) rand_r (&seed) % 5;
      write_doc ("x.y", text.data, text.len, piece, &cut);
      CHECK (whole.len == cut.len && memcmp (whole.data, cut.data, cut.len) == 0);
      round_trip (text.data, text.len, piece);
    }
  bp_buf_free (&text);
  bp_buf_free (&whole);
  bp_buf_free (&cut);
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("jsonout");
  TCase *tc = tcase_create ("lines");
  tcase_add_test (tc, test_forms);
  tcase_add_test (tc, test_paths);
  tcase_add_test (tc, test_every_byte);
  tcase_add_test (tc, test_random);
  tcase_set_timeout (tc, 120);
  suite_add_tcase (s, tc);
  SRunner *sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
