/* Unit tests of src/lib/stats/stats.c: the kinds of pieces and the CJK ranges at
   their edges, counting characters fed in parts cut anywhere, the length
   histogram, count-file summaries with ties in the largest counts, token
   statistics that match the segmenter, and both report forms: the JSON
   ones parsed back with jansson, with the keys bp-stats(1) documents.  */
#include <config.h>

#include <check.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chunk.h"
#include "error.h"
#include "model.h"
#include "stats.h"
#include "unigram.h"

/* A stream reading the N bytes at S.  */
static FILE *
mem_in (const char *s, size_t n)
{
  FILE *f = tmpfile ();
  ck_assert_ptr_nonnull (f);
  ck_assert_uint_eq (fwrite (s, 1, n, f), n);
  rewind (f);
  return f;
}

#define MEM_IN(s) mem_in ((s), sizeof (s) - 1)
#define KIND(s) bp_piece_classify ((const uint8_t *) (s), sizeof (s) - 1)

/* ------------------------------------------------------------------ */

START_TEST (test_is_cjk)
{
  static const struct
  {
    uint32_t cp;
    int cjk;
  } t[] = {
    { 0x41, 0 },     { 0x10FF, 0 },   { 0x1100, 1 },   { 0x11FF, 1 },
    { 0x1200, 0 },   { 0x2E7F, 0 },   { 0x2E80, 1 },   { 0x2FDF, 1 },
    { 0x2FE0, 0 },   { 0x2FEF, 0 },   { 0x2FF0, 1 },   { 0x3000, 1 },
    { 0x3002, 1 },   { 0x3041, 1 },   { 0x30FF, 1 },   { 0x3105, 1 },
    { 0x33FF, 1 },   { 0x3400, 1 },   { 0x4DBF, 1 },   { 0x4DC0, 0 },
    { 0x4DFF, 0 },   { 0x4E00, 1 },   { 0x4E2D, 1 },   { 0x9FFF, 1 },
    { 0xA000, 0 },   { 0xA960, 1 },   { 0xA980, 0 },   { 0xABFF, 0 },
    { 0xAC00, 1 },   { 0xD7A3, 1 },   { 0xD7FF, 1 },   { 0xE000, 0 },
    { 0xF8FF, 0 },   { 0xF900, 1 },   { 0xFAFF, 1 },   { 0xFB00, 0 },
    { 0xFE2F, 0 },   { 0xFE30, 1 },   { 0xFE4F, 1 },   { 0xFE50, 0 },
    { 0xFF0C, 1 },   { 0xFFEF, 1 },   { 0xFFF0, 0 },   { 0x1AFEF, 0 },
    { 0x1AFF0, 1 },  { 0x1B16F, 1 },  { 0x1B170, 0 },  { 0x1F600, 0 },
    { 0x1FFFF, 0 },  { 0x20000, 1 },  { 0x2A6DF, 1 },  { 0x3FFFF, 1 },
    { 0x40000, 0 },  { 0x10FFFF, 0 },
  };
  for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
    ck_assert_msg (bp_is_cjk (t[i].cp) == t[i].cjk, "U+%04X", t[i].cp);
}
END_TEST

START_TEST (test_classify)
{
  ck_assert_int_eq (KIND ("abc"), BP_KIND_ASCII);
  ck_assert_int_eq (KIND ("\0"), BP_KIND_ASCII);
  ck_assert_int_eq (KIND ("\x7f\n"), BP_KIND_ASCII);
  ck_assert_int_eq (KIND ("\xe4\xb8\xad\xe6\x96\x87"), BP_KIND_CJK);  /* 中文 */
  ck_assert_int_eq (KIND ("\xef\xbc\x8c"), BP_KIND_CJK);   /* fullwidth , */
  ck_assert_int_eq (KIND ("\xe3\x80\x82"), BP_KIND_CJK);   /* 。 */
  ck_assert_int_eq (KIND ("\xf0\xa0\x80\x80"), BP_KIND_CJK); /* U+20000 */
  /* Mixed with ASCII: other.  */
  ck_assert_int_eq (KIND ("\xe4\xb8\xad "), BP_KIND_OTHER);
  ck_assert_int_eq (KIND ("\xe3\x80\x82\n"), BP_KIND_OTHER);
  ck_assert_int_eq (KIND ("\xc3\xa9"), BP_KIND_OTHER);     /* é */
  ck_assert_int_eq (KIND ("caf\xc3\xa9"), BP_KIND_OTHER);
  ck_assert_int_eq (KIND ("\xf0\x9f\x98\x80"), BP_KIND_OTHER); /* emoji */
  /* Anything outside a well-formed sequence: partial.  */
  ck_assert_int_eq (KIND ("\x80"), BP_KIND_PARTIAL);
  ck_assert_int_eq (KIND ("\xff"), BP_KIND_PARTIAL);
  ck_assert_int_eq (KIND ("a\xe4\xb8"), BP_KIND_PARTIAL);
  ck_assert_int_eq (KIND ("\xe4\xb8\xad\xe4"), BP_KIND_PARTIAL);
  ck_assert_int_eq (KIND ("\xb8\xad"), BP_KIND_PARTIAL);
  ck_assert_int_eq (KIND ("\xed\xa0\x80"), BP_KIND_PARTIAL); /* surrogate */
  ck_assert_int_eq (KIND ("\xc0\x80"), BP_KIND_PARTIAL);     /* overlong */
  ck_assert_str_eq (bp_piece_kind_name (BP_KIND_ASCII), "ascii");
  ck_assert_str_eq (bp_piece_kind_name (BP_KIND_CJK), "cjk");
  ck_assert_str_eq (bp_piece_kind_name (BP_KIND_OTHER), "other");
  ck_assert_str_eq (bp_piece_kind_name (BP_KIND_PARTIAL), "partial");
}
END_TEST

/* The characters of the N bytes at S fed in one part, in two, and in
   three, cut at every place: always EXPECTED.  */
static void
check_chars (const char *s, size_t n, uint64_t expected)
{
  const uint8_t *p = (const uint8_t *) s;
  for (size_t i = 0; i <= n; i++)
    for (size_t j = i; j <= n; j++)
      {
        struct bp_charcount c = { 0 };
        bp_charcount_feed (&c, p, i, 0);
        bp_charcount_feed (&c, p + i, j - i, 0);
        bp_charcount_feed (&c, p + j, n - j, 1);
        ck_assert_msg (c.chars == expected && c.npend == 0,
                       "cut at %zu and %zu: %llu characters, not %llu", i,
                       j, (unsigned long long) c.chars,
                       (unsigned long long) expected);
      }
}

#define CHECK_CHARS(s, k) check_chars ((s), sizeof (s) - 1, (k))

START_TEST (test_charcount)
{
  CHECK_CHARS ("", 0);
  CHECK_CHARS ("abc\n", 4);
  CHECK_CHARS ("\0\0", 2);
  CHECK_CHARS ("\xe4\xb8\xad\xe6\x96\x87", 2);
  CHECK_CHARS ("\xf0\x9f\x98\x80x", 2);
  /* a, 中, then E4 B8 cut short (two characters), b, FF, an emoji.  */
  CHECK_CHARS ("a\xe4\xb8\xad\xe4\xb8" "b\xff\xf0\x9f\x98\x80", 7);
  /* Sequences that break after one, two or three bytes.  */
  CHECK_CHARS ("\xf0\x9f\x98" "a", 4);
  CHECK_CHARS ("\xf0\x9f" "\xe4\xb8\xad", 3);
  CHECK_CHARS ("\xe4" "\xe4\xb8\xad", 2);
  CHECK_CHARS ("\xe4\xb8\xad\xe4\xb8", 3);
  CHECK_CHARS ("\xed\xa0\x80", 3);
  CHECK_CHARS ("\x80\x80\xbf", 3);

  /* At the end of a chunk an incomplete sequence is complete.  */
  struct bp_charcount c = { 0 };
  bp_charcount_feed (&c, (const uint8_t *) "a\xe4", 2, 1);
  ck_assert_uint_eq (c.chars, 2);
  ck_assert_uint_eq (c.npend, 0);
  bp_charcount_feed (&c, (const uint8_t *) "\xb8\xad", 2, 1);
  ck_assert_uint_eq (c.chars, 4);
}
END_TEST

START_TEST (test_lenhist)
{
  struct bp_lenhist h = { 0 };
  ck_assert_int_eq (bp_lenhist_add (&h, 3, 1), 0);
  ck_assert_int_eq (bp_lenhist_add (&h, 1, 2), 0);
  ck_assert_int_eq (bp_lenhist_add (&h, 100, 5), 0);
  ck_assert_int_eq (bp_lenhist_add (&h, 3, 1), 0);
  ck_assert_uint_ge (h.max, 100);
  ck_assert_uint_eq (h.count[1], 2);
  ck_assert_uint_eq (h.count[2], 0);
  ck_assert_uint_eq (h.count[3], 2);
  for (size_t l = 4; l < 100; l++)
    ck_assert_uint_eq (h.count[l], 0);
  ck_assert_uint_eq (h.count[100], 5);
  bp_lenhist_free (&h);
  ck_assert_ptr_null (h.count);
  bp_lenhist_free (&h);
}
END_TEST

/* ------------------------------------------------------------------ */

static const char counts_file[]
  = "#bytepiece-counts 1 kind=pieces order=6 min_count=2 ensure_unicode=1 "
    "normalize=nfc isolate_digits=0\n"
    "\\n\t5\n"
    "a\t7\n"
    "ab\t5\n"
    "b\t7\n"
    "\xe4\xb8\xad\t1\n"
    "\xe4\xb8\xad\xe6\x96\x87\t2\n";

START_TEST (test_counts_read)
{
  struct bp_error err = { 0 };
  struct bp_stats_counts s;
  FILE *f = MEM_IN (counts_file);
  ck_assert_int_eq (bp_stats_counts_read (&s, "x", f, 3, &err), 0);
  fclose (f);
  ck_assert_int_eq (s.h.kind, BP_COUNTS_PIECES);
  ck_assert_uint_eq (s.h.min_count, 2);
  ck_assert_uint_eq (s.keys, 6);
  ck_assert_uint_eq (s.sum, 27);
  ck_assert_uint_eq (s.by_len.count[1], 3);
  ck_assert_uint_eq (s.by_len.count[2], 1);
  ck_assert_uint_eq (s.by_len.count[3], 1);
  ck_assert_uint_eq (s.by_len.count[6], 1);
  ck_assert_uint_eq (s.by_kind[BP_KIND_ASCII], 4);
  ck_assert_uint_eq (s.by_kind[BP_KIND_CJK], 2);
  /* The largest counts; on equal counts the earlier key.  */
  ck_assert_uint_eq (s.ntop, 3);
  ck_assert_mem_eq (s.top[0].key, "a", 1);
  ck_assert_uint_eq (s.top[0].count, 7);
  ck_assert_mem_eq (s.top[1].key, "b", 1);
  ck_assert_uint_eq (s.top[2].len, 1);
  ck_assert_mem_eq (s.top[2].key, "\n", 1);
  ck_assert_uint_eq (s.top[2].count, 5);
  bp_stats_counts_free (&s);

  f = MEM_IN (counts_file);
  ck_assert_int_eq (bp_stats_counts_read (&s, "x", f, 100, &err), 0);
  fclose (f);
  static const char *const order[] = { "a", "b", "\n", "ab",
                                       "\xe4\xb8\xad\xe6\x96\x87",
                                       "\xe4\xb8\xad" };
  ck_assert_uint_eq (s.ntop, 6);
  for (size_t i = 0; i < 6; i++)
    {
      ck_assert_uint_eq (s.top[i].len, strlen (order[i]));
      ck_assert_mem_eq (s.top[i].key, order[i], s.top[i].len);
    }
  bp_stats_counts_free (&s);

  f = MEM_IN (counts_file);
  ck_assert_int_eq (bp_stats_counts_read (&s, "x", f, 0, &err), 0);
  fclose (f);
  ck_assert_uint_eq (s.ntop, 0);
  ck_assert_uint_eq (s.keys, 6);
  bp_stats_counts_free (&s);
}
END_TEST

START_TEST (test_counts_errors)
{
  struct bp_error err = { 0 };
  struct bp_stats_counts s;
  FILE *f = MEM_IN ("#bytepiece-counts 1 kind=ngrams order=2 total=3 "
                    "normalize=nfc isolate_digits=0\n"
                    "a\t18446744073709551615\n"
                    "b\t1\n");
  ck_assert_int_eq (bp_stats_counts_read (&s, "x", f, 1, &err), BP_ERANGE);
  ck_assert_uint_eq (err.line, 3);
  fclose (f);
  bp_stats_counts_free (&s);

  f = MEM_IN ("#bytepiece-counts 1 kind=ngrams order=2 total=3 "
              "normalize=nfc isolate_digits=0\n"
              "b\t1\n"
              "a\t1\n");
  ck_assert_int_eq (bp_stats_counts_read (&s, "x", f, 1, &err), BP_EFORMAT);
  ck_assert_uint_eq (err.line, 3);
  fclose (f);
  bp_stats_counts_free (&s);

  f = MEM_IN ("a\t1\n");
  ck_assert_int_eq (bp_stats_counts_read (&s, "x", f, 1, &err), BP_EFORMAT);
  ck_assert_uint_eq (err.line, 1);
  fclose (f);
  bp_stats_counts_free (&s);
}
END_TEST

/* ------------------------------------------------------------------ */

/* A model of the 256 single bytes (count 1 each), "ab" (count 50) and
   "中" (count 20).  */
static struct bp_model *
small_model (void)
{
  static uint8_t bytes[256];
  const uint8_t *pieces[258];
  size_t lens[258];
  uint64_t counts[258];
  for (int i = 0; i < 256; i++)
    {
      bytes[i] = (uint8_t) i;
      pieces[i] = &bytes[i];
      lens[i] = 1;
      counts[i] = 1;
    }
  pieces[256] = (const uint8_t *) "ab";
  lens[256] = 2;
  counts[256] = 50;
  pieces[257] = (const uint8_t *) "\xe4\xb8\xad";
  lens[257] = 3;
  counts[257] = 20;
  struct bp_model_params p = { 6, 2, 36, 1, 0, 1 };
  struct bp_model *m = bp_model_new (258, pieces, lens, counts, &p);
  ck_assert_ptr_nonnull (m);
  return m;
}

/* The report on SMALL_MODEL after the text "abab中\n" (whose tokens are
   ab ab 中 \n), fed as a chunk in two spans that cut the 中.  */
struct fixture
{
  struct bp_model *m;
  struct bp_unigram *u;
  struct bp_stats_report r;
};

static void
fixture_make (struct fixture *fx)
{
  struct bp_error err = { 0 };
  fx->m = small_model ();
  fx->u = bp_unigram_new (fx->m, &err);
  ck_assert_ptr_nonnull (fx->u);
  memset (&fx->r, 0, sizeof fx->r);
  fx->r.nmodels = 1;
  fx->r.model = calloc (1, sizeof *fx->r.model);
  ck_assert_ptr_nonnull (fx->r.model);
  ck_assert_int_eq (bp_stats_model_init (&fx->r.model[0], "small \"m\"",
                                         fx->m), 0);

  const struct bp_unigram *u = fx->u;
  struct bp_stats_acc *a = bp_stats_acc_new (1, &u);
  ck_assert_ptr_nonnull (a);
  static const char text[] = "abab\xe4\xb8\xad\n";
  ck_assert_int_eq (bp_stats_acc_span (a, (const uint8_t *) text, 5, 0, 1),
                    0);
  ck_assert_int_eq (bp_stats_acc_span (a, (const uint8_t *) text + 5, 3,
                                       BP_SPAN_CHUNK_END | BP_SPAN_DOC_END,
                                       0), 0);
  /* A document with no chunk (an empty line in --lines mode).  */
  ck_assert_int_eq (bp_stats_acc_span (a, (const uint8_t *) "", 0,
                                       BP_SPAN_DOC_END, 1), 0);
  ck_assert_int_eq (bp_stats_acc_add_to (a, &fx->r), 0);
  bp_stats_acc_free (a);
}

static void
fixture_free (struct fixture *fx)
{
  bp_stats_model_free (&fx->r.model[0]);
  free (fx->r.model);
  bp_unigram_free (fx->u);
  bp_model_free (fx->m);
}

START_TEST (test_model_stats)
{
  struct fixture fx;
  fixture_make (&fx);
  const struct bp_stats_model *s = &fx.r.model[0];
  ck_assert_uint_eq (s->by_len.count[1], 256);
  ck_assert_uint_eq (s->by_len.count[2], 1);
  ck_assert_uint_eq (s->by_len.count[3], 1);
  ck_assert_uint_eq (s->by_kind[BP_KIND_ASCII], 129);
  ck_assert_uint_eq (s->by_kind[BP_KIND_CJK], 1);
  ck_assert_uint_eq (s->by_kind[BP_KIND_OTHER], 0);
  ck_assert_uint_eq (s->by_kind[BP_KIND_PARTIAL], 128);

  ck_assert_int_eq (fx.r.have_text, 1);
  ck_assert_uint_eq (fx.r.text.documents, 2);
  ck_assert_uint_eq (fx.r.text.chunks, 1);
  ck_assert_uint_eq (fx.r.text.bytes, 8);
  ck_assert_uint_eq (fx.r.text.chars, 6);
  ck_assert_uint_eq (s->tokens, 4);
  ck_assert_uint_eq (s->count[256], 2);
  ck_assert_uint_eq (s->count[257], 1);
  ck_assert_uint_eq (s->count['\n'], 1);
  ck_assert_uint_eq (bp_stats_model_used (s), 3);
  fixture_free (&fx);
}
END_TEST

/* What WRITE wrote, parsed as JSON.  */
static json_t *
parse (char *data, size_t len)
{
  json_error_t e;
  json_t *root = json_loadb (data, len, 0, &e);
  ck_assert_msg (root != NULL, "line %d: %s\n%s", e.line, e.text, data);
  free (data);
  return root;
}

static json_int_t
get_int (json_t *o, const char *key)
{
  json_t *v = json_object_get (o, key);
  ck_assert_msg (json_is_integer (v), "no integer %s", key);
  return json_integer_value (v);
}

START_TEST (test_json)
{
  struct fixture fx;
  fixture_make (&fx);
  struct bp_stats_layout l = { 2, 40 };
  char *data;
  size_t len;
  FILE *f = open_memstream (&data, &len);
  ck_assert_int_eq (bp_stats_write_json (f, &fx.r, &l), 0);
  fclose (f);
  json_t *root = parse (data, len);

  json_t *m = json_array_get (json_object_get (root, "models"), 0);
  ck_assert (json_is_object (m));
  ck_assert_str_eq (json_string_value (json_object_get (m, "file")),
                    "small \"m\"");
  ck_assert_int_eq (get_int (m, "vocab"), 261);
  ck_assert_int_eq (get_int (m, "pieces"), 258);
  ck_assert_int_eq (get_int (m, "total"), 326);
  ck_assert_int_eq (get_int (m, "max_piece_bytes"), 3);
  json_t *p = json_object_get (m, "params");
  ck_assert_int_eq (get_int (p, "order"), 6);
  ck_assert_int_eq (get_int (p, "min_count"), 2);
  ck_assert_int_eq (get_int (p, "max_piece_length"), 36);
  ck_assert_int_eq (get_int (p, "ensure_unicode"), 1);
  ck_assert_int_eq (get_int (p, "isolate_digits"), 0);
  ck_assert_str_eq (json_string_value (json_object_get (p, "normalize")),
                    "nfc");
  json_t *bl = json_object_get (m, "by_length");
  ck_assert_uint_eq (json_array_size (bl), 3);
  ck_assert_int_eq (json_integer_value (json_array_get (bl, 0)), 256);
  json_t *bk = json_object_get (m, "by_kind");
  ck_assert_int_eq (get_int (bk, "ascii"), 129);
  ck_assert_int_eq (get_int (bk, "cjk"), 1);
  ck_assert_int_eq (get_int (bk, "other"), 0);
  ck_assert_int_eq (get_int (bk, "partial"), 128);
  ck_assert_int_eq (get_int (m, "tokens"), 4);
  ck_assert (json_real_value (json_object_get (m, "bytes_per_token")) == 2.0);
  ck_assert (json_real_value (json_object_get (m, "chars_per_token")) == 1.5);
  ck_assert_int_eq (get_int (m, "pieces_used"), 3);
  ck_assert (json_is_real (json_object_get (m, "vocab_used")));

  json_t *top = json_object_get (m, "top");
  ck_assert_uint_eq (json_array_size (top), 2);
  json_t *t0 = json_array_get (top, 0);
  ck_assert_int_eq (get_int (t0, "id"), 259);
  ck_assert_str_eq (json_string_value (json_object_get (t0, "piece")), "ab");
  ck_assert_int_eq (get_int (t0, "count"), 2);
  ck_assert (json_real_value (json_object_get (t0, "share")) == 0.5);
  /* "\n" (id 13) before 中 (id 260) on equal counts; escaped.  */
  json_t *t1 = json_array_get (top, 1);
  ck_assert_str_eq (json_string_value (json_object_get (t1, "piece")),
                    "\\n");
  json_t *lo = json_array_get (json_object_get (m, "longest"), 0);
  ck_assert_str_eq (json_string_value (json_object_get (lo, "piece")),
                    "\xe4\xb8\xad");
  ck_assert_int_eq (get_int (lo, "bytes"), 3);
  ck_assert_int_eq (get_int (lo, "id"), 260);

  json_t *t = json_object_get (root, "text");
  ck_assert_int_eq (get_int (t, "documents"), 2);
  ck_assert_int_eq (get_int (t, "chunks"), 1);
  ck_assert_int_eq (get_int (t, "bytes"), 8);
  ck_assert_int_eq (get_int (t, "chars"), 6);
  json_decref (root);

  /* Without text: "text" is null and the token keys are absent.  */
  fx.r.have_text = 0;
  f = open_memstream (&data, &len);
  ck_assert_int_eq (bp_stats_write_json (f, &fx.r, &l), 0);
  fclose (f);
  root = parse (data, len);
  ck_assert (json_is_null (json_object_get (root, "text")));
  m = json_array_get (json_object_get (root, "models"), 0);
  ck_assert_ptr_null (json_object_get (m, "tokens"));
  ck_assert_ptr_nonnull (json_object_get (m, "by_kind"));
  json_decref (root);
  fixture_free (&fx);
}
END_TEST

START_TEST (test_json_counts)
{
  struct bp_error err = { 0 };
  struct bp_stats_counts s[2];
  FILE *f = MEM_IN (counts_file);
  ck_assert_int_eq (bp_stats_counts_read (&s[0], "a", f, 2, &err), 0);
  fclose (f);
  f = MEM_IN ("#bytepiece-counts 1 kind=ngrams order=2 total=3 "
              "normalize=none isolate_digits=1\n"
              "\\xff\t3\n");
  /* A name that is not UTF-8 still gives valid JSON.  */
  ck_assert_int_eq (bp_stats_counts_read (&s[1], "b\xff", f, 2, &err), 0);
  fclose (f);

  char *data;
  size_t len;
  f = open_memstream (&data, &len);
  ck_assert_int_eq (bp_stats_write_counts_json (f, s, 2), 0);
  fclose (f);
  json_t *root = parse (data, len);
  json_t *c = json_object_get (root, "counts");
  ck_assert_uint_eq (json_array_size (c), 2);
  json_t *a = json_array_get (c, 0);
  ck_assert_str_eq (json_string_value (json_object_get (a, "kind")),
                    "pieces");
  ck_assert_int_eq (get_int (a, "order"), 6);
  json_t *p = json_object_get (a, "params");
  ck_assert_int_eq (get_int (p, "min_count"), 2);
  ck_assert_int_eq (get_int (p, "ensure_unicode"), 1);
  ck_assert_ptr_null (json_object_get (p, "total"));
  ck_assert_int_eq (get_int (a, "keys"), 6);
  ck_assert_int_eq (get_int (a, "sum"), 27);
  ck_assert_uint_eq (json_array_size (json_object_get (a, "by_length")), 6);
  ck_assert_int_eq (get_int (json_object_get (a, "by_kind"), "cjk"), 2);
  json_t *top = json_object_get (a, "top");
  ck_assert_uint_eq (json_array_size (top), 2);
  ck_assert_str_eq (json_string_value (json_object_get (json_array_get (top,
                                                                        1),
                                                        "key")),
                    "b");
  json_t *b = json_array_get (c, 1);
  ck_assert_str_eq (json_string_value (json_object_get (b, "file")),
                    "b\xef\xbf\xbd");
  p = json_object_get (b, "params");
  ck_assert_int_eq (get_int (p, "total"), 3);
  ck_assert_int_eq (get_int (p, "isolate_digits"), 1);
  ck_assert_str_eq (json_string_value (json_object_get (p, "normalize")),
                    "none");
  ck_assert_ptr_null (json_object_get (p, "min_count"));
  ck_assert_str_eq (json_string_value (json_object_get (json_array_get (
                      json_object_get (b, "top"), 0), "key")),
                    "\\xff");
  json_decref (root);
  bp_stats_counts_free (&s[0]);
  bp_stats_counts_free (&s[1]);
}
END_TEST

START_TEST (test_text)
{
  struct fixture fx;
  fixture_make (&fx);
  struct bp_stats_layout l = { 5, 10 };
  char *data;
  size_t len;
  FILE *f = open_memstream (&data, &len);
  ck_assert_int_eq (bp_stats_write_text (f, &fx.r, &l), 0);
  fclose (f);
  /* The charts: the longest bar is 10 columns, a small value still has
     one.  */
  ck_assert_ptr_nonnull (strstr (data, "\n  1                     256 "
                                       "##########\n"));
  ck_assert_ptr_nonnull (strstr (data, "\n  2                       1 #\n"));
  ck_assert_ptr_nonnull (strstr (data, "\n  CJK                     1 #\n"));
  ck_assert_ptr_nonnull (strstr (data, "\n  other UTF-8             0\n"));
  ck_assert_ptr_nonnull (strstr (data, "\nbytes                   8\n"));
  ck_assert_ptr_nonnull (strstr (data, "\ntokens                  4\n"));
  ck_assert_ptr_nonnull (strstr (data, "\nbytes/token             2.000\n"));
  ck_assert_ptr_nonnull (strstr (data, "\nvocabulary used         1.16%\n"));
  ck_assert_ptr_nonnull (strstr (data, "       1      259            2"
                                       "   50.00%  \"ab\"\n"));
  free (data);
  fixture_free (&fx);
}
END_TEST

START_TEST (test_write_error)
{
  FILE *f = fopen ("/dev/full", "w");
  if (!f)
    return;   /* no /dev/full here: nothing to check */
  setvbuf (f, NULL, _IONBF, 0);
  struct fixture fx;
  fixture_make (&fx);
  struct bp_stats_layout l = { 5, 10 };
  ck_assert_int_eq (bp_stats_write_text (f, &fx.r, &l), BP_EIO);
  clearerr (f);
  ck_assert_int_eq (bp_stats_write_json (f, &fx.r, &l), BP_EIO);
  fclose (f);
  fixture_free (&fx);
}
END_TEST

static Suite *
stats_suite (void)
{
  Suite *s = suite_create ("stats");
  TCase *tc = tcase_create ("kinds");
  tcase_add_test (tc, test_is_cjk);
  tcase_add_test (tc, test_classify);
  tcase_add_test (tc, test_charcount);
  tcase_add_test (tc, test_lenhist);
  suite_add_tcase (s, tc);
  tc = tcase_create ("counts");
  tcase_add_test (tc, test_counts_read);
  tcase_add_test (tc, test_counts_errors);
  suite_add_tcase (s, tc);
  tc = tcase_create ("reports");
  tcase_add_test (tc, test_model_stats);
  tcase_add_test (tc, test_json);
  tcase_add_test (tc, test_json_counts);
  tcase_add_test (tc, test_text);
  tcase_add_test (tc, test_write_error);
  suite_add_tcase (s, tc);
  return s;
}

int
main (void)
{
  SRunner *sr = srunner_create (stats_suite ());
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
