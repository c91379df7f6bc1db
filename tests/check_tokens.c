/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of src/lib/encode/tokens (DESIGN.md section 1.7): what the writer
   writes in each of the four formats, the reader reading it back
   whatever sizes the input arrives in, white space between tokens, and
   errors with their line.  */
#include <config.h>

#include <check.h>
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "automaton.h"
#include "model.h"
#include "tokens.h"

#define CHECK(cond)                                                         \
  do                                                                        \
    if (!(cond))                                                            \
      ck_abort_msg ("%s:%d: %s", __FILE__, __LINE__, #cond);                \
  while (0)

/* Pieces with ids 3..10: what the pieces form must escape.  */
static const char *const piece_text[] = { "a", " ", "\n", "\\", "\xff", "ab",
                                          "\xe4\xb8\xad", "x\ty\r" };
static const size_t piece_len[] = { 1, 1, 1, 1, 1, 2, 3, 4 };
#define NPIECES 8

static struct bp_model *
make_model (void)
{
  uint64_t counts[NPIECES];
  for (size_t i = 0; i < NPIECES; i++)
    counts[i] = i + 1;
  struct bp_model *m = bp_model_new (NPIECES,
                                     (const uint8_t *const *) piece_text,
                                     piece_len, counts, NULL);
  CHECK (m != NULL);
  return m;
}

/* A token stream written to memory.  */
struct sink
{
  char *data;
  size_t len;
  FILE *f;
  struct bp_tokwriter w;
};

static void
sink_open (struct sink *s, enum bp_tokfmt fmt, const struct bp_model *m)
{
  s->data = NULL;
  s->len = 0;
  s->f = open_memstream (&s->data, &s->len);
  CHECK (s->f != NULL);
  bp_tokwriter_init (&s->w, s->f, fmt, m);
}

static void
sink_close (struct sink *s)
{
  CHECK (bp_tokwriter_flush (&s->w) == 0);
  bp_tokwriter_free (&s->w);
  CHECK (fclose (s->f) == 0);
}

/* Write <bos> a ab / (empty line) / 中 "\\" " " "\n" 0xff "x\ty\r" <eos>
   <pad>, lines ended with eol.  */
static void
write_sample (struct sink *s)
{
  static const uint32_t line1[] = { 0, 5 };
  static const uint32_t line3[] = { 6, 3, 1, 2, 4, 7 };
  CHECK (bp_tokwriter_id (&s->w, BP_ID_BOS) == 0);
  CHECK (bp_tokwriter_pieces (&s->w, line1, 2) == 0);
  CHECK (bp_tokwriter_eol (&s->w) == 0);
  CHECK (bp_tokwriter_eol (&s->w) == 0);
  CHECK (bp_tokwriter_pieces (&s->w, line3, 6) == 0);
  CHECK (bp_tokwriter_id (&s->w, BP_ID_EOS) == 0);
  CHECK (bp_tokwriter_id (&s->w, BP_ID_PAD) == 0);
  CHECK (bp_tokwriter_eol (&s->w) == 0);
}

START_TEST (test_writer)
{
  struct bp_model *m = make_model ();
  struct sink s;

  sink_open (&s, BP_FMT_IDS, m);
  write_sample (&s);
  sink_close (&s);
  const char *ids = "1 3 8\n\n9 6 4 5 7 10 2 0\n";
  ck_assert_uint_eq (s.len, strlen (ids));
  ck_assert_mem_eq (s.data, ids, s.len);
  free (s.data);

  sink_open (&s, BP_FMT_PIECES, m);
  write_sample (&s);
  sink_close (&s);
  const char *pieces = "<bos> a ab\n\n\xe4\xb8\xad \\\\ \\x20 \\n \\xff "
                       "x\\ty\\r <eos> <pad>\n";
  ck_assert_uint_eq (s.len, strlen (pieces));
  ck_assert_mem_eq (s.data, pieces, s.len);
  free (s.data);

  sink_open (&s, BP_FMT_U16, m);
  write_sample (&s);
  sink_close (&s);
  static const uint8_t u16[] = { 1, 0, 3, 0, 8, 0, 9, 0, 6, 0, 4, 0, 5, 0,
                                 7, 0, 10, 0, 2, 0, 0, 0 };
  ck_assert_uint_eq (s.len, sizeof u16);
  ck_assert_mem_eq (s.data, u16, s.len);
  free (s.data);

  sink_open (&s, BP_FMT_U32, m);
  CHECK (bp_tokwriter_id (&s.w, 0x12345678) == 0);
  CHECK (bp_tokwriter_eol (&s.w) == 0);
  CHECK (bp_tokwriter_id (&s.w, 65535) == 0);
  sink_close (&s);
  static const uint8_t u32[] = { 0x78, 0x56, 0x34, 0x12, 0xff, 0xff, 0, 0 };
  ck_assert_uint_eq (s.len, sizeof u32);
  ck_assert_mem_eq (s.data, u32, s.len);
  free (s.data);

  /* Large output goes through the buffer in several flushes.  */
  sink_open (&s, BP_FMT_IDS, m);
  for (uint32_t i = 0; i < 200000; i++)
    CHECK (bp_tokwriter_id (&s.w, i) == 0);
  sink_close (&s);
  ck_assert_uint_gt (s.len, 1000000);
  ck_assert_mem_eq (s.data, "0 1 2 3 ", 8);
  ck_assert_mem_eq (s.data + s.len - 7, " 199999", 7);
  free (s.data);

  /* Every id of up to 7 digits, and the edges of the longer ones, as
     printf writes them: one at a time and as pieces (the ids of pieces
     start at 3), across flushes.  */
  static const uint32_t edge[] = { 9999999, 10000000, 99999999, 100000000,
                                   999999999, 1000000000, 4294967295u };
  enum { NIDS = 1200000, NEDGE = sizeof edge / sizeof *edge };
  uint32_t *v = malloc ((NIDS + NEDGE) * sizeof *v);
  char *want = malloc ((NIDS + NEDGE) * 11 + 1);
  CHECK (v != NULL && want != NULL);
  size_t wl = 0;
  for (uint32_t i = 0; i < NIDS + NEDGE; i++)
    {
      v[i] = i < NIDS ? i + 3 : edge[i - NIDS];
      wl += (size_t) sprintf (want + wl, i ? " %" PRIu32 : "%" PRIu32, v[i]);
    }
  sink_open (&s, BP_FMT_IDS, m);
  for (uint32_t i = 0; i < NIDS + NEDGE; i++)
    CHECK (bp_tokwriter_id (&s.w, v[i]) == 0);
  sink_close (&s);
  ck_assert_uint_eq (s.len, wl);
  CHECK (memcmp (s.data, want, wl) == 0);
  free (s.data);
  for (uint32_t i = 0; i < NIDS + NEDGE; i++)
    v[i] -= 3;
  sink_open (&s, BP_FMT_IDS, m);
  CHECK (bp_tokwriter_pieces (&s.w, v, 1000) == 0);
  CHECK (bp_tokwriter_pieces (&s.w, v + 1000, NIDS + NEDGE - 1000) == 0);
  sink_close (&s);
  ck_assert_uint_eq (s.len, wl);
  CHECK (memcmp (s.data, want, wl) == 0);
  free (s.data);
  free (v);
  free (want);
  bp_model_free (m);

  enum bp_tokfmt f;
  ck_assert_int_eq (bp_tokfmt_parse ("ids", &f), 0);
  ck_assert_int_eq (f, BP_FMT_IDS);
  ck_assert_int_eq (bp_tokfmt_parse ("pieces", &f), 0);
  ck_assert_int_eq (f, BP_FMT_PIECES);
  ck_assert_int_eq (bp_tokfmt_parse ("u16", &f), 0);
  ck_assert_int_eq (f, BP_FMT_U16);
  ck_assert_int_eq (bp_tokfmt_parse ("u32", &f), 0);
  ck_assert_int_eq (f, BP_FMT_U32);
  ck_assert_int_eq (bp_tokfmt_parse ("U32", &f), -1);
  ck_assert_int_eq (bp_tokfmt_parse ("", &f), -1);
  ck_assert_int_eq (bp_tokfmt_parse ("id", &f), -1);
}
END_TEST

/* Input for the reader: a temporary file (STEP 0) or a pipe that a
   thread fills STEP bytes per write.  */
struct feeder
{
  const uint8_t *data;
  size_t len, step;
  int fd;
  pthread_t thread;
};

static void *
feed_pipe (void *arg)
{
  struct feeder *f = arg;
  for (size_t i = 0; i < f->len;)
    {
      size_t n = f->len - i < f->step ? f->len - i : f->step;
      ssize_t w = write (f->fd, f->data + i, n);
      if (w < 0 && errno == EINTR)
        continue;
      if (w <= 0)
        break;
      i += (size_t) w;
    }
  close (f->fd);
  return NULL;
}

static int
feeder_open (struct feeder *f, const void *data, size_t len, size_t step)
{
  f->data = data;
  f->len = len;
  f->step = step;
  if (step == 0)
    {
      FILE *tf = tmpfile ();
      CHECK (tf != NULL);
      CHECK (fwrite (data, 1, len, tf) == len);
      CHECK (fflush (tf) == 0);
      int fd = dup (fileno (tf));
      fclose (tf);
      CHECK (fd >= 0 && lseek (fd, 0, SEEK_SET) == 0);
      f->fd = -1;
      return fd;
    }
  int p[2];
  CHECK (pipe (p) == 0);
  f->fd = p[1];
  CHECK (pthread_create (&f->thread, NULL, feed_pipe, f) == 0);
  return p[0];
}

static void
feeder_close (struct feeder *f, int fd)
{
  if (f->fd >= 0)
    {
      char sink[4096];
      while (read (fd, sink, sizeof sink) > 0)
        continue;
      pthread_join (f->thread, NULL);
    }
  close (fd);
}

/* What the reader makes of DATA: "i<id>" for ids, "b<escaped bytes>"
   (as hex) for pieces, "/" for line ends, "!<code>@<line>:<detail>" for
   an error, tokens separated by spaces.  Returns a new string.  */
static char *
read_all (const void *data, size_t len, size_t step, enum bp_tokfmt fmt,
          size_t vocab, const struct bp_automaton *mt)
{
  struct feeder f;
  int fd = feeder_open (&f, data, len, step);
  struct bp_tokreader r;
  bp_tokreader_init (&r, fd, fmt, vocab, mt);
  char *out = NULL;
  size_t olen = 0;
  FILE *o = open_memstream (&out, &olen);
  CHECK (o != NULL);
  struct bp_error err = { 0 };
  int rc;
  while ((rc = bp_tokreader_next (&r, &err)) > 0)
    {
      if (rc == BP_TOK_ID)
        fprintf (o, "i%u ", (unsigned) r.id);
      else if (rc == BP_TOK_EOL)
        fputs ("/ ", o);
      else
        {
          CHECK (rc == BP_TOK_BYTES);
          fputc ('b', o);
          for (size_t i = 0; i < r.bytes.len; i++)
            fprintf (o, "%02x", r.bytes.data[i]);
          fputc (' ', o);
        }
    }
  if (rc < 0)
    fprintf (o, "!%d@%llu:%s", rc, (unsigned long long) err.line, err.detail);
  CHECK (fclose (o) == 0);
  bp_tokreader_free (&r);
  feeder_close (&f, fd);
  return out;
}

/* Check that DATA reads as EXPECTED, from a file and from pipes filled
   1, 2, 3 and 4096 bytes at a time.  */
static void
expect_read (const void *data, size_t len, enum bp_tokfmt fmt, size_t vocab,
             const struct bp_automaton *mt, const char *expected)
{
  static const size_t steps[] = { 0, 1, 2, 3, 4096 };
  for (size_t i = 0; i < sizeof steps / sizeof *steps; i++)
    {
      char *got = read_all (data, len, steps[i], fmt, vocab, mt);
      ck_assert_msg (strcmp (got, expected) == 0,
                     "step %zu: read \"%s\", expected \"%s\"", steps[i], got,
                     expected);
      free (got);
    }
}

static void
expect_ids (const char *text, size_t vocab, const char *expected)
{
  expect_read (text, strlen (text), BP_FMT_IDS, vocab, NULL, expected);
}

START_TEST (test_read_ids)
{
  expect_ids ("", 0, "");
  expect_ids ("1 3 8\n\n9 6 4 5 7 10 2 0\n", 11,
              "i1 i3 i8 / / i9 i6 i4 i5 i7 i10 i2 i0 / ");
  /* Any white space separates; only LF ends a line.  */
  expect_ids ("  3\t4\r\n\v5\f6  \n\n7", 0, "i3 i4 / i5 i6 / / i7 ");
  expect_ids ("\r\n", 0, "/ ");
  /* Decimal, leading zeros allowed at any length (bp-decode(1)).  */
  expect_ids ("007 0000000000000000003 00000000000000000003", 0,
              "i7 i3 i3 ");
  expect_ids ("0000000000000000000000000000000000000000000000000000000000009"
              " 0", 0, "i9 i0 ");
  expect_ids ("4294967295", 0, "i4294967295 ");
  /* Errors, with the line they are on.  */
  char exp[256];
  snprintf (exp, sizeof exp, "i3 / i4 / / !%d@4:invalid id 'x'", BP_EFORMAT);
  expect_ids ("3\n4\n\nx\n5\n", 0, exp);
  snprintf (exp, sizeof exp, "i3 !%d@1:invalid id '-4'", BP_EFORMAT);
  expect_ids ("3 -4", 0, exp);
  snprintf (exp, sizeof exp, "!%d@1:invalid id '3,4'", BP_EFORMAT);
  expect_ids ("3,4", 0, exp);
  snprintf (exp, sizeof exp, "!%d@1:id 18446744073709551616 out of range "
            "(vocabulary 11)", BP_ERANGE);
  expect_ids ("018446744073709551616", 11, exp);
  snprintf (exp, sizeof exp, "!%d@1:id 12345678901234567890123456789012345"
            "67890... out of range (vocabulary 11)", BP_ERANGE);
  expect_ids ("1234567890123456789012345678901234567890123", 11, exp);
  /* Input is quoted escaped: no control byte reaches a terminal, a NUL
     does not cut the message, which says that a token with a NUL is
     binary data (issue 15).  */
  snprintf (exp, sizeof exp, "i3 !%d@1:invalid id '\\x1b[31m\\x00x\\\\n': "
            "binary data, not ids as text (a token file of -f u16 or u32? "
            "use the same -f)", BP_EFORMAT);
  expect_read ("3 \x1b[31m\0x\\n", 11, BP_FMT_IDS, 0, NULL, exp);
  /* The ids 5 and 7 of -f u16, read as ids in text.  */
  snprintf (exp, sizeof exp, "!%d@1:invalid id '\\x05\\x00\\x07\\x00': "
            "binary data, not ids as text (a token file of -f u16 or u32? "
            "use the same -f)", BP_EFORMAT);
  expect_read ("\x05\0\x07\0", 4, BP_FMT_IDS, 0, NULL, exp);
  snprintf (exp, sizeof exp, "i9 / / !%d@3:id 11 out of range (vocabulary "
            "11)", BP_ERANGE);
  expect_ids ("9\n\n11\n", 11, exp);
  snprintf (exp, sizeof exp, "!%d@1:id 4294967296 out of range (vocabulary "
            "11)", BP_ERANGE);
  expect_ids ("4294967296", 11, exp);
  /* A token longer than a read, quoted only in part.  */
  size_t n = 300000;
  char *longtok = malloc (n + 1);
  CHECK (longtok != NULL);
  memset (longtok, '7', n);
  longtok[0] = 'z';
  longtok[n] = '\0';
  snprintf (exp, sizeof exp, "!%d@1:invalid id 'z%s...'", BP_EFORMAT,
            "777777777777777777777777777777777777777");
  expect_read (longtok, n, BP_FMT_IDS, 0, NULL, exp);
  free (longtok);
}
END_TEST

START_TEST (test_read_pieces)
{
  struct bp_model *m = make_model ();
  struct bp_error err;
  struct bp_automaton *mt = bp_automaton_new (m, &err);
  CHECK (mt != NULL);
  const char *text = "<bos> a ab\n\n\xe4\xb8\xad \\\\ \\x20 \\n \\xff "
                     "x\\ty\\r <eos> <pad>\n";
  const char *exp = "i1 b61 b6162 / / be4b8ad b5c b20 b0a bff b7809790d i2 "
                    "i0 / ";
  expect_read (text, strlen (text), BP_FMT_PIECES, 11, mt, exp);
  expect_read (text, strlen (text), BP_FMT_PIECES, 0, NULL, exp);
  /* Escapes in either case; without a model any bytes go.  */
  text = "\\xE4\\xb8\\xAD \\x41\\x42 <unk>";
  expect_read (text, strlen (text), BP_FMT_PIECES, 0, NULL,
               "be4b8ad b4142 b3c756e6b3e ");
  char e[256];
  snprintf (e, sizeof e, "be4b8ad !%d@1:piece '\\\\x41\\\\x42' is not in "
            "the model", BP_EFORMAT);
  expect_read (text, strlen (text), BP_FMT_PIECES, 11, mt, e);
  snprintf (e, sizeof e, "b61 / !%d@2:bad escape in piece 'a\\\\q'",
            BP_EFORMAT);
  text = "a\na\\q b";
  expect_read (text, strlen (text), BP_FMT_PIECES, 0, NULL, e);
  snprintf (e, sizeof e, "!%d@1:bad escape in piece 'ab\\\\'", BP_EFORMAT);
  text = "ab\\";
  expect_read (text, strlen (text), BP_FMT_PIECES, 0, NULL, e);
  bp_automaton_free (mt);
  bp_model_free (m);
}
END_TEST

/* A token of a megabyte: without a model its bytes come in parts that
   add up to it, the reader's buffer staying small; with a model it is
   refused with the start of it quoted, before it is read whole.  */
START_TEST (test_read_long_piece)
{
  size_t n = 1 << 20;
  char *text = malloc (n + 1);
  CHECK (text != NULL);
  for (size_t i = 0; i < n; i += 4)
    memcpy (text + i, i % 8 ? "\\x62" : "abcd", 4);
  text[n] = '\n';

  struct feeder f;
  int fd = feeder_open (&f, text, n + 1, 0);
  struct bp_tokreader r;
  bp_tokreader_init (&r, fd, BP_FMT_PIECES, 0, NULL);
  struct bp_error err = { 0 };
  size_t got = 0, parts = 0;
  int rc;
  while ((rc = bp_tokreader_next (&r, &err)) == BP_TOK_BYTES)
    {
      for (size_t i = 0; i < r.bytes.len; i++)
        CHECK (r.bytes.data[i] == "abcdb"[(got + i) % 5]);
      got += r.bytes.len;
      parts++;
      CHECK (r.buf.cap <= 1 << 18);
    }
  CHECK (rc == BP_TOK_EOL);
  CHECK (got == n / 8 * 5);
  CHECK (parts > 1);
  CHECK (bp_tokreader_next (&r, &err) == BP_TOK_END);
  bp_tokreader_free (&r);
  feeder_close (&f, fd);

  struct bp_model *m = make_model ();
  struct bp_automaton *mt = bp_automaton_new (m, &err);
  CHECK (mt != NULL);
  fd = feeder_open (&f, text, n + 1, 4096);
  bp_tokreader_init (&r, fd, BP_FMT_PIECES, 11, mt);
  CHECK (bp_tokreader_next (&r, &err) == BP_EFORMAT);
  ck_assert_str_eq (err.detail, "piece 'abcd\\\\x62abcd\\\\x62abcd\\\\x62abcd"
                    "\\\\x62abcd\\\\x62...' is not in the model");
  CHECK (r.offset + r.buf.len < 1 << 18);
  bp_tokreader_free (&r);
  feeder_close (&f, fd);
  bp_automaton_free (mt);
  bp_model_free (m);
  free (text);
}
END_TEST

START_TEST (test_read_binary)
{
  static const uint8_t u16[] = { 1, 0, 3, 0, 0xff, 0xff, 2, 0 };
  expect_read (u16, sizeof u16, BP_FMT_U16, 0, NULL, "i1 i3 i65535 i2 ");
  char exp[256];
  snprintf (exp, sizeof exp, "i1 i3 !%d@0:id 65535 at byte 4 out of range "
            "(vocabulary 11)", BP_ERANGE);
  expect_read (u16, sizeof u16, BP_FMT_U16, 11, NULL, exp);
  snprintf (exp, sizeof exp, "i1 i3 i65535 !%d@0:truncated id at byte 6 "
            "(the length is not a multiple of 2)", BP_EFORMAT);
  expect_read (u16, 7, BP_FMT_U16, 0, NULL, exp);
  expect_read (u16, sizeof u16, BP_FMT_U32, 0, NULL, "i196609 i196607 ");
  snprintf (exp, sizeof exp, "i196609 !%d@0:truncated id at byte 4 "
            "(the length is not a multiple of 4)", BP_EFORMAT);
  expect_read (u16, 7, BP_FMT_U32, 0, NULL, exp);
  expect_read (u16, 0, BP_FMT_U32, 0, NULL, "");
  /* Line ends are not there: an LF byte is part of an id.  */
  static const uint8_t lf[] = { '\n', 0, '\n', 0, 0, 0 };
  expect_read (lf, sizeof lf, BP_FMT_U16, 0, NULL, "i10 i10 i0 ");
}
END_TEST

START_TEST (test_round_trip)
{
  /* Random streams of ids and line ends in every format, written and
     read back.  */
  struct bp_model *m = make_model ();
  struct bp_error err;
  struct bp_automaton *mt = bp_automaton_new (m, &err);
  uint64_t x = 7;
  for (int fmt = BP_FMT_IDS; fmt <= BP_FMT_U32; fmt++)
    for (int round = 0; round < 20; round++)
      {
        struct sink s;
        sink_open (&s, (enum bp_tokfmt) fmt, m);
        char *want = NULL;
        size_t wlen = 0;
        FILE *w = open_memstream (&want, &wlen);
        int binary = fmt == BP_FMT_U16 || fmt == BP_FMT_U32;
        for (int t = 0; t < 3000; t++)
          {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            uint32_t id = (uint32_t) (x % (NPIECES + 3));
            if (x % 7 == 0)
              {
                CHECK (bp_tokwriter_eol (&s.w) == 0);
                if (!binary)
                  fputs ("/ ", w);
              }
            else if (fmt == BP_FMT_PIECES && id >= 3)
              {
                uint32_t p = id - 3;
                CHECK (bp_tokwriter_pieces (&s.w, &p, 1) == 0);
                fputc ('b', w);
                for (size_t i = 0; i < piece_len[p]; i++)
                  fprintf (w, "%02x", (uint8_t) piece_text[p][i]);
                fputc (' ', w);
              }
            else
              {
                CHECK (bp_tokwriter_id (&s.w, id) == 0);
                fprintf (w, "i%u ", (unsigned) id);
              }
          }
        sink_close (&s);
        CHECK (fclose (w) == 0);
        static const size_t steps[] = { 0, 1, 4096 };
        for (size_t k = 0; k < 3; k++)
          {
            char *got = read_all (s.data, s.len, steps[k],
                                  (enum bp_tokfmt) fmt, NPIECES + 3, mt);
            /* A last line not ended by eol has no line end to read.  */
            CHECK (strcmp (got, want) == 0);
            free (got);
          }
        free (want);
        free (s.data);
      }
  bp_automaton_free (mt);
  bp_model_free (m);
}
END_TEST

static Suite *
tokens_suite (void)
{
  Suite *s = suite_create ("tokens");
  TCase *tc = tcase_create ("formats");
  tcase_add_test (tc, test_writer);
  tcase_add_test (tc, test_read_ids);
  tcase_add_test (tc, test_read_pieces);
  tcase_add_test (tc, test_read_long_piece);
  tcase_add_test (tc, test_read_binary);
  tcase_add_test (tc, test_round_trip);
  tcase_set_timeout (tc, 300);
  suite_add_tcase (s, tc);
  return s;
}

int
main (void)
{
  SRunner *sr = srunner_create (tokens_suite ());
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
