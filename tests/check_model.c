/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of src/lib/model/model: the text and JSON forms read what they write,
   the JSON writer writes what Python's json.dump (Trainer.save) writes,
   both readers agree on the reference models, and bad models are refused
   with the line and reason (DESIGN.md section 2).  */
#include <config.h>

#include <check.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "model.h"
#include "model_jsonfast.h"

/* The file NAME under $srcdir/data (or ./data), read whole into a new
   buffer; *LEN its size.  */
static char *
slurp (const char *dir, const char *name, size_t *len)
{
  char path[4096];
  snprintf (path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen (path, "rb");
  ck_assert_msg (f != NULL, "cannot open %s", path);
  char *buf = NULL;
  size_t cap = 0, n = 0, got;
  do
    {
      if (cap - n < 65536)
        {
          cap = cap * 2 + 65536;
          buf = realloc (buf, cap);
          ck_assert (buf != NULL);
        }
      got = fread (buf + n, 1, cap - n, f);
      n += got;
    }
  while (got > 0);
  ck_assert (!ferror (f));
  fclose (f);
  *len = n;
  return buf;
}

static const char *
data_dir (void)
{
  static char dir[4096];
  const char *srcdir = getenv ("srcdir");
  snprintf (dir, sizeof dir, "%s/data", srcdir ? srcdir : ".");
  return dir;
}

/* Read MODEL text (LEN bytes) with READER; returns the result code.  */
static int
read_mem (int (*reader) (FILE *, struct bp_model **, struct bp_error *),
          const char *text, size_t len, struct bp_model **m,
          struct bp_error *err)
{
  FILE *f = fmemopen ((void *) text, len, "r");
  ck_assert (f != NULL);
  bp_error_clear (err);
  *m = NULL;
  int rc = reader (f, m, err);
  fclose (f);
  if (rc)
    ck_assert (*m == NULL);
  else
    ck_assert (*m != NULL);
  return rc;
}

/* Write M with WRITER into a new buffer; *LEN its size.  */
static char *
write_mem (int (*writer) (FILE *, const struct bp_model *),
           const struct bp_model *m, size_t *len)
{
  char *buf = NULL;
  FILE *f = open_memstream (&buf, len);
  ck_assert (f != NULL);
  ck_assert_int_eq (writer (f, m), 0);
  ck_assert_int_eq (fclose (f), 0);
  return buf;
}

static void
assert_same_pieces (const struct bp_model *a, const struct bp_model *b)
{
  ck_assert_uint_eq (a->n, b->n);
  ck_assert_uint_eq (a->total, b->total);
  ck_assert_uint_eq (a->max_len, b->max_len);
  for (size_t i = 0; i < a->n; i++)
    {
      size_t la, lb;
      const uint8_t *pa = bp_model_piece (a, i, &la);
      const uint8_t *pb = bp_model_piece (b, i, &lb);
      ck_assert_uint_eq (la, lb);
      ck_assert_mem_eq (pa, pb, la);
      ck_assert_uint_eq (a->count[i], b->count[i]);
    }
}

/* A model with every single byte and pieces that need escaping.  */
static struct bp_model *
odd_model (const struct bp_model_params *params)
{
  static const char *const multi[] = {
    "a\tb", "\\x41", "\n\n", "\xff\xfe", "\xe4\xb8\xad\xe6\x96\x87", "a b",
    "\r\n", "\"q\"", "\x7f\x00", "\xe4\xb8", "\xf0\x9f\x98\x80", "<pad>"
  };
  static const size_t mlen[] = { 3, 4, 2, 2, 6, 3, 2, 3, 2, 2, 4, 5 };
  const uint8_t *pieces[256 + 12];
  size_t lens[256 + 12];
  uint64_t counts[256 + 12];
  static uint8_t bytes[256];
  size_t n = 0;
  for (int b = 0; b < 256; b++)
    {
      bytes[b] = (uint8_t) b;
      pieces[n] = bytes + b;
      lens[n] = 1;
      counts[n++] = (uint64_t) b * 1000003 + 1;
    }
  for (size_t i = 0; i < sizeof multi / sizeof *multi; i++)
    {
      pieces[n] = (const uint8_t *) multi[i];
      lens[n] = mlen[i];
      counts[n++] = i == 0 ? UINT64_C (1) << 62 : i + 1;
    }
  struct bp_model *m = bp_model_new (n, pieces, lens, counts, params);
  ck_assert (m != NULL);
  return m;
}

START_TEST (test_text_round_trip)
{
  struct bp_model_params params = { 6, 8, 36, 1, 0, 1 };
  struct bp_model *m = odd_model (&params), *back;
  struct bp_error err;
  size_t len;
  char *text = write_mem (bp_model_write_text, m, &len);
  const char *header = "#bytepiece-model 1 vocab=271 order=6 min_count=8 "
                       "max_piece_length=36 ensure_unicode=1 "
                       "isolate_digits=0 normalize=nfc\n";
  ck_assert_mem_eq (text, header, strlen (header));
  /* The lines of a few pieces, escaped.  */
  ck_assert (strstr (text, "\n3\t\\x00\t1\n") != NULL);
  ck_assert (strstr (text, "\n259\ta\\tb\t4611686018427387904\n") != NULL);
  ck_assert (strstr (text, "\n260\t\\\\x41\t2\n") != NULL);
  ck_assert (strstr (text, "\n262\t\\xff\\xfe\t4\n") != NULL);
  ck_assert (strstr (text, "\n264\ta b\t6\n") != NULL);
  ck_assert (strstr (text, "\n267\t\\x7f\\x00\t9\n") != NULL);
  ck_assert (strstr (text, "\n268\t\\xe4\\xb8\t10\n") != NULL);
  ck_assert_int_eq (read_mem (bp_model_read_text, text, len, &back, &err), 0);
  assert_same_pieces (m, back);
  ck_assert_int_eq (back->params.order, 6);
  ck_assert_int_eq (back->params.min_count, 8);
  ck_assert_int_eq (back->params.max_piece_length, 36);
  ck_assert_int_eq (back->params.ensure_unicode, 1);
  ck_assert_int_eq (back->params.isolate_digits, 0);
  ck_assert_int_eq (back->params.normalize, 1);
  bp_model_free (back);
  free (text);
  bp_model_free (m);

  /* Unknown parameters are left out, and come back unknown.  */
  m = odd_model (NULL);
  text = write_mem (bp_model_write_text, m, &len);
  header = "#bytepiece-model 1 vocab=271\n";
  ck_assert_mem_eq (text, header, strlen (header));
  ck_assert_int_eq (read_mem (bp_model_read_text, text, len, &back, &err), 0);
  assert_same_pieces (m, back);
  ck_assert_int_eq (back->params.order, -1);
  ck_assert_int_eq (back->params.normalize, -1);
  bp_model_free (back);
  free (text);
  bp_model_free (m);
}
END_TEST

START_TEST (test_json_round_trip)
{
  struct bp_model *m = odd_model (NULL), *back;
  struct bp_error err;
  size_t len;
  char *text = write_mem (bp_model_write_json, m, &len);
  ck_assert_int_eq (read_mem (bp_model_read_json, text, len, &back, &err), 0);
  assert_same_pieces (m, back);
  ck_assert_int_eq (back->params.normalize, -1);
  /* Python's json: the text of a piece drops bytes that are not UTF-8
     and escapes controls, quotes and backslashes only.  */
  ck_assert (strstr (text, "\"/w==\": [\n        258,\n        \"\",\n") != NULL);
  ck_assert (strstr (text, "\"//4=\": [\n        262,\n        \"\",\n") != NULL);
  ck_assert (strstr (text, "\"InEi\": [\n        266,\n        \"\\\"q\\\"\",\n")
             != NULL);
  ck_assert (strstr (text, "\"fwA=\": [\n        267,\n        \"\x7f\\u0000\",\n")
             != NULL);
  ck_assert (strstr (text, "\"5Lg=\": [\n        268,\n        \"\",\n") != NULL);
  bp_model_free (back);
  free (text);
  bp_model_free (m);

  /* The empty model.  */
  m = bp_model_new (0, NULL, NULL, NULL, NULL);
  ck_assert (m != NULL);
  text = write_mem (bp_model_write_json, m, &len);
  ck_assert_uint_eq (len, 2);
  ck_assert_mem_eq (text, "{}", 2);
  ck_assert_int_eq (read_mem (bp_model_read_json, text, len, &back, &err), 0);
  ck_assert_uint_eq (back->n, 0);
  bp_model_free (back);
  free (text);
  bp_model_free (m);
}
END_TEST

START_TEST (test_tiny_fixture)
{
  /* good-tiny.json is what Python's json.dump wrote for good-tiny.model
     (see data/README): the writer must give it byte for byte, and both
     files must be the same model.  */
  char path[4200];
  struct bp_model *text, *json;
  struct bp_error err = { 0 };
  snprintf (path, sizeof path, "%s/good-tiny.model", data_dir ());
  ck_assert_int_eq (bp_model_load (path, &text, &err), 0);
  snprintf (path, sizeof path, "%s/good-tiny.json", data_dir ());
  ck_assert_int_eq (bp_model_load (path, &json, &err), 0);
  assert_same_pieces (text, json);
  ck_assert_uint_eq (text->n, 268);
  ck_assert_uint_eq (text->max_len, 6);
  ck_assert_int_eq (text->params.normalize, 1);
  ck_assert_int_eq (text->params.max_piece_length, 36);
  size_t len, wlen;
  char *want = slurp (data_dir (), "good-tiny.json", &len);
  char *got = write_mem (bp_model_write_json, text, &wlen);
  ck_assert_uint_eq (wlen, len);
  ck_assert (memcmp (got, want, len) == 0);
  free (got);
  free (want);
  want = slurp (data_dir (), "good-tiny.model", &len);
  got = write_mem (bp_model_write_text, text, &wlen);
  ck_assert_uint_eq (wlen, len);
  ck_assert (memcmp (got, want, len) == 0);
  free (got);
  free (want);
  bp_model_free (text);
  bp_model_free (json);
}
END_TEST

/* The reference models of ../shared (run only when they are there).  */
static const char *shared_t1;

START_TEST (test_reference_models)
{
  static const char *const sizes[] = { "2000", "8000" };
  for (size_t i = 0; i < 2; i++)
    {
      char name[64], path[4200];
      size_t jlen, tlen, wlen;
      struct bp_model *json, *text;
      struct bp_error err = { 0 };
      snprintf (name, sizeof name, "model.%s.json", sizes[i]);
      char *jtext = slurp (shared_t1, name, &jlen);
      snprintf (path, sizeof path, "%s/%s", shared_t1, name);
      ck_assert_int_eq (bp_model_load (path, &json, &err), 0);
      /* The .txt files hold the record lines only: give them a header.  */
      snprintf (name, sizeof name, "model.%s.txt", sizes[i]);
      char *records = slurp (shared_t1, name, &tlen);
      static const char hdr[] = "#bytepiece-model 1\n";
      char *ttext = malloc (sizeof hdr - 1 + tlen);
      ck_assert (ttext != NULL);
      memcpy (ttext, hdr, sizeof hdr - 1);
      memcpy (ttext + sizeof hdr - 1, records, tlen);
      ck_assert_int_eq (read_mem (bp_model_read_text, ttext,
                                  sizeof hdr - 1 + tlen, &text, &err), 0);
      assert_same_pieces (json, text);
      /* Both writers reproduce the reference files.  */
      char *w = write_mem (bp_model_write_json, json, &wlen);
      ck_assert_uint_eq (wlen, jlen);
      ck_assert (memcmp (w, jtext, jlen) == 0);
      free (w);
      w = write_mem (bp_model_write_text, text, &wlen);
      const char *nl = memchr (w, '\n', wlen);
      ck_assert (nl != NULL);
      size_t hlen = (size_t) (nl + 1 - w);
      ck_assert_uint_eq (wlen - hlen, tlen);
      ck_assert (memcmp (w + hlen, records, tlen) == 0);
      free (w);
      free (jtext);
      free (records);
      free (ttext);
      bp_model_free (json);
      bp_model_free (text);
    }
}
END_TEST

/* Expect TEXT (text form) to be refused with CODE at LINE, the detail
   starting with DETAIL.  */
static void
refuse_text (const char *text, int code, uint64_t line, const char *detail)
{
  struct bp_model *m;
  struct bp_error err;
  int rc = read_mem (bp_model_read_text, text, strlen (text), &m, &err);
  ck_assert_msg (rc == code, "%s: code %d, not %d", text, rc, code);
  ck_assert_int_eq (err.code, code);
  ck_assert_msg (err.line == line, "%s: line %" PRIu64 ", not %" PRIu64,
                 text, err.line, line);
  ck_assert_msg (strncmp (err.detail, detail, strlen (detail)) == 0,
                 "%s: detail \"%s\"", text, err.detail);
}

START_TEST (test_text_errors)
{
  refuse_text ("", BP_EFORMAT, 1, "empty model");
  refuse_text ("#bytepiece-counts 1\n", BP_EFORMAT, 1, "not a bytepiece model");
  refuse_text ("#bytepiece-model\n", BP_EFORMAT, 1, "unsupported model format");
  refuse_text ("#bytepiece-model 1 normalize=nfd\n", BP_EFORMAT, 1,
               "bad header value normalize=nfd");
  refuse_text ("#bytepiece-model 1 order=-1\n", BP_EFORMAT, 1,
               "bad header value order=-1");
  refuse_text ("#bytepiece-model 1 vocab\n", BP_EFORMAT, 1,
               "bad header field 'vocab'");
  refuse_text ("#bytepiece-model 1\n3\ta\n", BP_EFORMAT, 2,
               "expected 'id<TAB>piece<TAB>count'");
  refuse_text ("#bytepiece-model 1\n03\ta\t1\n", BP_EFORMAT, 2, "bad id");
  refuse_text ("#bytepiece-model 1\n3\ta\t1\n3\tb\t1\n", BP_EFORMAT, 3,
               "id 3 where 4 was expected");
  refuse_text ("#bytepiece-model 1\n3\t\t1\n", BP_EFORMAT, 2, "empty piece");
  refuse_text ("#bytepiece-model 1\n3\ta\t0\n", BP_EFORMAT, 2, "bad count");
  refuse_text ("#bytepiece-model 1\n3\ta\t1 \n", BP_EFORMAT, 2, "bad count");
  refuse_text ("#bytepiece-model 1\n3\ta\t1\r\n", BP_EFORMAT, 2, "bad count");
  refuse_text ("#bytepiece-model 1\n3\ta\t18446744073709551616\n", BP_EFORMAT,
               2, "bad count");
  refuse_text ("#bytepiece-model 1\n3\ta\t18446744073709551615\n4\tb\t1\n",
               BP_EFORMAT, 3, "counts add up to more than 64 bits hold");
  refuse_text ("#bytepiece-model 1\n3\ta\\x4\t1\n", BP_EFORMAT, 2,
               "bad escape in piece at column 4");
  refuse_text ("#bytepiece-model 1 vocab=5\n3\ta\t1\n", BP_EFORMAT, 3,
               "unexpected end of model: the header says vocab=5, the file "
               "has 4 ids");
  refuse_text ("#bytepiece-model 1 vocab=4\n3\ta\t1\n4\tb\t1\n", BP_EFORMAT, 4,
               "unexpected end of model: the header says vocab=4");
  refuse_text ("#bytepiece-model 1\n3\ta\t1\n4\tb\t1\n5\t\\x61\t1\n",
               BP_EFORMAT, 4, "piece of id 5 repeats id 3");
  /* Pieces in (length, bytes) order are checked by comparing neighbours:
     two the same side by side are not in strictly increasing order.  */
  refuse_text ("#bytepiece-model 1\n3\ta\t1\n4\ta\t1\n",
               BP_EFORMAT, 3, "piece of id 4 repeats id 3");
  refuse_text ("#bytepiece-model 1\n3\ta\t1\n4\tb\t1\n5\tab\t1\n"
               "6\tab\t1\n", BP_EFORMAT, 5, "piece of id 6 repeats id 5");
  refuse_text ("#bytepiece-model 1\n3\ta\t1", BP_EFORMAT, 2,
               "truncated line (no newline at the end)");

  /* Accepted: fields of later versions, the escape in either case, a
     piece with NUL and a space.  */
  struct bp_model *m;
  struct bp_error err;
  const char *ok = "#bytepiece-model 1 vocab=5 colour=blue normalize=none\n"
                   "3\t\\xFFa \\x00\t7\n4\tb\t1\n";
  ck_assert_int_eq (read_mem (bp_model_read_text, ok, strlen (ok), &m, &err),
                    0);
  ck_assert_uint_eq (m->n, 2);
  ck_assert_int_eq (m->params.normalize, 0);
  size_t len;
  const uint8_t *p = bp_model_piece (m, 0, &len);
  ck_assert_uint_eq (len, 4);
  ck_assert_mem_eq (p, "\xff" "a \0", 4);
  ck_assert_uint_eq (m->total, 8);
  bp_model_free (m);
}
END_TEST

static void
refuse_json (const char *text, uint64_t line, const char *detail)
{
  struct bp_model *m;
  struct bp_error err;
  int rc = read_mem (bp_model_read_json, text, strlen (text), &m, &err);
  ck_assert_msg (rc == BP_EFORMAT, "%s: code %d", text, rc);
  ck_assert_msg (err.line == line, "%s: line %" PRIu64 ", not %" PRIu64,
                 text, err.line, line);
  ck_assert_msg (strncmp (err.detail, detail, strlen (detail)) == 0,
                 "%s: detail \"%s\"", text, err.detail);
}

START_TEST (test_json_errors)
{
  refuse_json ("[]", 1, "a JSON model must be an object");
  refuse_json ("{\"YQ==\": [3, \"a\", 1]", 1, "invalid JSON model: ");
  refuse_json ("{\"YQ==\": [3, \"a\", 1],\n\"YQ==\": [4, \"a\", 1]}", 2,
               "invalid JSON model: ");
  refuse_json ("{\"\": [3, \"\", 1]}", 1,
               "piece \"\": key is not a base64 piece");
  refuse_json ("{\"YR==\": [3, \"a\", 1]}", 1,
               "piece \"YR==\": key is not a base64 piece");
  refuse_json ("{\"YQ\": [3, \"a\", 1]}", 1,
               "piece \"YQ\": key is not a base64 piece");
  refuse_json ("{\"Y=Q=\": [3, \"a\", 1]}", 1,
               "piece \"Y=Q=\": key is not a base64 piece");
  refuse_json ("{\n\"YQ==\": [3, \"a\"]}", 2,
               "piece \"YQ==\": value is not [id, text, count]");
  refuse_json ("{\"YQ==\": [2, \"a\", 1]}", 1,
               "piece \"YQ==\": id out of range");
  refuse_json ("{\"YQ==\": [4, \"a\", 1]}", 1,
               "piece \"YQ==\": id out of range");
  refuse_json ("{\"YQ==\": [\"3\", \"a\", 1]}", 1,
               "piece \"YQ==\": id out of range");
  refuse_json ("{\"YQ==\": [3, \"a\", -1]}", 1,
               "piece \"YQ==\": count is not an integer of 0 or more");
  refuse_json ("{\"YQ==\": [3, \"a\", 1.5]}", 1,
               "piece \"YQ==\": count is not an integer of 0 or more");
  refuse_json ("{\"YQ==\": [3, \"a\", 0], \"Yg==\": [4, \"b\", 1]}", 0,
               "id 4 has a count and id 3, before it, has none");
  refuse_json ("{\"YQ==\": [3, \"a\", 1], \"Yg==\": [4, \"b\", 0],"
               " \"Cg==\": [5, \"\\n\", 0]}", 0,
               "a special token may not hold a LF");
  refuse_json ("{\"YQ==\": [3, \"a\", 1], \"Yg==\": [4, \"b\", 0],"
               " \"Yg==\": [5, \"b\", 0]}", 1, "invalid JSON model");
  refuse_json ("{\"YQ==\": [3, \"a\", 1], \"Yg==\": [3, \"b\", 1]}", 0,
               "id 3 is used twice");
  /* The text member is not checked: BytePiece itself ignores it.  */
  struct bp_model *m;
  struct bp_error err;
  const char *ok = "  \n{\"YQ==\": [4, \"whatever\", 2], \"/w==\": [3, 7, 1]}";
  ck_assert_int_eq (read_mem (bp_model_read_json, ok, strlen (ok), &m, &err),
                    0);
  ck_assert_uint_eq (m->n, 2);
  size_t len;
  const uint8_t *p = bp_model_piece (m, 0, &len);
  ck_assert_uint_eq (len, 1);
  ck_assert_int_eq (p[0], 0xff);
  ck_assert_uint_eq (m->count[1], 2);
  bp_model_free (m);
}
END_TEST

START_TEST (test_load)
{
  /* bp_model_load tells the forms apart by the first non-blank byte.  */
  char dir[] = "/tmp/check_model.XXXXXX";
  ck_assert (mkdtemp (dir) != NULL);
  char path[sizeof dir + 16];
  snprintf (path, sizeof path, "%s/m", dir);
  FILE *f = fopen (path, "w");
  ck_assert (f != NULL);
  fputs (" \r\n\t{\"YQ==\": [3, \"a\", 5]}\n", f);
  fclose (f);
  struct bp_model *m;
  struct bp_error err = { 0 };
  ck_assert_int_eq (bp_model_load (path, &m, &err), 0);
  ck_assert_uint_eq (m->n, 1);
  ck_assert_uint_eq (m->count[0], 5);
  bp_model_free (m);
  f = fopen (path, "w");
  ck_assert (f != NULL);
  fputs ("#bytepiece-model 1 vocab=4\n3\ta\t5\n", f);
  fclose (f);
  ck_assert_int_eq (bp_model_load (path, &m, &err), 0);
  ck_assert_uint_eq (m->n, 1);
  bp_model_free (m);
  remove (path);
  ck_assert_int_eq (bp_model_load (path, &m, &err), BP_EIO);
  ck_assert (m == NULL);
  ck_assert_int_eq (err.errnum, ENOENT);
  ck_assert_int_eq (bp_model_load (dir, &m, &err), BP_EIO);
  ck_assert_int_eq (err.errnum, EISDIR);
  rmdir (dir);
  bp_model_free (NULL);
}
END_TEST

START_TEST (test_new_and_unique)
{
  const uint8_t *pieces[3] = { (const uint8_t *) "ab", (const uint8_t *) "a",
                               (const uint8_t *) "ab" };
  size_t lens[3] = { 2, 1, 2 };
  uint64_t counts[3] = { UINT64_MAX, 1, 1 };
  /* The total must fit in 64 bits.  */
  ck_assert (bp_model_new (2, pieces, lens, counts, NULL) == NULL);
  counts[0] = 5;
  struct bp_model *m = bp_model_new (3, pieces, lens, counts, NULL);
  ck_assert (m != NULL);
  ck_assert_uint_eq (bp_model_vocab (m), 6);
  ck_assert_uint_eq (m->total, 7);
  ck_assert_uint_eq (m->max_len, 2);
  size_t dup = 0;
  struct bp_error err = { 0 };
  ck_assert_int_eq (bp_model_check_unique (m, &dup, &err), BP_EFORMAT);
  ck_assert_uint_eq (dup, 2);
  ck_assert_str_eq (err.detail, "piece of id 5 repeats id 3");
  bp_model_free (m);
  m = bp_model_new (2, pieces, lens, counts, NULL);
  ck_assert_int_eq (bp_model_check_unique (m, &dup, &err), 0);
  bp_model_free (m);
  /* Unique in (length, bytes) order, and out of it.  */
  const uint8_t *sorted[4] = { (const uint8_t *) "a", (const uint8_t *) "b",
                               (const uint8_t *) "ab", (const uint8_t *) "ba" };
  size_t slens[4] = { 1, 1, 2, 2 };
  uint64_t scounts[4] = { 1, 1, 1, 1 };
  m = bp_model_new (4, sorted, slens, scounts, NULL);
  ck_assert_int_eq (bp_model_check_unique (m, &dup, &err), 0);
  bp_model_free (m);
  m = bp_model_new (3, sorted + 1, slens + 1, scounts, NULL);
  ck_assert_int_eq (bp_model_check_unique (m, &dup, &err), 0);
  bp_model_free (m);
}
END_TEST

START_TEST (test_specials)
{
  /* Special tokens come last, count 0, counted in the text header; both
     forms keep them, and text -> JSON -> text is exact.  */
  const char *text = "#bytepiece-model 1 vocab=7 specials=2 normalize=nfc\n"
                     "3\ta\t5\n4\tb\t3\n5\t<|endoftext|>\t0\n6\t<\\x01>\t0\n";
  struct bp_model *m, *j;
  struct bp_error err;
  ck_assert_int_eq (read_mem (bp_model_read_text, text, strlen (text), &m,
                              &err), 0);
  ck_assert_uint_eq (m->n, 2);
  ck_assert_uint_eq (m->nspecial, 2);
  ck_assert_uint_eq (bp_model_vocab (m), 7);
  ck_assert_uint_eq (m->total, 8);
  ck_assert_uint_eq (m->max_len, 1);
  size_t len;
  const uint8_t *p = bp_model_piece (m, 2, &len);
  ck_assert_uint_eq (len, 13);
  ck_assert_mem_eq (p, "<|endoftext|>", 13);
  size_t jlen, tlen;
  char *json = write_mem (bp_model_write_json, m, &jlen);
  ck_assert_int_eq (read_mem (bp_model_read_json, json, jlen, &j, &err), 0);
  ck_assert_uint_eq (j->nspecial, 2);
  j->params = m->params;
  char *back = write_mem (bp_model_write_text, j, &tlen);
  ck_assert_uint_eq (tlen, strlen (text));
  ck_assert_mem_eq (back, text, tlen);
  free (json);
  free (back);
  bp_model_free (j);

  /* Adding: the rules every special token follows.  */
  const uint8_t *sp[2] = { (const uint8_t *) "<s>", (const uint8_t *) "a" };
  size_t sl[2] = { 3, 1 };
  ck_assert_int_eq (bp_model_add_specials (m, 2, sp, sl, &err), BP_EINVAL);
  ck_assert_str_eq (err.detail, "special token 'a' is already a piece (id 3)");
  sp[1] = (const uint8_t *) "<s>";
  sl[1] = 3;
  ck_assert_int_eq (bp_model_add_specials (m, 2, sp, sl, &err), BP_EINVAL);
  ck_assert_str_eq (err.detail, "special token '<s>' is given twice");
  sp[1] = (const uint8_t *) "<|endoftext|>";
  sl[1] = 13;
  ck_assert_int_eq (bp_model_add_specials (m, 2, sp, sl, &err), BP_EINVAL);
  ck_assert_str_eq (err.detail, "special token '<|endoftext|>' is already a "
                    "special token of the model (id 5)");
  sp[1] = (const uint8_t *) "x\ny";
  sl[1] = 3;
  ck_assert_int_eq (bp_model_add_specials (m, 2, sp, sl, &err), BP_EINVAL);
  ck_assert_str_eq (err.detail, "a special token may not hold a LF: 'x\\ny'");
  sl[1] = 0;
  ck_assert_int_eq (bp_model_add_specials (m, 2, sp, sl, &err), BP_EINVAL);
  ck_assert_str_eq (err.detail, "a special token is empty");
  ck_assert_uint_eq (m->nspecial, 2);
  ck_assert_int_eq (bp_model_add_specials (m, 1, sp, sl, &err), 0);
  ck_assert_uint_eq (m->nspecial, 3);
  ck_assert_uint_eq (bp_model_vocab (m), 8);
  p = bp_model_piece (m, 4, &len);
  ck_assert_uint_eq (len, 3);
  ck_assert_mem_eq (p, "<s>", 3);
  ck_assert_uint_eq (m->count[4], 0);
  bp_model_free (m);

  /* The header and the lines must agree; count 0 only for specials.  */
  refuse_text ("#bytepiece-model 1 specials=1\n3\ta\t1\n", BP_EFORMAT, 3,
               "the header says specials=1, the file has 0 special tokens");
  refuse_text ("#bytepiece-model 1 specials=1\n3\ta\t0\n4\tb\t1\n",
               BP_EFORMAT, 3, "a counted piece after a special token");
  refuse_text ("#bytepiece-model 1 specials=1\n3\ta\t1\n4\ta\t0\n",
               BP_EFORMAT, 3, "piece of id 4 repeats id 3");
  refuse_text ("#bytepiece-model 1 specials=1\n3\ta\t1\n4\tb\\nc\t0\n",
               BP_EFORMAT, 3, "a special token may not hold a LF");
  refuse_text ("#bytepiece-model 1 specials=x\n", BP_EFORMAT, 1,
               "bad header value specials=x");
}
END_TEST

START_TEST (test_pipe)
{
  /* A model is read once from start to end: a pipe will do, in either
     form, blank lines before the JSON included.  */
  static const char *const cmds[] = {
    "printf '#bytepiece-model 1 vocab=4\\n3\\ta\\t5\\n'",
    "printf '\\n  {\"YQ==\": [3, \"a\", 5]}'"
  };
  for (size_t i = 0; i < 2; i++)
    {
      FILE *f = popen (cmds[i], "r");
      ck_assert (f != NULL);
      struct bp_model *m;
      struct bp_error err = { 0 };
      ck_assert_int_eq (bp_model_read (f, &m, &err), 0);
      ck_assert_int_eq (pclose (f), 0);
      ck_assert_uint_eq (m->n, 1);
      ck_assert_uint_eq (m->count[0], 5);
      bp_model_free (m);
    }
}
END_TEST

/* The fast JSON reader on TEXT: its result code, the model in *M.  */
static int
read_fast (const char *text, struct bp_model **m)
{
  struct bp_jsonin in = { 0 };
  in.f = fmemopen ((void *) text, strlen (text), "r");
  ck_assert (in.f != NULL);
  int rc = bp_model_read_json_fast (&in, m);
  fclose (in.f);
  free (in.buf);
  return rc;
}

START_TEST (test_json_numbers)
{
  /* The fast reader takes the ids and counts of up to 7 digits eight
     bytes at a time: every length of count, in Trainer.save's layout
     and without white space, the last one at the end of the file.  */
  static const uint64_t counts[] = {
    1, 7, 10, 42, 100, 909, 1000, 5678, 10203, 99999, 123456, 900001,
    1234567, 9999999, 12345678, 99999999, 123456789, 1000000000,
    12345678901, 100000000000000000u, 999999999999999999u
  };
  enum { N = sizeof counts / sizeof counts[0] };
  uint8_t bytes[N];
  const uint8_t *pieces[N];
  size_t lens[N];
  for (size_t i = 0; i < N; i++)
    {
      bytes[i] = (uint8_t) ('a' + i);
      pieces[i] = bytes + i;
      lens[i] = 1;
    }
  struct bp_model *m = bp_model_new (N, pieces, lens, counts, NULL), *back;
  ck_assert (m != NULL);
  size_t len;
  char *text = write_mem (bp_model_write_json, m, &len);
  char *compact = malloc (len + 1);
  ck_assert (compact != NULL);
  size_t k = 0;
  for (size_t i = 0; i < len; i++)
    if (text[i] != ' ' && text[i] != '\n')
      compact[k++] = text[i];
  compact[k] = 0;
  text = realloc (text, len + 1);
  ck_assert (text != NULL);
  text[len] = 0;
  for (int c = 0; c < 2; c++)
    {
      int rc = read_fast (c ? compact : text, &back);
      ck_assert_msg (rc == 0, "%s: %d", c ? compact : text, rc);
      assert_same_pieces (m, back);
      for (size_t i = 0; i < N; i++)
        ck_assert_uint_eq (back->count[i], counts[i]);
      bp_model_free (back);
    }
  free (compact);
  free (text);
  bp_model_free (m);

  /* What JSON does not allow, or the fast reader cannot read exactly,
     is left to jansson.  */
  static const char *const giveup[] = {
    "{\"YQ==\": [3, \"a\", 01]}", "{\"YQ==\": [03, \"a\", 1]}",
    "{\"YQ==\": [3, \"a\", 1.5]}", "{\"YQ==\": [3, \"a\", 12345.0]}",
    "{\"YQ==\": [3, \"a\", 1e3]}", "{\"YQ==\": [3, \"a\", 1234567E1]}",
    "{\"YQ==\": [3, \"a\", 12345678901234567890]}",
    "{\"YQ==\": [3, \"a\", -1]}", "{\"YQ==\": [3, \"a\", ]}",
  };
  for (size_t i = 0; i < sizeof giveup / sizeof giveup[0]; i++)
    ck_assert_msg (read_fast (giveup[i], &back) == 1, "%s", giveup[i]);
}
END_TEST

START_TEST (test_json_blocks)
{
  /* A large JSON model is read a block at a time; an error near its end,
     found after many blocks, is worded by reading it again from the
     start, from a file or from a pipe alike.  */
  enum { N = 30000 };
  static uint8_t bytes[N][8];
  const uint8_t *pieces[N];
  size_t lens[N];
  uint64_t counts[N];
  for (size_t i = 0; i < N; i++)
    {
      snprintf ((char *) bytes[i], sizeof bytes[i], "p%05zu", i);
      pieces[i] = bytes[i];
      lens[i] = 6;
      counts[i] = i + 1;
    }
  struct bp_model *m = bp_model_new (N, pieces, lens, counts, NULL), *back;
  ck_assert (m != NULL);
  size_t jlen;
  char *json = write_mem (bp_model_write_json, m, &jlen);
  ck_assert_uint_gt (jlen, 1 << 20);

  char dir[] = "/tmp/check_model.XXXXXX";
  ck_assert (mkdtemp (dir) != NULL);
  char path[sizeof dir + 16], cmd[sizeof path + 16];
  snprintf (path, sizeof path, "%s/m", dir);
  snprintf (cmd, sizeof cmd, "cat %s", path);
  struct bp_error err = { 0 };
  for (int bad = 0; bad < 2; bad++)
    {
      if (bad)
        {
          /* The last piece becomes the first one again.  */
          char *k = strstr (json, "\"cDI5OTk5\"");
          ck_assert (k != NULL);
          memcpy (k, "\"cDAwMDAw\"", 10);
        }
      FILE *f = fopen (path, "w");
      ck_assert (f != NULL);
      ck_assert_uint_eq (fwrite (json, 1, jlen, f), jlen);
      ck_assert_int_eq (fclose (f), 0);
      for (int pipe = 0; pipe < 2; pipe++)
        {
          int rc;
          if (pipe)
            {
              f = popen (cmd, "r");
              ck_assert (f != NULL);
              rc = bp_model_read (f, &back, &err);
              ck_assert_int_eq (pclose (f), 0);
            }
          else
            rc = bp_model_load (path, &back, &err);
          if (!bad)
            {
              ck_assert_int_eq (rc, 0);
              assert_same_pieces (m, back);
              bp_model_free (back);
              continue;
            }
          ck_assert_int_eq (rc, BP_EFORMAT);
          ck_assert_uint_eq (err.line, 5 * (N - 1) + 2);
          ck_assert_str_eq (err.detail, "invalid JSON model: duplicate "
                            "object key near '\"cDAwMDAw\"'");
        }
    }
  remove (path);
  rmdir (dir);
  free (json);
  bp_model_free (m);

  /* An escape of a NUL byte is no JSON.  */
  static const char nul[] = "{\"YQ==\": [3, \"\\\0\", 1]}";
  ck_assert_int_eq (read_mem (bp_model_read_json, nul, sizeof nul - 1, &m,
                              &err), BP_EFORMAT);
  ck_assert_str_eq (err.detail, "invalid JSON model: invalid escape near "
                    "'\"\\\\'");
}
END_TEST

static Suite *
model_suite (void)
{
  Suite *s = suite_create ("model");
  TCase *tc = tcase_create ("round trips");
  tcase_add_test (tc, test_text_round_trip);
  tcase_add_test (tc, test_json_round_trip);
  tcase_add_test (tc, test_tiny_fixture);
  tcase_add_test (tc, test_specials);
  tcase_add_test (tc, test_pipe);
  tcase_add_test (tc, test_json_blocks);
  tcase_add_test (tc, test_json_numbers);
  suite_add_tcase (s, tc);

  /* The reference models: only where ../shared is (the shell tests
     skip without it; a unit test can only leave the case out).  */
  static char t1[4096];
  const char *shared = getenv ("BP_SHARED");
  struct stat st;
  if (shared)
    {
      snprintf (t1, sizeof t1, "%s/vectors/train/t1", shared);
      if (stat (t1, &st) == 0)
        {
          shared_t1 = t1;
          tc = tcase_create ("reference models");
          tcase_add_test (tc, test_reference_models);
          tcase_set_timeout (tc, 120);
          suite_add_tcase (s, tc);
        }
    }
  if (!shared_t1)
    fprintf (stderr, "check_model: ../shared not found, reference models "
                     "not compared\n");

  tc = tcase_create ("errors");
  tcase_add_test (tc, test_text_errors);
  tcase_add_test (tc, test_json_errors);
  tcase_add_test (tc, test_load);
  tcase_add_test (tc, test_new_and_unique);
  suite_add_tcase (s, tc);
  return s;
}

int
main (void)
{
  SRunner *sr = srunner_create (model_suite ());
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
