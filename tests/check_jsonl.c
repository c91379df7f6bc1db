/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of src/lib/text/jsonl: the streaming extractor of --jsonl
   documents.  Every line is fed whole, in pieces of every size, and cut
   once at every byte: the result, the text and the message must be the
   same however the line arrives.  The lines cover what JSON allows
   (numbers of any size, NUL in names, deep nesting, every escape and
   surrogate), what it does not, member paths and duplicate names.  */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "jsonl.h"
#include "jsonpath.h"

/* Cheap checks for the loops (ck_assert talks to the parent process on
   every call).  */
#define CHECK(cond)                                                         \
  do                                                                        \
    if (!(cond))                                                            \
      ck_abort_msg ("%s:%d: %s", __FILE__, __LINE__, #cond);                \
  while (0)

/* What one feeding of a line gave.  */
struct got
{
  enum bp_jsonl_result res;
  struct bp_buf text;
  char msg[256];
};

/* Feed LINE (LEN bytes) to J in the pieces that CUTS (NCUTS sorted
   offsets) make.  */
static void
feed (struct bp_jsonl *j, const char *line, size_t len, const size_t *cuts,
      size_t ncuts, struct got *g)
{
  struct bp_error err = { 0 };
  size_t at = 0;
  int stopped = 0;

  bp_jsonl_start (j);
  g->text.len = 0;
  g->msg[0] = '\0';
  for (size_t c = 0; c <= ncuts && !stopped; c++)
    {
      size_t to = c < ncuts ? cuts[c] : len;
      int rc = bp_jsonl_feed (j, line + at, to - at, &g->text, &err);
      CHECK (rc == 0 || rc == BP_EFORMAT);
      /* The text is never longer than what was fed.  */
      CHECK (g->text.len <= to);
      /* What was appended is the member's text only.  */
      CHECK (g->text.len == 0 || bp_jsonl_found (j));
      if (rc == BP_EFORMAT)
        stopped = 1;
      at = to;
    }
  memset (&err, 0, sizeof err);
  g->res = bp_jsonl_end (j, &err);
  if (g->res == BP_JSONL_NO_TEXT || g->res == BP_JSONL_INVALID)
    {
      CHECK (err.code == BP_EFORMAT);
      snprintf (g->msg, sizeof g->msg, "%s", err.detail);
    }
  else
    CHECK (err.code == 0);
}

static void
same (const struct got *a, const struct got *b, const char *line)
{
  if (a->res != b->res || strcmp (a->msg, b->msg)
      || (a->res == BP_JSONL_TEXT
          && (a->text.len != b->text.len
              || (a->text.len
                  && memcmp (a->text.data, b->text.data, a->text.len)))))
    ck_abort_msg ("pieces change the result of '%s': %d '%s' vs %d '%s'",
                  line, a->res, a->msg, b->res, b->msg);
}

/* Run LINE through the extractor for KEY whole, in pieces of every size
   and cut once at every byte; check each way gives the same; return the
   whole-line result in *G.  */
static void
run (const char *key, const char *line, size_t len, struct got *g)
{
  struct bp_jsonpath path;
  ck_assert_int_eq (bp_jsonpath_parse (key, &path, NULL), 0);
  struct bp_jsonl *j = bp_jsonl_new (&path);
  ck_assert_ptr_nonnull (j);
  feed (j, line, len, NULL, 0, g);

  struct got o = { 0 };
  size_t *cuts = malloc ((len + 1) * sizeof *cuts);
  ck_assert_ptr_nonnull (cuts);
  for (size_t piece = 1; piece < len; piece++)
    {
      size_t n = 0;
      for (size_t at = piece; at < len; at += piece)
        cuts[n++] = at;
      feed (j, line, len, cuts, n, &o);
      same (g, &o, line);
    }
  for (size_t at = 0; at <= len; at++)
    {
      feed (j, line, len, &at, 1, &o);
      same (g, &o, line);
    }
  /* Empty pieces change nothing either.  */
  for (size_t at = 0; at <= len; at++)
    cuts[at] = at;
  feed (j, line, len, cuts, len + 1, &o);
  same (g, &o, line);

  /* The one-call form agrees.  */
  struct bp_buf t = { 0 };
  int rc = bp_jsonl_extract (line, len, key, &t, NULL);
  ck_assert_int_eq (rc, g->res == BP_JSONL_TEXT    ? 1
                        : g->res == BP_JSONL_BLANK ? 0
                                                   : BP_EFORMAT);
  ck_assert_uint_eq (t.len, rc == 1 ? g->text.len : 0);

  bp_buf_free (&t);
  bp_buf_free (&o.text);
  free (cuts);
  bp_jsonl_free (j);
  bp_jsonpath_free (&path);
}

/* LINE gives the document TEXT (TLEN bytes).  */
static void
text_is (const char *key, const char *line, size_t len, const char *text,
         size_t tlen)
{
  struct got g = { 0 };
  run (key, line, len, &g);
  if (g.res != BP_JSONL_TEXT)
    ck_abort_msg ("'%s' is not a document: %s", line, g.msg);
  ck_assert_uint_eq (g.text.len, tlen);
  if (tlen)
    ck_assert_mem_eq (g.text.data, text, tlen);
  bp_buf_free (&g.text);
}

#define TEXT(key, line, text)                                               \
  text_is (key, line, sizeof line - 1, text, sizeof text - 1)

/* LINE gives RES, with the message MSG (NULL: any).  */
static void
result_is (const char *key, const char *line, size_t len,
           enum bp_jsonl_result res, const char *msg)
{
  struct got g = { 0 };
  run (key, line, len, &g);
  if (g.res != res)
    ck_abort_msg ("'%s': result %d, not %d (%s)", line, g.res, res, g.msg);
  if (msg)
    ck_assert_str_eq (g.msg, msg);
  bp_buf_free (&g.text);
}

#define INVALID(line) result_is ("text", line, sizeof line - 1,            \
                                 BP_JSONL_INVALID, NULL)
#define NO_TEXT(key, line, msg) result_is (key, line, sizeof line - 1,     \
                                           BP_JSONL_NO_TEXT, msg)

START_TEST (test_documents)
{
  TEXT ("text", "{\"text\":\"abc\"}", "abc");
  TEXT ("text", "  {\"text\" : \"a\" , \"n\" : 1 }  \r", "a");
  TEXT ("text", "{\"text\":\"\"}", "");
  TEXT ("text", "{\"n\":[1,{\"text\":\"no\"}],\"text\":\"yes\",\"m\":{}}",
        "yes");
  /* Raw bytes are taken as they are, well-formed UTF-8 or not; DEL and
     U+2028 need no escape.  */
  TEXT ("text", "{\"text\":\"\xe4\xb8\xad \xff\xfe\x80 \x7f \xe2\x80\xa8\"}",
        "\xe4\xb8\xad \xff\xfe\x80 \x7f \xe2\x80\xa8");
  /* Member names are compared after decoding.  */
  TEXT ("text", "{\"te\\u0078t\":\"q\"}", "q");
  TEXT ("text", "{\"tex\":1,\"textt\":2,\"Text\":3,\"text\":\"r\"}", "r");
  TEXT ("", "{\"\":\"empty name\"}", "empty name");
}
END_TEST

START_TEST (test_numbers_and_literals)
{
  /* Integers above 2^63 (record ids), reals beyond double, every form of
     the grammar: checked, never converted.  */
  TEXT ("text", "{\"id\":123456789012345678901234567890,\"text\":\"x\"}",
        "x");
  TEXT ("text", "{\"id\":18446744073709551616,\"neg\":-99999999999999999999,"
                "\"text\":\"x\"}", "x");
  TEXT ("text", "{\"a\":1e400,\"b\":-1E-400,\"c\":0.0,\"d\":-0,"
                "\"e\":1.5e+10,\"f\":0e0,\"g\":-0.000,\"h\":10,"
                "\"text\":\"x\"}", "x");
  TEXT ("text", "{\"a\":[true,false,null,0,-1,2.5],\"text\":\"x\"}", "x");
  TEXT ("text", "{\"text\":\"x\",\"a\":1}", "x");
  TEXT ("text", "{\"text\":\"x\",\"a\":1.5e3}", "x");
  TEXT ("text", "{\"text\":\"x\",\"a\":0}", "x");
  TEXT ("text", "{\"text\":\"x\",\"a\":true}", "x");
}
END_TEST

START_TEST (test_nul)
{
  /* NUL in a name, in the text, in a name that is the path's.  */
  TEXT ("text", "{\"a\\u0000b\":1,\"text\":\"x\"}", "x");
  TEXT ("text", "{\"text\":\"a\\u0000b\"}", "a\0b");
  TEXT ("text", "{\"text\\u0000\":\"no\",\"text\":\"yes\"}", "yes");
}
END_TEST

START_TEST (test_escapes)
{
  TEXT ("text", "{\"text\":\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t\"}",
        "\" \\ / \b \f \n \r \t");
  TEXT ("text", "{\"text\":\"\\u00e9\\u00E9\\u4e2d\\u0041\"}",
        "\xc3\xa9\xc3\xa9\xe4\xb8\xad" "A");
  /* Surrogate pairs are one character.  */
  TEXT ("text", "{\"text\":\"\\ud83d\\ude00\\uD83D\\uDE00\"}",
        "\xf0\x9f\x98\x80\xf0\x9f\x98\x80");
  TEXT ("text", "{\"text\":\"\\udbff\\udfff\"}", "\xf4\x8f\xbf\xbf");
  /* \udc80..\udcff alone are the bytes they escape (surrogateescape).  */
  TEXT ("text", "{\"text\":\"\\udc80\\udcff\\uDCA9a\"}", "\x80\xff\xa9" "a");
  /* ...but after a high surrogate a low one is its partner.  */
  TEXT ("text", "{\"text\":\"\\ud83d\\udc80\"}", "\xf0\x9f\x92\x80");
  /* Other lone surrogates: their generalised UTF-8 form.  */
  TEXT ("text", "{\"text\":\"\\ud800\"}", "\xed\xa0\x80");
  TEXT ("text", "{\"text\":\"\\udc7f\\udc00\\udfff\"}",
        "\xed\xb1\xbf\xed\xb0\x80\xed\xbf\xbf");
  TEXT ("text", "{\"text\":\"\\ud800\\ud800\"}", "\xed\xa0\x80\xed\xa0\x80");
  TEXT ("text", "{\"text\":\"\\ud800x\"}", "\xed\xa0\x80x");
  TEXT ("text", "{\"text\":\"\\ud800\\n\"}", "\xed\xa0\x80\n");
  TEXT ("text", "{\"text\":\"\\ud800\\u0041\"}", "\xed\xa0\x80" "A");
  TEXT ("text", "{\"text\":\"\\ud800\\ud83d\\ude00\"}",
        "\xed\xa0\x80\xf0\x9f\x98\x80");
  TEXT ("text", "{\"text\":\"\\ud800\\udc80\"}", "\xf0\x90\x82\x80");
  TEXT ("text", "{\"text\":\"\\ud800\\\\\"}", "\xed\xa0\x80\\");
}
END_TEST

START_TEST (test_every_byte)
{
  /* Each byte raw (where JSON allows) and as \udcXX or \u00XX.  */
  char line[64], want[8];
  for (int b = 0; b < 256; b++)
    {
      int n = snprintf (line, sizeof line, "{\"text\":\"\\u%04x\"}",
                        b < 0x80 ? b : 0xdc00 + b);
      want[0] = (char) b;
      text_is ("text", line, (size_t) n, want, 1);
      if (b < 0x20 || b == '"' || b == '\\')
        continue;
      n = snprintf (line, sizeof line, "{\"text\":\"%c\"}", b);
      text_is ("text", line, (size_t) n, want, 1);
    }
}
END_TEST

START_TEST (test_duplicates)
{
  /* The first member of a name is the one; the others are checked.  */
  TEXT ("text", "{\"text\":\"a\",\"text\":\"b\"}", "a");
  NO_TEXT ("text", "{\"text\":1,\"text\":\"b\"}",
           "member \"text\" is a number, not a string");
  TEXT ("m.c", "{\"m\":{\"c\":\"1\"},\"m\":{\"c\":\"2\"}}", "1");
  NO_TEXT ("m.c", "{\"m\":{\"x\":1},\"m\":{\"c\":\"2\"}}",
           "no member \"m.c\"");
  INVALID ("{\"text\":\"a\",\"text\":\"b}");
}
END_TEST

START_TEST (test_paths)
{
  TEXT ("meta.content", "{\"meta\":{\"content\":\"x\"}}", "x");
  TEXT ("meta.content",
        "{\"content\":\"no\",\"meta\":{\"a\":[1,{\"content\":\"no\"}],"
        "\"b\":{\"content\":\"no\"},\"content\":\"yes\"}}", "yes");
  TEXT ("a.b.c", "{\"a\":{\"b\":{\"c\":\"deep\"}}}", "deep");
  NO_TEXT ("meta.content", "{\"meta\":\"s\"}",
           "no member \"meta.content\": \"meta\" is a string, not an object");
  NO_TEXT ("a.b.c", "{\"a\":{\"b\":[1]}}",
           "no member \"a.b.c\": \"a.b\" is an array, not an object");
  NO_TEXT ("meta.content", "{\"meta\":{}}", "no member \"meta.content\"");
  NO_TEXT ("meta.content", "{\"meta\":{\"content\":null}}",
           "member \"meta.content\" is null, not a string");
  NO_TEXT ("meta.content", "{\"meta.content\":\"x\"}",
           "no member \"meta.content\"");
  /* A dot inside a name is written "\.", a backslash "\\".  */
  TEXT ("meta\\.content", "{\"meta.content\":\"x\",\"meta\":{\"content\":1}}",
        "x");
  TEXT ("a\\\\b.c", "{\"a\\\\b\":{\"c\":\"x\"}}", "x");
  /* Empty names.  */
  TEXT (".", "{\"\":{\"\":\"x\"}}", "x");
  TEXT ("a.", "{\"a\":{\"\":\"x\"}}", "x");
}
END_TEST

START_TEST (test_not_documents)
{
  NO_TEXT ("text", "[1]", "the line is an array, not a JSON object");
  NO_TEXT ("text", "\"text\"", "the line is a string, not a JSON object");
  NO_TEXT ("text", " 5 ", "the line is a number, not a JSON object");
  NO_TEXT ("text", "true", "the line is true, not a JSON object");
  NO_TEXT ("text", "null", "the line is null, not a JSON object");
  NO_TEXT ("text", "{}", "no member \"text\"");
  NO_TEXT ("text", "{\"a\":{\"text\":\"nested\"}}", "no member \"text\"");
  NO_TEXT ("text", "{\"text\":{}}",
           "member \"text\" is an object, not a string");
  NO_TEXT ("text", "{\"text\":[\"a\"]}",
           "member \"text\" is an array, not a string");
  NO_TEXT ("text", "{\"text\":false}",
           "member \"text\" is false, not a string");
  result_is ("text", "", 0, BP_JSONL_BLANK, "");
  result_is ("text", "  \t\r ", 5, BP_JSONL_BLANK, "");
}
END_TEST

START_TEST (test_invalid)
{
  static const char *const bad[] = {
    "{", "{\"text\"", "{\"text\":", "{\"text\":\"a\"", "{\"text\":\"a\",}",
    "{\"text\":\"a\"}}", "{\"text\":\"a\"} x", "{\"text\":'a'}",
    "{text:\"a\"}", "{\"text\":\"a\\x\"}", "{\"text\":\"\\u12\"}",
    "{\"text\":\"\\u12g4\"}", "{\"text\":\"a\tb\"}", "{\"text\":\"a\x01\"}",
    "{\"text\":\"\\ud800\\x\"}", "{\"text\":\"\\ud800\\u12\"}",
    "[1,]", "[,1]", "[1 2]", "[1,,2]", "{\"a\":01}", "{\"a\":1.}",
    "{\"a\":.5}", "{\"a\":1e}", "{\"a\":1e+}", "{\"a\":-}", "{\"a\":+1}",
    "{\"a\":--1}", "{\"a\":1.5.2}", "{\"a\":1e5e5}", "{\"a\":-01}",
    "{\"a\":tru}", "{\"a\":truex}", "{\"a\":True}", "{\"a\":nul}",
    "{\"a\":NaN}", "{\"a\":Infinity}", "{\"a\":0x10}", "{\"a\" 1}",
    "{\"a\":1 \"b\":2}", "[\"a\":1]", "{\"a\":1,}", "{,}", "{\"a\"}",
    "\xef\xbb\xbf{}", "{\"a\":1}{\"b\":2}", "1 2", "\"\\ud800",
    "{\"a\":[1}", "[1}", "{\"a\":1]", "]", "}", ":", ",", "{\"a\"::1}",
    "{1:2}", "{\"a\":[}",
    "{\"text\":\"\\U0041\"}", "{\"text\":\"\\", "-", "1.", "1e", "[",
    "{\"a\":1", "tru", "{\"a\":\xff}", "{\xff:1}", "{\"a\":1}\xc2\xa0",
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
    result_is ("text", bad[i], strlen (bad[i]), BP_JSONL_INVALID, NULL);
  /* NUL is a control character like any other.  */
  result_is ("text", "{\"text\":\"a\"}\0", 13, BP_JSONL_INVALID,
             "invalid JSON at byte 13: text after the value");
  result_is ("text", "\0", 1, BP_JSONL_INVALID,
             "invalid JSON at byte 1: a value was expected");
  result_is ("text", "{\"a\":\"\x7f\0\"}", 10, BP_JSONL_INVALID,
             "invalid JSON at byte 8: a control character in a string");

  /* The messages say where.  */
  result_is ("text", "{\"a\": 1,}", 9, BP_JSONL_INVALID,
             "invalid JSON at byte 9: a member name was expected");
  result_is ("text", "{\"text\": \"a", 11, BP_JSONL_INVALID,
             "invalid JSON: the line ends inside a string");
  result_is ("text", "{\"a\": 1", 7, BP_JSONL_INVALID,
             "invalid JSON: the line ends before the value does");
  result_is ("text", "{\"a\": 1.", 8, BP_JSONL_INVALID,
             "invalid JSON: the line ends inside a number");
  result_is ("text", "[1 2]", 5, BP_JSONL_INVALID,
             "invalid JSON at byte 4: ',' or ']' was expected");
  result_is ("text", "{\"a\":1 2}", 9, BP_JSONL_INVALID,
             "invalid JSON at byte 8: ',' or '}' was expected");
  result_is ("text", "{\"a\" 1}", 7, BP_JSONL_INVALID,
             "invalid JSON at byte 6: ':' was expected");
  result_is ("text", "{\"a\":\"\\q\"}", 10, BP_JSONL_INVALID,
             "invalid JSON at byte 8: an invalid escape");
  result_is ("text", "{\"a\":01}", 8, BP_JSONL_INVALID,
             "invalid JSON at byte 7: ',' or '}' was expected");
  result_is ("text", "{\"a\":-x}", 8, BP_JSONL_INVALID,
             "invalid JSON at byte 7: an invalid number");
  result_is ("text", "{\"a\":nulL}", 10, BP_JSONL_INVALID,
             "invalid JSON at byte 9: an invalid literal");
  /* Not JSON wins over a member that is no string: the line is judged
     whole.  */
  result_is ("text", "{\"text\":5,", 10, BP_JSONL_INVALID,
             "invalid JSON: the line ends before the value does");
}
END_TEST

START_TEST (test_deep)
{
  /* Nesting has no limit but memory: a bit per level.  */
  size_t depth = 200000;
  size_t len = 10 + 2 * depth + 12;
  char *line = malloc (len + 1);
  ck_assert_ptr_nonnull (line);
  memcpy (line, "{\"x\":", 5);
  memset (line + 5, '[', depth);
  memset (line + 5 + depth, ']', depth);
  memcpy (line + 5 + 2 * depth, ",\"text\":\"t\"}", 13);
  len = strlen (line);

  struct bp_buf out = { 0 };
  ck_assert_int_eq (bp_jsonl_extract (line, len, "text", &out, NULL), 1);
  ck_assert_uint_eq (out.len, 1);
  /* One bracket short: not JSON.  */
  line[5 + 2 * depth - 1] = ' ';
  out.len = 0;
  ck_assert_int_eq (bp_jsonl_extract (line, len, "text", &out, NULL),
                    BP_EFORMAT);
  bp_buf_free (&out);
  free (line);
}
END_TEST

/* A random JSON value into B, up to DEPTH levels.  */
static void
gen (struct bp_buf *b, unsigned *seed, int depth)
{
  static const char *const atoms[] = {
    "0", "-1", "12345678901234567890123", "1e400", "-0.5E-3", "true",
    "false", "null", "\"\"", "\"text\"", "\"a\\u0000b\"", "\"\\ud800x\"",
    "\"\\ud83d\\ude00\"", "\"\xe4\xb8\xad\\n\"", "\"\\\\\\\"\"",
  };
  int k = rand_r (seed) % (depth > 0 ? 8 : 4);
  if (k < 4)
    {
      const char *a = atoms[(size_t) rand_r (seed) % (sizeof atoms
                                                      / sizeof *atoms)];
      bp_buf_append (b, a, strlen (a));
      return;
    }
  int object = k >= 6, n = rand_r (seed) % 4;
  bp_buf_putc (b, object ? '{' : '[');
  for (int i = 0; i < n; i++)
    {
      if (i)
        bp_buf_putc (b, ',');
      if (object)
        {
          static const char *const names[] = { "\"text\":", "\"a\":",
                                               "\"te\\u0078t\" : ", "\"\":" };
          const char *nm = names[rand_r (seed) % 4];
          bp_buf_append (b, nm, strlen (nm));
        }
      gen (b, seed, depth - 1);
    }
  bp_buf_putc (b, object ? '}' : ']');
}

START_TEST (test_random)
{
  /* Random lines, and a random byte of each changed: whatever the
     result, it is the same however the line is cut (run checks that);
     the lines as made are documents whose text is "x" whatever the
     member "n" holds.  */
  unsigned seed = 1;
  struct bp_buf b = { 0 };
  for (int t = 0; t < 400; t++)
    {
      b.len = 0;
      bp_buf_append (&b, "{\"n\":", 5);
      gen (&b, &seed, 2 + t % 2);
      bp_buf_append (&b, ",\"text\":\"x\"}", 12);
      if (b.len > 400)
        continue;
      struct got g = { 0 };
      run ("text", (const char *) b.data, b.len, &g);
      CHECK (g.res == BP_JSONL_TEXT && g.text.len == 1
             && g.text.data[0] == 'x');
        {
          b.data[(size_t) rand_r (&seed) % b.len]
            = (uint8_t) "{}[]\",:0-e\\ a"[rand_r (&seed) % 13];
          run ("text", (const char *) b.data, b.len, &g);
        }
      bp_buf_free (&g.text);
    }
  bp_buf_free (&b);
}
END_TEST

static Suite *
jsonl_suite (void)
{
  Suite *s = suite_create ("jsonl");
  TCase *tc = tcase_create ("documents");
  tcase_add_test (tc, test_documents);
  tcase_add_test (tc, test_numbers_and_literals);
  tcase_add_test (tc, test_nul);
  tcase_add_test (tc, test_escapes);
  tcase_add_test (tc, test_every_byte);
  tcase_add_test (tc, test_duplicates);
  tcase_add_test (tc, test_paths);
  tcase_add_test (tc, test_not_documents);
  suite_add_tcase (s, tc);
  tc = tcase_create ("not JSON");
  tcase_add_test (tc, test_invalid);
  suite_add_tcase (s, tc);
  tc = tcase_create ("limits");
  tcase_add_test (tc, test_deep);
  tcase_add_test (tc, test_random);
  tcase_set_timeout (tc, 120);
  suite_add_tcase (s, tc);
  return s;
}

int
main (void)
{
  SRunner *sr = srunner_create (jsonl_suite ());
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
