/* SPDX-License-Identifier: Apache-2.0 */
/* bp-stats' JSON reports, written by hand rather than with jansson: the
   layout (a model's scalars a line each, short arrays and objects on one
   line) and the fractions with exactly six decimals are part of the
   output bp-stats(1) shows, and jansson's dump would print every member
   on a line of its own and reals with %.17g.  The tests read the output
   back with jansson.  See stats-report.h.  */
#include <config.h>
#include "stats-report.h"

#include <stdlib.h>
#include <string.h>

#include "dochist.h"
#include "error.h"
#include "escape.h"
#include "model.h"
#include "utf8.h"

static int
finish (FILE *f)
{
  return ferror (f) ? BP_EIO : 0;
}

/* A JSON string of the N bytes at S: well-formed UTF-8 as it is, '"', '\\'
   and controls escaped, any byte outside well-formed UTF-8 as U+FFFD (a
   file name may hold such bytes; pieces and keys are escaped first, so
   theirs never do).  */
static void
json_string (FILE *f, const char *s, size_t n)
{
  const uint8_t *p = (const uint8_t *) s;
  putc ('"', f);
  for (size_t i = 0; i < n;)
    {
      uint8_t b = p[i];
      if (b == '"' || b == '\\')
        {
          putc ('\\', f);
          putc (b, f);
          i++;
        }
      else if (b < 0x20 || b == 0x7F)
        {
          fprintf (f, "\\u%04x", b);
          i++;
        }
      else if (b < 0x80)
        {
          putc (b, f);
          i++;
        }
      else
        {
          size_t len = bp_utf8_seqlen (p + i, n - i);
          if (len)
            fwrite (p + i, 1, len, f);
          else
            fputs ("\\ufffd", f);
          i += len ? len : 1;
        }
    }
  putc ('"', f);
}

static void
json_cstr (FILE *f, const char *s)
{
  json_string (f, s, strlen (s));
}

/* The N bytes at P in the byte escaping of bytepiece-formats(5), as a JSON
   string.  */
static int
json_bytes (FILE *f, const uint8_t *p, size_t n)
{
  char *e = malloc (BP_ESCAPE_MAX (n) + 1);
  if (!e)
    return BP_ENOMEM;
  json_string (f, e, bp_escape (p, n, e, 0));
  free (e);
  return 0;
}

static void
json_u64 (FILE *f, const char *key, uint64_t v, const char *sep)
{
  fprintf (f, "\"%s\": %llu%s", key, (unsigned long long) v, sep);
}

/* A fraction A / B with six decimals, or null when B is 0.  */
static void
json_ratio (FILE *f, const char *key, uint64_t a, uint64_t b,
            const char *sep)
{
  if (b)
    fprintf (f, "\"%s\": %.6f%s", key, (double) a / (double) b, sep);
  else
    fprintf (f, "\"%s\": null%s", key, sep);
}

static void
json_param (FILE *f, const char *key, long long v, const char *sep)
{
  if (v < 0)
    fprintf (f, "\"%s\": null%s", key, sep);
  else
    fprintf (f, "\"%s\": %lld%s", key, v, sep);
}

/* "by_length": [count of length 1, 2, ... up to the longest].  */
static void
json_lenhist (FILE *f, const struct bp_lenhist *h)
{
  size_t longest = bp_lenhist_longest (h);
  fputs ("\"by_length\": [", f);
  for (size_t len = 1; len <= longest; len++)
    fprintf (f, "%s%llu", len > 1 ? ", " : "",
             (unsigned long long) bp_lenhist_get (h, len));
  fputs ("],\n", f);
}

static void
json_kinds (FILE *f, const uint64_t *kind)
{
  fputs ("\"by_kind\": {", f);
  for (int k = 0; k < BP_NKINDS; k++)
    fprintf (f, "%s\"%s\": %llu", k ? ", " : "", bp_piece_kind_name (k),
             (unsigned long long) kind[k]);
  fputs ("}", f);
}

/* "tokens_per_document": the mean, the percentiles and the largest,
   each null when there are no documents.  */
static int
json_per_doc (FILE *f, const struct bp_dochist *h)
{
  static const unsigned permille[BP_STATS_NPCT] = BP_STATS_PCT_PERMILLE;
  static const char *const name[BP_STATS_NPCT] = BP_STATS_PCT_NAMES;
  uint64_t pct[BP_STATS_NPCT];
  if (bp_dochist_percentiles (h, permille, BP_STATS_NPCT, pct))
    return BP_ENOMEM;
  fputs ("\"tokens_per_document\": {", f);
  json_ratio (f, "mean", h->tokens, h->docs, ", ");
  for (size_t k = 0; k < BP_STATS_NPCT; k++)
    if (h->docs)
      json_u64 (f, name[k], pct[k], ", ");
    else
      fprintf (f, "\"%s\": null, ", name[k]);
  if (h->docs)
    json_u64 (f, "max", h->max, "},\n");
  else
    fputs ("\"max\": null},\n", f);
  return 0;
}

/* The list NAME of the TOP pieces of S in the order BY: each piece's
   id, bytes and count, and its share of the tokens (BY_COUNT) or its
   length (BY_LENGTH); END ends the member.  */
static int
json_list (FILE *f, const struct bp_stats_model *s, size_t top,
           enum bp_stats_order by, const char *name, const char *end)
{
  const struct bp_model *m = s->model;
  size_t n;
  int rc = 0;
  struct bp_stats_piece *v = bp_stats_model_select (s, by, &n);
  if (!v)
    return BP_ENOMEM;
  if (n > top)
    n = top;
  fprintf (f, "      \"%s\": [", name);
  for (size_t i = 0; i < n && rc == 0; i++)
    {
      size_t len;
      const uint8_t *p = bp_model_piece (m, v[i].piece, &len);
      fprintf (f, "%s\n        {", i ? "," : "");
      json_u64 (f, "id", v[i].piece + (uint64_t) BP_ID_FIRST_PIECE, ", ");
      fputs ("\"piece\": ", f);
      rc = json_bytes (f, p, len);
      fputs (", ", f);
      if (by == BP_STATS_BY_LENGTH)
        {
          json_u64 (f, "bytes", len, ", ");
          json_u64 (f, "count", v[i].count, "}");
        }
      else
        {
          json_u64 (f, "count", v[i].count, ", ");
          json_ratio (f, "share", v[i].count, s->tokens, "}");
        }
    }
  fprintf (f, "%s%s\n", n ? "\n      ]" : "]", end);
  free (v);
  return rc;
}

static int
json_lists (FILE *f, const struct bp_stats_model *s, size_t top)
{
  int rc = json_list (f, s, top, BP_STATS_BY_COUNT, "top", ",");
  /* The longest from all pieces used, not just the first N by count.  */
  if (rc == 0)
    rc = json_list (f, s, top, BP_STATS_BY_LENGTH, "longest", "");
  return rc;
}

int
bp_stats_write_json (FILE *f, const struct bp_stats_report *r,
                     const struct bp_stats_layout *l)
{
  int rc;

  fputs ("{\n  \"models\": [", f);
  for (size_t c = 0; c < r->nmodels; c++)
    {
      const struct bp_stats_model *s = &r->model[c];
      const struct bp_model *m = s->model;
      const struct bp_model_params *pa = &m->params;

      fprintf (f, "%s\n    {\n      \"file\": ", c ? "," : "");
      json_cstr (f, s->name);
      fputs (",\n      ", f);
      json_u64 (f, "vocab", bp_model_vocab (m), ",\n      ");
      json_u64 (f, "pieces", m->n, ",\n      ");
      json_u64 (f, "total", m->total, ",\n      ");
      json_u64 (f, "max_piece_bytes", m->max_len, ",\n      ");
      fputs ("\"params\": {", f);
      json_param (f, "order", pa->order, ", ");
      json_param (f, "min_count", pa->min_count, ", ");
      json_param (f, "max_piece_length", pa->max_piece_length, ", ");
      json_param (f, "ensure_unicode", pa->ensure_unicode, ", ");
      json_param (f, "isolate_digits", pa->isolate_digits, ", ");
      fprintf (f, "\"normalize\": %s},\n      ",
               pa->normalize < 0 ? "null"
               : pa->normalize  ? "\"nfc\"" : "\"none\"");
      json_lenhist (f, &s->by_len);
      fputs ("      ", f);
      json_kinds (f, s->by_kind);
      fputs (r->have_text ? ",\n" : "\n", f);
      if (r->have_text)
        {
          const struct bp_stats_text *t = &r->text;
          size_t used = bp_stats_model_used (s);
          fputs ("      ", f);
          json_u64 (f, "tokens", s->tokens, ",\n      ");
          json_ratio (f, "bytes_per_token", t->bytes, s->tokens,
                      ",\n      ");
          json_ratio (f, "chars_per_token", t->chars, s->tokens,
                      ",\n      ");
          json_u64 (f, "pieces_used", used, ",\n      ");
          json_ratio (f, "vocab_used", used, m->n, ",\n      ");
          uint64_t single = bp_stats_model_single_byte (s);
          json_u64 (f, "single_byte_tokens", single, ",\n      ");
          json_ratio (f, "single_byte_share", single, s->tokens,
                      ",\n      ");
          if ((rc = json_per_doc (f, &s->per_doc)))
            return rc;
          if ((rc = json_lists (f, s, l->top)))
            return rc;
        }
      fputs ("    }", f);
    }
  fputs (r->nmodels ? "\n  ],\n" : "],\n", f);
  if (r->have_text)
    {
      const struct bp_stats_text *t = &r->text;
      fputs ("  \"text\": {", f);
      json_u64 (f, "documents", t->documents, ", ");
      json_u64 (f, "chunks", t->chunks, ", ");
      json_u64 (f, "bytes", t->bytes, ", ");
      json_u64 (f, "chars", t->chars, "}\n");
    }
  else
    fputs ("  \"text\": null\n", f);
  fputs ("}\n", f);
  return finish (f);
}

int
bp_stats_write_counts_json (FILE *f, const struct bp_stats_counts *cs,
                            size_t nc)
{
  int rc;

  fputs ("{\n  \"counts\": [", f);
  for (size_t c = 0; c < nc; c++)
    {
      const struct bp_stats_counts *s = &cs[c];
      const struct bp_counts_header *h = &s->h;

      fprintf (f, "%s\n    {\n      \"file\": ", c ? "," : "");
      json_cstr (f, s->name);
      fprintf (f, ",\n      \"kind\": \"%s\",\n      ",
               bp_counts_kind_name (h->kind));
      json_u64 (f, "order", (uint64_t) h->order, ",\n      ");
      /* The header's other fields, those its kind has (counts.h).  */
      fputs ("\"params\": {", f);
      if (h->kind != BP_COUNTS_NGRAMS)
        json_u64 (f, "min_count", h->min_count, ", ");
      if (h->kind != BP_COUNTS_PIECES)
        json_u64 (f, "total", h->total, ", ");
      if (h->kind == BP_COUNTS_PIECES)
        json_u64 (f, "ensure_unicode", (uint64_t) h->ensure_unicode, ", ");
      fprintf (f, "\"normalize\": \"%s\", ", h->normalize ? "nfc" : "none");
      json_u64 (f, "isolate_digits", (uint64_t) h->isolate_digits,
                "},\n      ");
      json_u64 (f, "keys", s->keys, ",\n      ");
      json_u64 (f, "sum", s->sum, ",\n      ");
      json_lenhist (f, &s->by_len);
      fputs ("      ", f);
      json_kinds (f, s->by_kind);
      fputs (",\n      \"top\": [", f);
      for (size_t i = 0; i < s->ntop; i++)
        {
          fprintf (f, "%s\n        {\"key\": ", i ? "," : "");
          if ((rc = json_bytes (f, s->top[i].key, s->top[i].len)))
            return rc;
          fputs (", ", f);
          json_u64 (f, "count", s->top[i].count, "}");
        }
      fputs (s->ntop ? "\n      ]\n    }" : "]\n    }", f);
    }
  fputs (nc ? "\n  ]\n}\n" : "]\n}\n", f);
  return finish (f);
}
