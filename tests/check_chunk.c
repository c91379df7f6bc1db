/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of src/lib/text/chunk: documents in file, lines and jsonl modes, the
   chunks cut from them, the training cuts at 10000 characters and 100
   LFs, isolated digits (DESIGN.md sections 1.0 and 1.1), and the same
   results whatever sizes the input arrives in.  */
#include <config.h>

#include <check.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "chunk.h"
#include "error.h"
#include "escape.h"

#define CHECK(cond)                                                         \
  do                                                                        \
    if (!(cond))                                                            \
      ck_abort_msg ("%s:%d: %s", __FILE__, __LINE__, #cond);                \
  while (0)

/* Input for the chunker: a temporary file, or a pipe that a thread fills
   STEP bytes per write, so that reads return pieces of every size.  */
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

/* Open DATA for reading; STEP 0 for a regular file.  Returns the fd.  */
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
      CHECK (fd >= 0);
      CHECK (lseek (fd, 0, SEEK_SET) == 0);
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
  /* Drain what the chunker did not read, so the writer can finish.  */
  if (f->fd >= 0)
    {
      char sink[4096];
      while (read (fd, sink, sizeof sink) > 0)
        continue;
      pthread_join (f->thread, NULL);
    }
  close (fd);
}

/* Render what the chunker makes of the open input: each document in
   parentheses, its chunks escaped and separated by '|', a line that
   holds no document as "-", and an error as "!CODE@LINE" at the end.  Checks the span flags on the way.  *NSPANS
   (if not NULL) receives the number of spans.  */
static void
render_input (struct bp_chunker *c, struct bp_buf *out, size_t *nspans)
{
  struct bp_span span;
  struct bp_error err = { 0 };
  int in_doc = 0;
  size_t chunk_len = 0, chunks = 0, spans = 0;
  int rc;

  while ((rc = bp_chunker_next (c, &span, &err)) == 1)
    {
      spans++;
      if (span.flags & BP_SPAN_NO_DOC)
        {
          /* A line that holds no document: "-".  */
          CHECK (!in_doc && span.len == 0
                 && span.flags == (BP_SPAN_DOC_END | BP_SPAN_NO_DOC));
          CHECK (bp_buf_putc (out, '-') == 0);
          continue;
        }
      if (!in_doc)
        {
          CHECK (bp_buf_putc (out, '(') == 0);
          in_doc = 1;
          chunks = 0;
        }
      /* The first span of a chunk after another chunk of the document.  */
      if (chunk_len == 0 && chunks > 0
          && (span.len || (span.flags & BP_SPAN_CHUNK_END)))
        CHECK (bp_buf_putc (out, '|') == 0);
      CHECK (bp_escape_append (out, span.data, span.len, 0) == 0);
      chunk_len += span.len;
      if (span.flags & BP_SPAN_CHUNK_END)
        {
          CHECK (chunk_len > 0);   /* no chunk is empty */
          chunk_len = 0;
          chunks++;
        }
      if (span.flags & BP_SPAN_DOC_END)
        {
          CHECK (chunk_len == 0);  /* a document ends with its chunk */
          CHECK (bp_buf_putc (out, ')') == 0);
          in_doc = 0;
        }
    }
  if (rc < 0)
    {
      char e[64];
      int k = snprintf (e, sizeof e, "!%d@%llu", rc,
                        (unsigned long long) err.line);
      CHECK (bp_buf_append (out, e, (size_t) k) == 0);
    }
  else
    CHECK (!in_doc);
  if (nspans)
    *nspans = spans;
}

/* The rendering of DATA (LEN bytes) under P, read in STEP-byte pieces
   (0: from a file).  Returns a new string.  */
static char *
render (const struct bp_chunk_params *p, const void *data, size_t len,
        size_t step)
{
  struct bp_buf out = { 0 };
  struct feeder f;
  struct bp_chunker *c = bp_chunker_new (p);
  CHECK (c != NULL);
  int fd = feeder_open (&f, data, len, step);
  bp_chunker_open (c, fd);
  render_input (c, &out, NULL);
  feeder_close (&f, fd);
  bp_chunker_free (c);
  CHECK (bp_buf_putc (&out, '\0') == 0);
  return (char *) out.data;
}

/* Check that DATA renders as EXPECTED, read from a file and from pipes
   filled 1, 7 and 4096 bytes at a time.  */
static void
expect_len (const struct bp_chunk_params *p, const char *data, size_t len,
            const char *expected)
{
  static const size_t steps[] = { 0, 1, 7, 4096 };
  for (size_t i = 0; i < sizeof steps / sizeof *steps; i++)
    {
      if (steps[i] == 1 && len > 100000)
        continue;
      char *got = render (p, data, len, steps[i]);
      if (strcmp (got, expected) != 0)
        {
          size_t k = 0;
          while (got[k] && got[k] == expected[k])
            k++;
          ck_abort_msg ("step %zu: got \"%.200s\" where \"%.200s\" was "
                        "expected (offset %zu)", steps[i], got + k,
                        expected + k, k);
        }
      free (got);
    }
}

static void
expect (const struct bp_chunk_params *p, const char *data, const char *exp)
{
  expect_len (p, data, strlen (data), exp);
}

/* Check that DATA renders as BEFORE, then perhaps some of the document
   START (as much of its text as was read before its line turned out not
   to be JSON, which depends on how the input arrives), then the error
   CODE at LINE.  */
static void
expect_late_error (const struct bp_chunk_params *p, const char *data,
                   const char *before, const char *start, int code,
                   unsigned line)
{
  static const size_t steps[] = { 0, 1, 2, 7, 4096 };
  char end[64];
  snprintf (end, sizeof end, "!%d@%u", code, line);
  for (size_t i = 0; i < sizeof steps / sizeof *steps; i++)
    {
      char *got = render (p, data, strlen (data), steps[i]);
      size_t nb = strlen (before), ng = strlen (got), ne = strlen (end);
      if (ng < nb + ne || memcmp (got, before, nb)
          || strcmp (got + ng - ne, end) || ng - nb - ne > strlen (start)
          || memcmp (got + nb, start, ng - nb - ne))
        ck_abort_msg ("step %zu: got \"%s\", not %s, part of %s, %s",
                      steps[i], got, before, start, end);
      free (got);
    }
}

/* A string of N copies of S, in a new buffer.  */
static char *
rep (const char *s, size_t n)
{
  size_t len = strlen (s);
  char *r = malloc (len * n + 1);
  CHECK (r != NULL);
  for (size_t i = 0; i < n; i++)
    memcpy (r + i * len, s, len);
  r[len * n] = '\0';
  return r;
}

/* sprintf into a new string.  */
static char *
fmt (const char *f, ...) __attribute__ ((format (printf, 1, 2)));
static char *
fmt (const char *f, ...)
{
  va_list ap;
  char *r;
  va_start (ap, f);
  CHECK (vasprintf (&r, f, ap) >= 0);
  va_end (ap);
  return r;
}

static const struct bp_chunk_params file_mode = { .mode = BP_DOC_FILE,
                                                  .normalize = 1 };
static const struct bp_chunk_params lines_mode = { .mode = BP_DOC_LINES,
                                                   .normalize = 1 };
static const struct bp_chunk_params jsonl_mode = { .mode = BP_DOC_JSONL,
                                                   .normalize = 1 };
static const struct bp_chunk_params train = {
  .mode = BP_DOC_FILE, .normalize = 1, .max_chars = BP_TRAIN_MAX_CHARS,
  .max_lfs = BP_TRAIN_MAX_LFS
};
static const struct bp_chunk_params train_digits = {
  .mode = BP_DOC_FILE, .normalize = 1, .max_chars = BP_TRAIN_MAX_CHARS,
  .max_lfs = BP_TRAIN_MAX_LFS, .isolate_digits = 1
};

START_TEST (test_file_mode)
{
  expect (&file_mode, "", "()");
  expect (&file_mode, "ab\n\ncd\nef", "(ab\\n\\n|cd\\n|ef)");
  expect (&file_mode, "\n\nab", "(\\n\\n|ab)");
  expect (&file_mode, "\n", "(\\n)");
  expect (&file_mode, "x\n", "(x\\n)");
  /* CR is an ordinary character: only LF ends a chunk.  */
  expect (&file_mode, "a\rb\r\n\rc\r", "(a\\rb\\r\\n|\\rc\\r)");
  /* NFC, bytes that are not UTF-8, NUL.  */
  expect (&file_mode, "e\xcc\x81\n", "(\xc3\xa9\\n)");
  expect (&file_mode, "\x80\n\xff", "(\\x80\\n|\\xff)");
  expect (&file_mode, "a\n\xcc\x81", "(a\\n|\xcc\x81)");
  expect (&file_mode, "e\x80\xcc\x81", "(e\\x80\xcc\x81)");
  expect (&file_mode, "ab\xe4\xb8", "(ab\\xe4\\xb8)");
  expect_len (&file_mode, "a\0b\n\0", 5, "(a\\x00b\\n|\\x00)");
  /* Without normalisation the bytes stay.  */
  struct bp_chunk_params raw = file_mode;
  raw.normalize = 0;
  expect (&raw, "e\xcc\x81\nx", "(e\xcc\x81\\n|x)");
  expect (&raw, "\xe4\xb8\n\xad", "(\\xe4\\xb8\\n|\\xad)");
}
END_TEST

START_TEST (test_lines_mode)
{
  expect (&lines_mode, "", "");
  expect (&lines_mode, "ab\n\ncd\r\nef", "(ab)()(cd\\r)(ef)");
  expect (&lines_mode, "ab\n", "(ab)");
  expect (&lines_mode, "\n", "()");
  expect (&lines_mode, "\n\n", "()()");
  expect (&lines_mode, "e\xcc\x81\nx", "(\xc3\xa9)(x)");
  expect (&lines_mode, "a\n\xcc\x81" "b", "(a)(\xcc\x81" "b)");
  expect (&lines_mode, "\xe4\xb8\n\xad", "(\\xe4\\xb8)(\\xad)");
  expect_len (&lines_mode, "\0\n\0", 3, "(\\x00)(\\x00)");
  struct bp_chunk_params raw = lines_mode;
  raw.normalize = 0;
  expect (&raw, "e\xcc\x81\n\n", "(e\xcc\x81)()");
}
END_TEST

START_TEST (test_jsonl_mode)
{
  /* Every line a document, a blank one none ("-").  */
  expect (&jsonl_mode,
          "{\"text\": \"ab\\ncd\"}\n\n{\"text\": \"\"}\n  \n"
          "{\"x\": 1, \"text\": \"e\\u0301\"}",
          "(ab\\n|cd)-()-(\xc3\xa9)");
  expect (&jsonl_mode, "{\"text\": \"a\\u0000b\"}\r\n", "(a\\x00b)");
  expect (&jsonl_mode, "", "");
  expect (&jsonl_mode, "\n \t\n", "--");
  expect (&jsonl_mode, "\r", "-");
  struct bp_chunk_params body = jsonl_mode;
  body.jsonl_key = "body";
  expect (&body, "{\"text\": \"a\", \"body\": \"b\\n\\nc\"}\n", "(b\\n\\n|c)");
  body.jsonl_key = "meta.body";
  expect (&body, "{\"body\": \"a\", \"meta\": {\"body\": \"b\"}}\n", "(b)");
  /* Errors name their line; the documents before them come first, and
     the start of a document whose line turns out not to be JSON.  */
  char *e = fmt ("(a)-(b)!%d@4", BP_EFORMAT);
  expect (&jsonl_mode, "{\"text\": \"a\"}\n\n{\"text\": \"b\"}\nnot json\n"
          "{\"text\": \"c\"}\n", e);
  free (e);
  e = fmt ("(a)!%d@2", BP_EFORMAT);
  expect (&jsonl_mode, "{\"text\": \"a\"}\n[\"text\"]\n", e);
  expect (&jsonl_mode, "{\"text\": \"a\"}\n{\"txt\": \"b\"}\n", e);
  expect (&jsonl_mode, "{\"text\": \"a\"}\n{\"text\": 5}", e);
  free (e);
  expect_late_error (&jsonl_mode, "{\"text\": \"a\"}\n{\"text\": \"b\"",
                     "(a)", "(b", BP_EFORMAT, 2);
  expect_late_error (&jsonl_mode,
                     "{\"text\": \"a\"}\n{\"text\": \"bc\", 1}\n",
                     "(a)", "(bc", BP_EFORMAT, 2);
}
END_TEST

START_TEST (test_skip_invalid)
{
  /* Lines that are not JSON, or have no string member, are no
     documents; a line's text waits for its end.  */
  struct bp_chunk_params skip = jsonl_mode;
  skip.skip_invalid = 1;
  static const char in[] =
    "{\"text\": \"a\"}\nnot json\n{\"txt\": 1}\n[1]\n"
    "{\"text\": \"b\"\n{\"text\": 5}\n{\"text\": \"xyz\", 1}\n\n"
    "{\"text\": \"c\"}";
  expect (&skip, in, "(a)-------(c)");
  expect (&skip, "{\"text\": \"abc\", \"x\": }", "-");
  expect (&skip, "{\"text\": \"a\\u0301\"}\n{\"text\": \"\\u0301", "(\xc3\xa1)-");

  /* They are counted, and the first said.  */
  struct bp_chunker *c = bp_chunker_new (&skip);
  struct bp_buf out = { 0 };
  struct feeder f;
  struct bp_error first = { 0 };
  ck_assert_uint_eq (bp_chunker_skipped (c, &first), 0);
  int fd = feeder_open (&f, "{\"text\": \"a\"}\n", 14, 0);
  bp_chunker_open (c, fd);
  render_input (c, &out, NULL);
  feeder_close (&f, fd);
  fd = feeder_open (&f, in, sizeof in - 1, 5);
  bp_chunker_open (c, fd);
  render_input (c, &out, NULL);
  feeder_close (&f, fd);
  ck_assert_uint_eq (bp_chunker_skipped (c, &first), 6);
  ck_assert_int_eq (first.code, BP_EFORMAT);
  ck_assert_uint_eq (first.line, 2);
  ck_assert_uint_eq (first.input, 1);
  ck_assert_str_eq (first.detail,
                    "invalid JSON at byte 2: an invalid literal");
  bp_chunker_free (c);
  bp_buf_free (&out);
}
END_TEST

START_TEST (test_jsonl_streams)
{
  /* A member far longer than a read, in reads of a few bytes: the same
     chunks as the same text as a file, whatever the escapes.  */
  struct bp_chunk_params small = jsonl_mode, lines = file_mode;
  small.read_size = lines.read_size = 3;
  small.fragment_size = lines.fragment_size = 5;
  small.nfc_long = lines.nfc_long = 4;
  struct bp_buf text = { 0 }, json = { 0 };
  static const char *const parts[][2] = {
    { "ab", "ab" }, { "\n\n", "\\n\\n" }, { "e\xcc\x81", "e\\u0301" },
    { "\xcc\x81\xcc\x81", "\\u0301\\u0301" }, { "\xf0\x9f\x98\x80", "\\ud83d\\ude00" },
    { "\xff", "\\udcff" }, { "\"", "\\\"" }, { "x y", "x y" },
  };
  for (int round = 0; round < 2; round++)
    for (size_t i = 0; i < 300; i++)
      {
        const char *const *p = parts[(i * 7 + (size_t) round) % 8];
        CHECK (bp_buf_append (&text, p[0], strlen (p[0])) == 0);
        if (round == 0 && i == 0)
          {
            static const char head[] = "{\"n\": [1, 2], \"text\": \"";
            CHECK (bp_buf_append (&json, head, sizeof head - 1) == 0);
          }
        CHECK (bp_buf_append (&json, p[1], strlen (p[1])) == 0);
      }
  static const char tail[] = "\", \"m\": {\"a\": null}}";
  CHECK (bp_buf_append (&json, tail, sizeof tail - 1) == 0);
  char *want = render (&lines, text.data, text.len, 0);
  expect_len (&small, (const char *) json.data, json.len, want);
  small.skip_invalid = 1;
  expect_len (&small, (const char *) json.data, json.len, want);
  free (want);
  bp_buf_free (&text);
  bp_buf_free (&json);
}
END_TEST

START_TEST (test_training_cuts)
{
  /* Bodies are cut every 10000 characters, counted after NFC; a body
     of exactly 10000 keeps its LFs.  */
  char *x10k = rep ("x", 10000), *x5k = rep ("x", 5000);
  char *in = fmt ("%s%s%s\n", x10k, x10k, x5k);
  char *exp = fmt ("(%s|%s|%s\\n)", x10k, x10k, x5k);
  expect (&train, in, exp);
  free (in), free (exp);
  in = fmt ("%s\n\n", x10k);
  exp = fmt ("(%s\\n\\n)", x10k);
  expect (&train, in, exp);
  free (in), free (exp);
  in = fmt ("%sx\n", x10k);
  exp = fmt ("(%s|x\\n)", x10k);
  expect (&train, in, exp);
  free (in), free (exp);
  /* Characters, not bytes.  */
  char *zh = rep ("\xe4\xb8\xad", 10000);
  in = fmt ("%sa", zh);
  exp = fmt ("(%s|a)", zh);
  expect (&train, in, exp);
  free (in), free (exp);
  /* 20000 characters before NFC, 10000 after.  */
  char *dec = rep ("e\xcc\x81", 10000), *comp = rep ("\xc3\xa9", 10000);
  in = fmt ("%sz", dec);
  exp = fmt ("(%s|z)", comp);
  expect (&train, in, exp);
  free (in), free (exp);
  /* A byte that is not UTF-8 is one character.  */
  char *bad = rep ("\x80", 10001), *badesc = rep ("\\x80", 10000);
  exp = fmt ("(%s|\\x80)", badesc);
  expect (&train, bad, exp);
  free (exp);
  /* LF runs are cut every 100 LFs; the rest starts a chunk with no
     body.  */
  char *lf100 = rep ("\n", 100), *lf50 = rep ("\n", 50);
  char *elf100 = rep ("\\n", 100), *elf50 = rep ("\\n", 50);
  in = fmt ("a%s%s%sb", lf100, lf100, lf50);
  exp = fmt ("(a%s|%s|%s|b)", elf100, elf100, elf50);
  expect (&train, in, exp);
  free (in), free (exp);
  exp = fmt ("(%s)", elf100);
  expect (&train, lf100, exp);
  free (exp);
  in = fmt ("%s\n", lf100);
  exp = fmt ("(%s|\\n)", elf100);
  expect (&train, in, exp);
  free (in), free (exp);
  /* Lines mode cuts too; encoding (no cuts) keeps the chunk whole.  */
  struct bp_chunk_params tl = train;
  tl.mode = BP_DOC_LINES;
  in = fmt ("%s%s\n\nab", x10k, x5k);
  exp = fmt ("(%s|%s)()(ab)", x10k, x5k);
  expect (&tl, in, exp);
  free (in), free (exp);
  in = fmt ("%s%s%s\n", x10k, x10k, lf100);
  exp = fmt ("(%s%s%s\\n)", x10k, x10k, elf100);
  expect (&file_mode, in, exp);
  free (in), free (exp);
  free (x10k), free (x5k), free (zh), free (dec), free (comp), free (bad);
  free (badesc), free (lf100), free (lf50), free (elf100), free (elf50);
}
END_TEST

START_TEST (test_isolate_digits)
{
  /* Every Nd digit alone (ASCII, Arabic-Indic, fullwidth, a 4-byte
     mathematical digit); numerals that are not Nd stay in the text.  */
  expect (&train_digits, "ab12c\n\nd\xd9\xa3" "e",
          "(ab|1|2|c\\n\\n|d|\xd9\xa3|e)");
  expect (&train_digits, "x\xf0\x9d\x9f\x8ey\xef\xbc\x90",
          "(x|\xf0\x9d\x9f\x8e|y|\xef\xbc\x90)");
  expect (&train_digits, "\xc2\xb2\xe2\x91\xa0\xe2\x85\xa0 x",
          "(\xc2\xb2\xe2\x91\xa0\xe2\x85\xa0 x)");
  /* An LF run after a digit is a chunk of its own, cut at 100.  */
  expect (&train_digits, "a1\n\nb", "(a|1|\\n\\n|b)");
  expect (&train_digits, "1\n", "(1|\\n)");
  char *lf150 = rep ("\n", 150), *elf100 = rep ("\\n", 100);
  char *elf50 = rep ("\\n", 50);
  char *in = fmt ("7%s", lf150);
  char *exp = fmt ("(7|%s|%s)", elf100, elf50);
  expect (&train_digits, in, exp);
  free (in), free (exp);
  /* A byte that is not UTF-8 is never a digit.  */
  expect (&train_digits, "\xff" "5\xd9", "(\\xff|5|\\xd9)");
  /* A digit ends a body of 10000 characters like any cut.  */
  char *x10k = rep ("x", 10000);
  in = fmt ("%s5%s", x10k, "ab");
  exp = fmt ("(%s|5|ab)", x10k);
  expect (&train_digits, in, exp);
  free (in), free (exp);
  struct bp_chunk_params dl = train_digits;
  dl.mode = BP_DOC_LINES;
  expect (&dl, "12\n\n3a\n", "(1|2)()(3|a)");
  free (lf150), free (elf100), free (elf50), free (x10k);
}
END_TEST

START_TEST (test_long_chunk)
{
  /* A chunk of 12 MB with no LF arrives in pieces (chunk.h: no caller
     needs a whole file in memory), which add up to its NFC form.  */
  size_t n = 12u << 20;
  struct bp_buf in = { 0 }, want = { 0 };
  for (size_t i = 0; in.len < n; i++)
    {
      CHECK (bp_buf_append (&in, i % 3 ? "abc " : "e\xcc\x81 ", 4) == 0);
      CHECK (bp_buf_append (&want, i % 3 ? "abc " : "\xc3\xa9 ",
                            i % 3 ? 4 : 3) == 0);
    }
  struct bp_chunker *c = bp_chunker_new (&file_mode);
  struct feeder f;
  int fd = feeder_open (&f, in.data, in.len, 0);
  bp_chunker_open (c, fd);
  struct bp_span span;
  struct bp_error err;
  struct bp_buf got = { 0 };
  size_t spans = 0;
  int rc;
  while ((rc = bp_chunker_next (c, &span, &err)) == 1)
    {
      spans++;
      CHECK (bp_buf_append (&got, span.data, span.len) == 0);
      if (!(span.flags & BP_SPAN_DOC_END))
        CHECK (span.flags == 0);
    }
  ck_assert_int_eq (rc, 0);
  ck_assert_uint_gt (spans, 1);
  ck_assert_uint_eq (got.len, want.len);
  ck_assert (memcmp (got.data, want.data, got.len) == 0);
  ck_assert_uint_eq (bp_chunker_bytes_read (c), in.len);
  feeder_close (&f, fd);
  bp_chunker_free (c);
  bp_buf_free (&in);
  bp_buf_free (&want);
  bp_buf_free (&got);
}
END_TEST

START_TEST (test_inputs)
{
  /* Each input starts afresh: its own documents and line numbers.  */
  struct bp_chunker *c = bp_chunker_new (&jsonl_mode);
  struct bp_buf out = { 0 };
  struct feeder f;
  int fd = feeder_open (&f, "{\"text\": \"a\"}\n", 14, 0);
  bp_chunker_open (c, fd);
  render_input (c, &out, NULL);
  feeder_close (&f, fd);
  fd = feeder_open (&f, "{\"text\": \"b\"}\n{}\n", 17, 3);
  bp_chunker_open (c, fd);
  render_input (c, &out, NULL);
  feeder_close (&f, fd);
  char *exp = fmt ("(a)(b)!%d@2", BP_EFORMAT);
  ck_assert_uint_eq (out.len, strlen (exp));
  ck_assert_mem_eq (out.data, exp, out.len);
  free (exp);
  bp_chunker_free (c);

  /* A read error is BP_EIO with its errno.  */
  c = bp_chunker_new (&file_mode);
  int p[2];
  ck_assert_int_eq (pipe (p), 0);
  bp_chunker_open (c, p[1]);
  struct bp_span span;
  struct bp_error err = { 0 };
  ck_assert_int_eq (bp_chunker_next (c, &span, &err), BP_EIO);
  ck_assert_int_eq (err.errnum, EBADF);
  close (p[0]);
  close (p[1]);
  bp_chunker_free (c);
  bp_buf_free (&out);
  bp_chunker_free (NULL);
}
END_TEST

static Suite *
chunk_suite (void)
{
  Suite *s = suite_create ("chunk");
  TCase *tc = tcase_create ("documents");
  tcase_add_test (tc, test_file_mode);
  tcase_add_test (tc, test_lines_mode);
  tcase_add_test (tc, test_jsonl_mode);
  tcase_add_test (tc, test_skip_invalid);
  tcase_add_test (tc, test_jsonl_streams);
  tcase_add_test (tc, test_inputs);
  tcase_set_timeout (tc, 120);
  suite_add_tcase (s, tc);
  tc = tcase_create ("training cuts");
  tcase_add_test (tc, test_training_cuts);
  tcase_add_test (tc, test_isolate_digits);
  tcase_set_timeout (tc, 300);
  suite_add_tcase (s, tc);
  tc = tcase_create ("long chunks");
  tcase_add_test (tc, test_long_chunk);
  tcase_set_timeout (tc, 300);
  suite_add_tcase (s, tc);
  return s;
}

int
main (void)
{
  SRunner *sr = srunner_create (chunk_suite ());
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
