/* Unit tests of src/lib/counts.c: the count file header and reader with
   each kind of bad input, the escaped sort order, n-gram and piece
   counting against naive counting, and the k-way merge.  */
#include <config.h>

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "counts.h"
#include "error.h"
#include "escape.h"

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

/* Everything a function wrote to an open_memstream.  */
struct memout
{
  char *data;
  size_t len;
  FILE *f;
};

static void
memout_open (struct memout *m)
{
  m->data = NULL;
  m->len = 0;
  m->f = open_memstream (&m->data, &m->len);
  ck_assert_ptr_nonnull (m->f);
}

static void
memout_close (struct memout *m)
{
  ck_assert_int_eq (fclose (m->f), 0);
}

/* ------------------------------------------------------------------ */

START_TEST (test_header_roundtrip)
{
  static const struct bp_counts_header hs[] = {
    { BP_COUNTS_NGRAMS, 6, 0, 2050843, 0, 1, 0 },
    { BP_COUNTS_NGRAM_MODEL, 7, 8, UINT64_MAX, 0, 0, 1 },
    { BP_COUNTS_PIECES, 1, 32, 0, 1, 1, 1 },
  };
  static const char *const want[] = {
    "#bytepiece-counts 1 kind=ngrams order=6 total=2050843 normalize=nfc "
    "isolate_digits=0\n",
    "#bytepiece-counts 1 kind=ngram-model order=7 min_count=8 "
    "total=18446744073709551615 normalize=none isolate_digits=1\n",
    "#bytepiece-counts 1 kind=pieces order=1 min_count=32 ensure_unicode=1 "
    "normalize=nfc isolate_digits=1\n",
  };
  for (size_t i = 0; i < 3; i++)
    {
      struct memout m;
      struct bp_counts_header h;
      struct bp_error err = { 0 };
      memout_open (&m);
      ck_assert_int_eq (bp_counts_header_write (m.f, &hs[i]), 0);
      memout_close (&m);
      ck_assert_str_eq (m.data, want[i]);
      ck_assert_int_eq (bp_counts_header_parse (m.data, m.len - 1, &h, &err),
                        0);
      ck_assert_int_eq (h.kind, hs[i].kind);
      ck_assert_int_eq (h.order, hs[i].order);
      ck_assert_uint_eq (h.normalize, hs[i].normalize);
      ck_assert_uint_eq (h.isolate_digits, hs[i].isolate_digits);
      if (hs[i].kind != BP_COUNTS_NGRAMS)
        ck_assert_uint_eq (h.min_count, hs[i].min_count);
      if (hs[i].kind != BP_COUNTS_PIECES)
        ck_assert_uint_eq (h.total, hs[i].total);
      else
        ck_assert_int_eq (h.ensure_unicode, hs[i].ensure_unicode);
      free (m.data);
    }
}
END_TEST

/* Parse S as a header; return the error code and leave the detail.  */
static int
parse (const char *s, struct bp_error *err)
{
  struct bp_counts_header h;
  bp_error_clear (err);
  return bp_counts_header_parse (s, strlen (s), &h, err);
}

START_TEST (test_header_errors)
{
  struct bp_error err;
  const char *ok = "#bytepiece-counts 1 kind=ngrams order=2 total=3 "
                   "normalize=nfc isolate_digits=0";
  ck_assert_int_eq (parse (ok, &err), 0);
  /* Unknown fields are a later version's; extra spaces are harmless.  */
  ck_assert_int_eq (parse ("#bytepiece-counts 1  kind=ngrams order=2 total=3 "
                           "normalize=nfc isolate_digits=0 future=yes", &err),
                    0);

  static const struct { const char *line, *detail; } bad[] = {
    { "", "missing header" },
    { "a\t1", "missing header" },
    { "#bytepiece-model 1 vocab=300", "missing header" },
    { "#bytepiece-countsX 1 kind=ngrams", "missing header" },
    { "#bytepiece-counts", "unsupported count file version ''" },
    { "#bytepiece-counts 2 kind=ngrams", "unsupported count file version '2'" },
    { "#bytepiece-counts 1 kind=ngrams order=2 total=3 normalize=nfc",
      "header lacks the field 'isolate_digits'" },
    { "#bytepiece-counts 1 kind=pieces order=2 min_count=3 normalize=nfc "
      "isolate_digits=0", "header lacks the field 'ensure_unicode'" },
    { "#bytepiece-counts 1 kind=ngram-model order=2 total=3 normalize=nfc "
      "isolate_digits=0", "header lacks the field 'min_count'" },
    { "#bytepiece-counts 1 kind=words order=2", "bad value 'words' for "
      "header field 'kind'" },
    { "#bytepiece-counts 1 kind=ngrams order=8", "bad value '8' for header "
      "field 'order'" },
    { "#bytepiece-counts 1 kind=ngrams order=0", "bad value '0' for header "
      "field 'order'" },
    { "#bytepiece-counts 1 kind=ngrams order=2 total=-3", "bad value '-3' "
      "for header field 'total'" },
    { "#bytepiece-counts 1 kind=ngrams order=2 total=03", "bad value '03' "
      "for header field 'total'" },
    { "#bytepiece-counts 1 kind=ngrams order=2 total=18446744073709551616",
      "bad value '18446744073709551616' for header field 'total'" },
    { "#bytepiece-counts 1 kind=ngrams normalize=nfd", "bad value 'nfd' for "
      "header field 'normalize'" },
    { "#bytepiece-counts 1 kind=ngrams isolate_digits=yes", "bad value 'yes' "
      "for header field 'isolate_digits'" },
    { "#bytepiece-counts 1 kind=ngrams kind=pieces", "header field 'kind' "
      "given twice" },
    { "#bytepiece-counts 1 kind=ngrams order", "bad header field 'order'" },
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
    {
      ck_assert_int_eq (parse (bad[i].line, &err), BP_EFORMAT);
      ck_assert_msg (strncmp (err.detail, bad[i].detail,
                              strlen (bad[i].detail)) == 0,
                     "'%s': got '%s'", bad[i].line, err.detail);
      ck_assert_uint_eq (err.line, 1);
    }
}
END_TEST

/* Read all of S as a count file; return the first error (or 0) with its
   line, and the number of records read in *N.  */
static int
read_all (const char *s, size_t len, size_t *n, struct bp_error *err)
{
  FILE *f = mem_in (s, len);
  struct bp_counts_reader *r;
  struct bp_counts_record rec;
  int rc;

  bp_error_clear (err);
  *n = 0;
  if ((rc = bp_counts_reader_open (f, &r, err)) == 0)
    {
      while ((rc = bp_counts_reader_next (r, &rec, err)) > 0)
        ++*n;
      bp_counts_reader_free (r);
    }
  fclose (f);
  return rc;
}

#define H_NGRAMS "#bytepiece-counts 1 kind=ngrams order=3 total=9 " \
                 "normalize=nfc isolate_digits=0\n"
#define H_PIECES "#bytepiece-counts 1 kind=pieces order=3 min_count=2 " \
                 "ensure_unicode=1 normalize=nfc isolate_digits=0\n"

START_TEST (test_reader)
{
  struct bp_error err;
  size_t n;
  /* Every odd byte: NUL, 0xFF, a lone continuation byte, TAB, a
     backslash, DEL, and UTF-8 (escaped order: '\\' sorts before 'a').  */
  static const char good[] =
    H_PIECES "\\\\\t1\n\\t\t2\n\\x00\t3\n\\x7f\t4\n\\x80\t5\n\\xff\t6\n"
    "a\t18446744073709551615\n\xe4\xb8\xad\t7\n";
  ck_assert_int_eq (read_all (good, sizeof good - 1, &n, &err), 0);
  ck_assert_uint_eq (n, 8);

  FILE *f = MEM_IN (good);
  struct bp_counts_reader *r;
  struct bp_counts_record rec;
  ck_assert_int_eq (bp_counts_reader_open (f, &r, &err), 0);
  ck_assert_int_eq (bp_counts_reader_header (r)->kind, BP_COUNTS_PIECES);
  static const struct { const char *key; size_t len; uint64_t count; } want[] = {
    { "\\", 1, 1 }, { "\t", 1, 2 }, { "\0", 1, 3 }, { "\x7f", 1, 4 },
    { "\x80", 1, 5 }, { "\xff", 1, 6 }, { "a", 1, UINT64_MAX },
    { "\xe4\xb8\xad", 3, 7 },
  };
  for (size_t i = 0; i < 8; i++)
    {
      ck_assert_int_eq (bp_counts_reader_next (r, &rec, &err), 1);
      ck_assert_uint_eq (rec.len, want[i].len);
      ck_assert_mem_eq (rec.key, want[i].key, want[i].len);
      ck_assert_uint_eq (rec.count, want[i].count);
      ck_assert_uint_eq (rec.line, i + 2);
    }
  ck_assert_int_eq (bp_counts_reader_next (r, &rec, &err), 0);
  bp_counts_reader_free (r);
  fclose (f);

  /* A header and no records is an empty table.  */
  ck_assert_int_eq (read_all (H_NGRAMS, sizeof H_NGRAMS - 1, &n, &err), 0);
  ck_assert_uint_eq (n, 0);
}
END_TEST

START_TEST (test_reader_errors)
{
  static const struct
  {
    const char *text;
    uint64_t line;
    const char *detail;
  } bad[] = {
    { "", 1, "missing header" },
    { "a\t1\n", 1, "missing header" },
    { H_NGRAMS "b\t1\na\t1\n", 3, "key out of order" },
    { H_NGRAMS "ab\t1\na\t1\n", 3, "key out of order" },
    { H_NGRAMS "a\t1\na\t2\n", 3, "duplicate key" },
    { H_NGRAMS "a\t1\n\\q\t1\n", 3, "bad escape in key at byte 1" },
    { H_NGRAMS "a\\x4\t1\n", 2, "bad escape in key at byte 2" },
    { H_NGRAMS "\\x41\t1\n", 2, "key not escaped the canonical way" },
    { H_NGRAMS "\\xFF\t1\n", 2, "key not escaped the canonical way" },
    { H_NGRAMS "\xff\t1\n", 2, "key not escaped the canonical way" },
    { H_NGRAMS "a\t0\n", 2, "bad count '0'" },
    { H_NGRAMS "a\t01\n", 2, "bad count '01'" },
    { H_NGRAMS "a\t-1\n", 2, "bad count '-1'" },
    { H_NGRAMS "a\t\n", 2, "bad count ''" },
    { H_NGRAMS "a\t1 \n", 2, "bad count '1 '" },
    { H_NGRAMS "a\t1\r\n", 2, "bad count '1\r'" },
    { H_NGRAMS "a\t18446744073709551616\n", 2, "bad count" },
    { H_NGRAMS "a 1\n", 2, "missing TAB" },
    { H_NGRAMS "\t1\n", 2, "empty key" },
    { H_NGRAMS "abcd\t1\n", 2, "key of 4 bytes is longer than the order 3" },
    { H_NGRAMS "a\t1\nb\t1", 3, "line not terminated by a newline" },
    { "#bytepiece-counts 1 kind=ngrams", 1,
      "line not terminated by a newline" },
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
    {
      struct bp_error err;
      size_t n;
      ck_assert_int_eq (read_all (bad[i].text, strlen (bad[i].text), &n,
                                  &err), BP_EFORMAT);
      ck_assert_msg (err.line == bad[i].line, "case %zu: line %llu", i,
                     (unsigned long long) err.line);
      ck_assert_msg (strncmp (err.detail, bad[i].detail,
                              strlen (bad[i].detail)) == 0,
                     "case %zu: got '%s'", i, err.detail);
    }
}
END_TEST

/* ------------------------------------------------------------------ */

static uint32_t rng_state = 12345;

static uint32_t
rnd (void)
{
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 17;
  rng_state ^= rng_state << 5;
  return rng_state;
}

/* Random bytes biased towards what breaks orders and escapes: UTF-8
   lead and continuation bytes, controls, backslash, NUL, 0xFF, LF.  */
static uint8_t
rnd_byte (void)
{
  static const uint8_t some[] = { 0, '\\', '\t', '\n', 'a', 'b', 0xE4, 0xB8,
                                  0xAD, 0xC3, 0xA9, 0xFF, 0x80, 0x7F, ' ',
                                  'x' };
  return (rnd () % 4) ? some[rnd () % sizeof some] : (uint8_t) rnd ();
}

struct keys
{
  uint8_t **p;
  size_t *len;
};

static const uint8_t *
keys_key (const void *ctx, size_t i, uint8_t *scratch, size_t *len)
{
  const struct keys *k = ctx;
  (void) scratch;
  *len = k->len[i];
  return k->p[i];
}

static int
cmp_escaped (const void *a, const void *b)
{
  const struct bp_buf *x = a, *y = b;
  int c = memcmp (x->data, y->data, x->len < y->len ? x->len : y->len);
  return c ? c : x->len < y->len ? -1 : x->len > y->len;
}

START_TEST (test_sort_escaped)
{
  /* Distinct random keys, many sharing long prefixes (so every level of
     the slice sort and its comparison fallback is used).  */
  enum { N = 3000 };
  struct keys k = { malloc (N * sizeof *k.p), malloc (N * sizeof *k.len) };
  struct bp_buf *esc = calloc (N, sizeof *esc);
  size_t n = 0;
  while (n < N)
    {
      size_t len = 1 + rnd () % (n % 3 ? 8 : 60);
      uint8_t *p = malloc (len + 4);
      if (n % 4 == 3)
        {
          /* Whole characters (escaped literally) mixed with escaped
             bytes, so that a character straddles every slice boundary.  */
          static const char *const units[] = { "a", "\\", "\t",
                                               "\xe4\xb8\xad", "\xc3\xa9",
                                               "\xf0\x9f\x98\x80", "\xff",
                                               "\x80", "" };
          /* One of a few shared beginnings of 0 to 12 bytes, then whole
             units: keys that agree up to a character cut by a slice.  */
          static const char *const starts[] = { "", "aaaaaaa", "aaaaaa\\",
                                                "a\t\xe4\xb8\xad\xff\x80" "aaa",
                                                "aaaaa" };
          const char *st = starts[rnd () % 5];
          size_t j = strlen (st);
          len = j + 1 + rnd () % 8;
          p = realloc (p, len + 4);
          ck_assert_ptr_nonnull (p);
          memcpy (p, st, j);
          while (j < len)
            {
              const char *u = units[rnd () % 9];
              size_t ul = *u ? strlen (u) : 1;
              memcpy (p + j, u, ul);
              j += ul;
            }
          len = j;
        }
      else
        for (size_t j = 0; j < len; j++)
          p[j] = (n % 2 && j < len - 3) ? 'a' : rnd_byte ();
      int dup = 0;
      for (size_t i = 0; i < n && !dup; i++)
        dup = k.len[i] == len && memcmp (k.p[i], p, len) == 0;
      if (dup)
        {
          free (p);
          continue;
        }
      k.p[n] = p;
      k.len[n] = len;
      n++;
    }
  uint32_t *perm;
  ck_assert_int_eq (bp_counts_sort_escaped (N, 64, keys_key, &k, &perm), 0);
  for (size_t i = 0; i < N; i++)
    ck_assert_int_eq (bp_escape_append (&esc[i], k.p[perm[i]],
                                        k.len[perm[i]], 0), 0);
  for (size_t i = 1; i < N; i++)
    ck_assert_msg (cmp_escaped (&esc[i - 1], &esc[i]) < 0,
                   "not sorted at %zu", i);
  for (size_t i = 0; i < N; i++)
    {
      free (k.p[i]);
      bp_buf_free (&esc[i]);
    }
  free (perm);
  free (k.p);
  free (k.len);
  free (esc);

  /* No keys: an empty permutation.  */
  ck_assert_int_eq (bp_counts_sort_escaped (0, 0, keys_key, NULL, &perm), 0);
  free (perm);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Naive counting to compare with: every substring of every chunk in a
   list, sorted and counted by qsort.  */

struct naive
{
  struct bp_buf *key;
  size_t n, cap;
};

static void
naive_add (struct naive *nv, const uint8_t *p, size_t len)
{
  if (nv->n == nv->cap)
    {
      nv->cap = nv->cap ? 2 * nv->cap : 1024;
      nv->key = realloc (nv->key, nv->cap * sizeof *nv->key);
      ck_assert_ptr_nonnull (nv->key);
    }
  memset (&nv->key[nv->n], 0, sizeof nv->key[nv->n]);
  ck_assert_int_eq (bp_escape_append (&nv->key[nv->n], p, len, 0), 0);
  nv->n++;
}

/* The record lines the naive counts make, after HEADER.  */
static char *
naive_text (struct naive *nv, const char *header, size_t *len)
{
  struct bp_buf out = { 0 };
  bp_buf_append (&out, header, strlen (header));
  qsort (nv->key, nv->n, sizeof *nv->key, cmp_escaped);
  for (size_t i = 0; i < nv->n;)
    {
      size_t j = i + 1;
      while (j < nv->n && cmp_escaped (&nv->key[i], &nv->key[j]) == 0)
        j++;
      char num[32];
      bp_buf_append (&out, nv->key[i].data, nv->key[i].len);
      bp_buf_append (&out, num, (size_t) sprintf (num, "\t%zu\n", j - i));
      i = j;
    }
  for (size_t i = 0; i < nv->n; i++)
    bp_buf_free (&nv->key[i]);
  free (nv->key);
  *len = out.len;
  bp_buf_putc (&out, 0);
  return (char *) out.data;
}

/* Count NCHUNKS random chunks with order ORDER and batch BATCH, split
   between two counters (merged with absorb) if SPLIT, and compare the
   file with naive counting.  */
static void
check_ngrams (int order, size_t nchunks, size_t maxlen, size_t batch,
              int split, int lf_only)
{
  struct bp_ngram_counter *c = bp_ngram_counter_new (order, batch);
  struct bp_ngram_counter *c2 = bp_ngram_counter_new (order, batch);
  struct naive nv = { 0 };
  uint8_t buf[300];
  uint64_t total = 0;
  ck_assert_ptr_nonnull (c);
  ck_assert_ptr_nonnull (c2);
  ck_assert_uint_le (maxlen, sizeof buf);
  for (size_t i = 0; i < nchunks; i++)
    {
      size_t len = 1 + rnd () % maxlen;
      for (size_t j = 0; j < len; j++)
        buf[j] = lf_only ? '\n' : rnd_byte ();
      ck_assert_int_eq (bp_ngram_counter_add (split && i % 2 ? c2 : c, buf,
                                              len), 0);
      total += len;
      for (size_t j = 0; j < len; j++)
        for (size_t m = 1; m <= (size_t) order && j + m <= len; m++)
          naive_add (&nv, buf + j, m);
    }
  if (split)
    {
      ck_assert_int_eq (bp_ngram_counter_absorb (c, c2), 0);
      ck_assert_uint_eq (bp_ngram_counter_total (c2), 0);
    }
  ck_assert_uint_eq (bp_ngram_counter_total (c), total);

  struct memout m;
  struct bp_error err = { 0 };
  struct bp_counts_header h = { .normalize = 1 };
  memout_open (&m);
  ck_assert_int_eq (bp_ngram_counter_write (c, &h, m.f, &err), 0);
  memout_close (&m);

  char header[200];
  snprintf (header, sizeof header, "#bytepiece-counts 1 kind=ngrams "
            "order=%d total=%llu normalize=nfc isolate_digits=0\n", order,
            (unsigned long long) total);
  size_t wlen;
  char *want = naive_text (&nv, header, &wlen);
  ck_assert_uint_eq (m.len, wlen);
  ck_assert_mem_eq (m.data, want, wlen);
  free (want);
  free (m.data);
  bp_ngram_counter_free (c);
  bp_ngram_counter_free (c2);
}

START_TEST (test_ngrams)
{
  /* Short chunks (every window a tail), long ones, tiny batches (many
     runs and merges), every order, two counters absorbed.  */
  check_ngrams (6, 200, 12, 0, 0, 0);
  check_ngrams (6, 100, 300, 64, 0, 0);
  check_ngrams (1, 50, 100, 7, 0, 0);
  check_ngrams (7, 100, 100, 1000, 1, 0);
  check_ngrams (3, 100, 100, 0, 1, 0);
  check_ngrams (6, 40, 250, 33, 0, 1);
}
END_TEST

START_TEST (test_ngrams_empty)
{
  struct bp_ngram_counter *c = bp_ngram_counter_new (6, 0);
  struct memout m;
  struct bp_error err = { 0 };
  struct bp_counts_header h = { .normalize = 0, .isolate_digits = 1 };
  ck_assert_ptr_nonnull (c);
  ck_assert_ptr_null (bp_ngram_counter_new (0, 0));
  ck_assert_ptr_null (bp_ngram_counter_new (BP_MAX_ORDER + 1, 0));
  ck_assert_int_eq (bp_ngram_counter_add (c, (const uint8_t *) "", 0), 0);
  memout_open (&m);
  ck_assert_int_eq (bp_ngram_counter_write (c, &h, m.f, &err), 0);
  memout_close (&m);
  ck_assert_str_eq (m.data, "#bytepiece-counts 1 kind=ngrams order=6 "
                    "total=0 normalize=none isolate_digits=1\n");
  free (m.data);
  bp_ngram_counter_free (c);
}
END_TEST

START_TEST (test_pack)
{
  uint8_t out[8];
  const uint8_t in[7] = { 0, 0xFF, 'a', 0x80, 0, 0, 1 };
  for (size_t len = 0; len <= 7; len++)
    {
      uint64_t k = bp_ngram_pack (in, len);
      ck_assert_uint_eq (bp_ngram_unpack (k, out), len);
      ck_assert_mem_eq (out, in, len);
    }
  /* Unsigned order is byte order with a prefix first.  */
  ck_assert_uint_lt (bp_ngram_pack (in, 1), bp_ngram_pack (in, 2));
  ck_assert_uint_lt (bp_ngram_pack ((const uint8_t *) "a\0", 2),
                     bp_ngram_pack ((const uint8_t *) "a\0\0", 3));
  ck_assert_uint_lt (bp_ngram_pack ((const uint8_t *) "a\0\0", 3),
                     bp_ngram_pack ((const uint8_t *) "a\1", 2));
}
END_TEST

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

/* ------------------------------------------------------------------ */

/* Merge the count files TEXTS (NIN of them); return the code, with the
   output in *OUT (caller frees) and the input at fault in *BAD.  */
static int
merge (const char *const *texts, size_t nin, char **out, size_t *bad,
       struct bp_error *err)
{
  FILE *in[8];
  const char *names[8] = { "a", "b", "c", "d", "e", "f", "g", "h" };
  struct memout m;
  ck_assert_uint_le (nin, 8);
  for (size_t i = 0; i < nin; i++)
    in[i] = mem_in (texts[i], strlen (texts[i]));
  memout_open (&m);
  bp_error_clear (err);
  int rc = bp_counts_merge (in, names, nin, m.f, bad, err);
  memout_close (&m);
  for (size_t i = 0; i < nin; i++)
    fclose (in[i]);
  *out = m.data;
  return rc;
}

#define HN(t) "#bytepiece-counts 1 kind=ngrams order=3 total=" t \
              " normalize=nfc isolate_digits=0\n"

START_TEST (test_merge)
{
  char *out;
  size_t bad = 99;
  struct bp_error err;
  const char *three[] = {
    HN ("5") "\\\\\t1\na\t2\nab\t1\n\xe4\xb8\xad\t1\n",
    HN ("0"),
    HN ("7") "\\x00\t4\na\t3\nb\t18446744073709551610\n",
  };
  ck_assert_int_eq (merge (three, 3, &out, &bad, &err), 0);
  ck_assert_str_eq (out, HN ("12") "\\\\\t1\n\\x00\t4\na\t5\nab\t1\n"
                    "b\t18446744073709551610\n\xe4\xb8\xad\t1\n");
  free (out);

  /* One input is copied (and checked).  */
  ck_assert_int_eq (merge (three, 1, &out, &bad, &err), 0);
  ck_assert_str_eq (out, three[0]);
  free (out);

  const char *clash[] = { HN ("1") "a\t1\n",
                          "#bytepiece-counts 1 kind=ngrams order=4 total=1 "
                          "normalize=nfc isolate_digits=0\n" };
  ck_assert_int_eq (merge (clash, 2, &out, &bad, &err), BP_EFORMAT);
  ck_assert_uint_eq (bad, 1);
  ck_assert_uint_eq (err.line, 1);
  ck_assert_str_eq (err.detail, "order=4 disagrees with order=3 in a");
  free (out);

  const char *kinds[] = { HN ("1"), H_PIECES };
  ck_assert_int_eq (merge (kinds, 2, &out, &bad, &err), BP_EFORMAT);
  ck_assert_uint_eq (bad, 1);
  ck_assert_str_eq (err.detail, "kind=pieces disagrees with kind=ngrams in a");
  free (out);

  const char *model[] = { "#bytepiece-counts 1 kind=ngram-model order=3 "
                          "min_count=2 total=1 normalize=nfc "
                          "isolate_digits=0\n" };
  ck_assert_int_eq (merge (model, 1, &out, &bad, &err), BP_EFORMAT);
  ck_assert_uint_eq (bad, 0);
  free (out);

  const char *unsorted[] = { HN ("1") "a\t1\n", HN ("1") "b\t1\na\t1\n" };
  ck_assert_int_eq (merge (unsorted, 2, &out, &bad, &err), BP_EFORMAT);
  ck_assert_uint_eq (bad, 1);
  ck_assert_uint_eq (err.line, 3);
  free (out);

  const char *over[] = { HN ("1") "a\t18446744073709551615\n",
                         HN ("1") "a\t1\n" };
  ck_assert_int_eq (merge (over, 2, &out, &bad, &err), BP_ERANGE);
  free (out);
  const char *tover[] = { HN ("18446744073709551615"), HN ("1") };
  ck_assert_int_eq (merge (tover, 2, &out, &bad, &err), BP_ERANGE);
  free (out);
}
END_TEST

static Suite *
counts_suite (void)
{
  Suite *s = suite_create ("counts");
  TCase *tc = tcase_create ("format");
  tcase_add_test (tc, test_header_roundtrip);
  tcase_add_test (tc, test_header_errors);
  tcase_add_test (tc, test_reader);
  tcase_add_test (tc, test_reader_errors);
  suite_add_tcase (s, tc);
  tc = tcase_create ("counting");
  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_pack);
  tcase_add_test (tc, test_sort_escaped);
  tcase_add_test (tc, test_ngrams);
  tcase_add_test (tc, test_ngrams_empty);
  tcase_add_test (tc, test_strcount);
  suite_add_tcase (s, tc);
  tc = tcase_create ("merge");
  tcase_add_test (tc, test_merge);
  suite_add_tcase (s, tc);
  return s;
}

int
main (void)
{
  SRunner *sr = srunner_create (counts_suite ());
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
