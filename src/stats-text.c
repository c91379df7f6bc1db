/* SPDX-License-Identifier: Apache-2.0 */
/* bp-stats' text reports: tables with a row per fact and a column per
   model or count file, '#' bar charts, and lists of pieces or keys.
   Labels are translated, so widths are counted in terminal columns
   (wcwidth), not bytes.  See stats-report.h.  */
#include <config.h>
#include "stats-report.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "dochist.h"
#include "error.h"
#include "escape.h"
#include "model.h"
#include "system.h"

/* Labels are padded to this display width.  */
#define LABEL_WIDTH 24
/* The least width of a column of values.  */
#define COLUMN_WIDTH 14
/* Lengths from this one up share the last row of a text histogram (the
   JSON form has every length).  */
#define LENGTH_ROWS 64

/* The columns of a terminal that S takes (the labels are translated).  */
static size_t
display_width (const char *s)
{
  mbstate_t st;
  size_t w = 0, n = strlen (s);
  memset (&st, 0, sizeof st);
  while (n)
    {
      wchar_t wc;
      size_t k = mbrtowc (&wc, s, n, &st);
      if (k == 0 || k > n)
        return w + n;
      int cw = wcwidth (wc);
      w += cw > 0 ? (size_t) cw : 0;
      s += k;
      n -= k;
    }
  return w;
}

static void
pad (FILE *f, size_t n)
{
  while (n--)
    putc (' ', f);
}

/* Write S, then spaces up to WIDTH columns (at least one).  */
static void
cell (FILE *f, const char *s, size_t width)
{
  size_t w = display_width (s);
  fputs (s, f);
  pad (f, w < width ? width - w : 1);
}

/* Write S right-aligned in WIDTH columns, then a space: a heading over a
   column of numbers.  printf's "%8s" would count bytes, and a translated
   heading has characters of several bytes and two columns.  */
static void
heading (FILE *f, const char *s, size_t width)
{
  size_t w = display_width (s);
  pad (f, w < width ? width - w : 0);
  fputs (s, f);
  putc (' ', f);
}

/* A row of a table: LABEL, then the NCOLS values VAL[i] (each of at most
   63 bytes) in columns of width WIDTH[i].  */
static void
row (FILE *f, const char *label, size_t ncols, char (*val)[64],
     const size_t *width)
{
  cell (f, label, LABEL_WIDTH);
  for (size_t i = 0; i < ncols; i++)
    {
      if (i + 1 < ncols)
        cell (f, val[i], width[i]);
      else
        fputs (val[i], f);
    }
  putc ('\n', f);
}

/* A row of a bar chart: LABEL, then for each column the value V[i]
   right-aligned in NW[i] digits and its bar, scaled so that MAX[i] is
   BAR columns.  */
static void
bar_row (FILE *f, const char *label, size_t ncols, const uint64_t *v,
         const uint64_t *max, const int *nw, size_t bar)
{
  cell (f, label, LABEL_WIDTH);
  for (size_t i = 0; i < ncols; i++)
    {
      size_t len = 0;
      if (v[i] && max[i])
        {
          len = (size_t) ((double) v[i] / (double) max[i] * (double) bar
                          + 0.5);
          if (len == 0)
            len = 1;   /* every nonzero count is visible */
        }
      fprintf (f, "%*llu", nw[i], (unsigned long long) v[i]);
      if (len || i + 1 < ncols)
        putc (' ', f);
      for (size_t k = 0; k < len; k++)
        putc ('#', f);
      if (i + 1 < ncols)
        pad (f, bar - len + 2);
    }
  putc ('\n', f);
}

static int
digits (uint64_t v)
{
  int d = 1;
  while (v >= 10)
    {
      v /= 10;
      d++;
    }
  return d;
}

/* A histogram by length of NCOLS columns, H[i] of column I, under TITLE;
   and by class, KIND[i] of column I.  */
static int
charts (FILE *f, const char *title_len, const char *title_kind, size_t ncols,
        const struct bp_lenhist **h, const uint64_t **kind, size_t bar)
{
  static const char *const kind_label[BP_NKINDS] = {
    N_("ASCII"), N_("CJK"), N_("other UTF-8"), N_("partial UTF-8")
  };
  uint64_t *v = calloc (ncols, sizeof *v);
  uint64_t *max = calloc (ncols, sizeof *max);
  int *nw = calloc (ncols, sizeof *nw);
  if (!v || !max || !nw)
    {
      free (v);
      free (max);
      free (nw);
      return BP_ENOMEM;
    }

  size_t longest = 0;
  for (size_t c = 0; c < ncols; c++)
    {
      size_t l = bp_lenhist_longest (h[c]);
      if (l > longest)
        longest = l;
    }
  size_t rows = longest < LENGTH_ROWS ? longest : LENGTH_ROWS;
  /* Row R (1-based) holds length R, the last row every length from
     LENGTH_ROWS up.  */
  for (size_t c = 0; c < ncols; c++)
    {
      max[c] = 0;
      for (size_t r = 1; r <= rows; r++)
        {
          uint64_t x = r < LENGTH_ROWS ? bp_lenhist_get (h[c], r) : 0;
          if (r == LENGTH_ROWS)
            for (size_t l = r; l <= longest; l++)
              x += bp_lenhist_get (h[c], l);
          if (x > max[c])
            max[c] = x;
        }
      nw[c] = digits (max[c]);
    }
  fprintf (f, "\n%s\n", title_len);
  for (size_t r = 1; r <= rows; r++)
    {
      char label[32];
      for (size_t c = 0; c < ncols; c++)
        {
          v[c] = r < LENGTH_ROWS ? bp_lenhist_get (h[c], r) : 0;
          if (r == LENGTH_ROWS)
            for (size_t l = r; l <= longest; l++)
              v[c] += bp_lenhist_get (h[c], l);
        }
      snprintf (label, sizeof label, r == LENGTH_ROWS ? "  %zu+" : "  %zu",
                r);
      bar_row (f, label, ncols, v, max, nw, bar);
    }

  fprintf (f, "\n%s\n", title_kind);
  for (size_t c = 0; c < ncols; c++)
    {
      max[c] = 0;
      for (int k = 0; k < BP_NKINDS; k++)
        if (kind[c][k] > max[c])
          max[c] = kind[c][k];
      nw[c] = digits (max[c]);
    }
  for (int k = 0; k < BP_NKINDS; k++)
    {
      char label[64];
      for (size_t c = 0; c < ncols; c++)
        v[c] = kind[c][k];
      snprintf (label, sizeof label, "  %s", _(kind_label[k]));
      bar_row (f, label, ncols, v, max, nw, bar);
    }
  free (v);
  free (max);
  free (nw);
  return 0;
}

/* Write the N bytes at P escaped and quoted, for a list.  */
static int
write_quoted (FILE *f, const uint8_t *p, size_t n)
{
  char *e = malloc (BP_ESCAPE_MAX (n) + 1);
  if (!e)
    return BP_ENOMEM;
  size_t k = bp_escape (p, n, e, 0);
  putc ('"', f);
  fwrite (e, 1, k, f);
  putc ('"', f);
  free (e);
  return 0;
}

/* The title of a list: LABEL, then the NAME of its model or file.  */
static void
title (FILE *f, const char *label, const char *name)
{
  fputs (label, f);
  putc (' ', f);
  fputs (name, f);
  putc ('\n', f);
}

/* Percentages and ratios; LC_NUMERIC is "C" in the programs, so the
   decimal point is '.'.  */
static void
ratio (char *buf, size_t size, uint64_t a, uint64_t b, int decimals,
       double scale)
{
  if (b == 0)
    snprintf (buf, size, "-");
  else
    snprintf (buf, size, "%.*f", decimals, (double) a / (double) b * scale);
}

/* The table of the first TOP of the N pieces V of S, sorted BY: rank,
   id, then the length and the count (BY_LENGTH) or the count and its
   share of the tokens (BY_COUNT), then the piece.  */
static int
list (FILE *f, const struct bp_stats_model *s, const struct bp_stats_piece *v,
      size_t n, size_t top, enum bp_stats_order by)
{
  int by_length = by == BP_STATS_BY_LENGTH;
  int rc;

  putc ('\n', f);
  title (f, by_length ? _("longest tokens:") : _("most frequent pieces:"),
         s->name);
  heading (f, _("rank"), 8);
  heading (f, _("id"), 8);
  if (by_length)
    heading (f, _("bytes"), 8);
  heading (f, _("count"), 12);
  if (!by_length)
    heading (f, _("share"), 8);
  fprintf (f, " %s\n", _("piece"));
  for (size_t i = 0; i < n && i < top; i++)
    {
      size_t len;
      const uint8_t *p = bp_model_piece (s->model, v[i].piece, &len);
      fprintf (f, "%8zu %8lu ", i + 1,
               (unsigned long) v[i].piece + BP_ID_FIRST_PIECE);
      if (by_length)
        fprintf (f, "%8zu %12llu  ", len, (unsigned long long) v[i].count);
      else
        {
          char share[32];
          ratio (share, sizeof share, v[i].count, s->tokens, 2, 100);
          fprintf (f, "%12llu %7s%%  ", (unsigned long long) v[i].count,
                   share);
        }
      if ((rc = write_quoted (f, p, len)))
        return rc;
      putc ('\n', f);
    }
  return 0;
}

static int
lists (FILE *f, const struct bp_stats_model *s, size_t top)
{
  size_t n;

  if (!top || !s->tokens)
    return 0;
  struct bp_stats_piece *v = bp_stats_model_select (s, BP_STATS_BY_COUNT, &n);
  if (!v)
    return BP_ENOMEM;
  int rc = list (f, s, v, n, top, BP_STATS_BY_COUNT);
  if (rc == 0)
    {
      bp_stats_sort (v, n, BP_STATS_BY_LENGTH);
      rc = list (f, s, v, n, top, BP_STATS_BY_LENGTH);
    }
  free (v);
  return rc;
}

/* A row of the text's block: LABEL and one number.  */
static void
text_row (FILE *f, const char *label, uint64_t v)
{
  cell (f, label, LABEL_WIDTH);
  fprintf (f, "%llu\n", (unsigned long long) v);
}

/* A percentage of A in B with two decimals into BUF (of 64 bytes).  */
static void
percent (char *buf, uint64_t a, uint64_t b)
{
  ratio (buf, 60, a, b, 2, 100);
  if (b)
    strcat (buf, "%");
}

/* V into BUF (of 64 bytes), or "-" when there is nothing to count
   (N is 0).  */
static void
count_or_none (char *buf, uint64_t v, uint64_t n)
{
  if (n)
    snprintf (buf, 64, "%llu", (unsigned long long) v);
  else
    snprintf (buf, 64, "-");
}

/* S indented under a heading, in BUF (of 64 bytes).  */
static const char *
indent (char *buf, const char *s)
{
  snprintf (buf, 64, "  %s", s);
  return buf;
}

/* The models of R in increasing vocabulary size (the order of the
   command line among equal sizes), a row each: what growing the
   vocabulary of a training run buys.  */
static int
by_vocabulary (FILE *f, const struct bp_stats_report *r)
{
  size_t n = r->nmodels, *order = malloc (n * sizeof *order);
  if (!order)
    return BP_ENOMEM;
  for (size_t i = 0; i < n; i++)
    {
      /* Insertion sort: a handful of models.  */
      size_t j = i;
      size_t v = bp_model_vocab (r->model[i].model);
      for (; j > 0 && bp_model_vocab (r->model[order[j - 1]].model) > v; j--)
        order[j] = order[j - 1];
      order[j] = i;
    }
  fprintf (f, "\n%s\n", _("compression by vocabulary size"));
  heading (f, _("vocabulary"), 12);
  heading (f, _("tokens"), 14);
  heading (f, _("bytes/token"), 12);
  heading (f, _("single-byte"), 12);
  fprintf (f, " %s\n", _("model"));
  for (size_t i = 0; i < n; i++)
    {
      const struct bp_stats_model *s = &r->model[order[i]];
      char bt[64], sb[64];
      ratio (bt, sizeof bt, r->text.bytes, s->tokens, 3, 1);
      percent (sb, bp_stats_model_single_byte (s), s->tokens);
      fprintf (f, "%12zu %14llu %12s %12s  %s\n", bp_model_vocab (s->model),
               (unsigned long long) s->tokens, bt, sb, s->name);
    }
  free (order);
  return 0;
}

static void
param_int (char *buf, long long v)
{
  if (v < 0)
    snprintf (buf, 64, "%s", _("unknown"));
  else
    snprintf (buf, 64, "%lld", v);
}

static int
finish (FILE *f)
{
  return ferror (f) ? BP_EIO : 0;
}

int
bp_stats_write_text (FILE *f, const struct bp_stats_report *r,
                     const struct bp_stats_layout *l)
{
  size_t nc = r->nmodels;
  char (*val)[64] = calloc (nc ? nc : 1, sizeof *val);
  size_t *width = calloc (nc ? nc : 1, sizeof *width);
  const struct bp_lenhist **h = calloc (nc ? nc : 1, sizeof *h);
  const uint64_t **kind = calloc (nc ? nc : 1, sizeof *kind);
  uint64_t (*pct)[BP_STATS_NPCT] = calloc (nc ? nc : 1, sizeof *pct);
  int rc = BP_ENOMEM;

  if (!val || !width || !h || !kind || !pct)
    goto out;
  for (size_t c = 0; c < nc; c++)
    {
      size_t w = display_width (r->model[c].name) + 2;
      width[c] = w > COLUMN_WIDTH ? w : COLUMN_WIDTH;
      h[c] = &r->model[c].by_len;
      kind[c] = r->model[c].by_kind;
    }

#define ROW(label, ...)                                                      \
  do                                                                         \
    {                                                                        \
      for (size_t c = 0; c < nc; c++)                                        \
        {                                                                    \
          const struct bp_stats_model *s = &r->model[c];                     \
          const struct bp_model *m = s->model;                               \
          (void) m;                                                          \
          __VA_ARGS__;                                                       \
        }                                                                    \
      row (f, label, nc, val, width);                                        \
    }                                                                        \
  while (0)

  ROW (_("model"), snprintf (val[c], 64, "%s", s->name));
  ROW (_("vocabulary (ids)"), snprintf (val[c], 64, "%zu",
                                        bp_model_vocab (m)));
  ROW (_("pieces"), snprintf (val[c], 64, "%zu", m->n));
  ROW (_("total count"), snprintf (val[c], 64, "%llu",
                                   (unsigned long long) m->total));
  ROW ("order", param_int (val[c], m->params.order));
  ROW ("min_count", param_int (val[c], m->params.min_count));
  ROW ("max_piece_length", param_int (val[c], m->params.max_piece_length));
  ROW ("ensure_unicode", param_int (val[c], m->params.ensure_unicode));
  ROW ("isolate_digits", param_int (val[c], m->params.isolate_digits));
  ROW ("normalize",
       snprintf (val[c], 64, "%s",
                 m->params.normalize < 0 ? _("unknown")
                 : m->params.normalize  ? "nfc" : "none"));
  ROW (_("longest piece (bytes)"), snprintf (val[c], 64, "%zu", m->max_len));

  if ((rc = charts (f, _("pieces by length (bytes)"), _("pieces by kind"),
                    nc, h, kind, l->bar_width)))
    goto out;

  if (r->have_text)
    {
      static const unsigned permille[BP_STATS_NPCT] = BP_STATS_PCT_PERMILLE;
      static const char *const pct_name[BP_STATS_NPCT] = BP_STATS_PCT_NAMES;
      const struct bp_stats_text *t = &r->text;
      char label[64];

      /* The labels follow LC_MESSAGES like all the others; scripts read
         --json, which never changes with the language.  */
      fprintf (f, "\n%s\n", _("text (normalised, as the ids decode)"));
      text_row (f, _("documents"), t->documents);
      text_row (f, _("chunks"), t->chunks);
      text_row (f, _("bytes"), t->bytes);
      text_row (f, _("characters"), t->chars);
      fputc ('\n', f);
      ROW (_("tokens"), snprintf (val[c], 64, "%llu",
                                  (unsigned long long) s->tokens));
      ROW (_("bytes/token"), ratio (val[c], 64, t->bytes, s->tokens, 3, 1));
      ROW (_("characters/token"),
           ratio (val[c], 64, t->chars, s->tokens, 3, 1));
      ROW (_("pieces used"), snprintf (val[c], 64, "%zu",
                                       bp_stats_model_used (s)));
      ROW (_("vocabulary used"), percent (val[c], bp_stats_model_used (s),
                                          m->n));
      ROW (_("single-byte tokens"),
           percent (val[c], bp_stats_model_single_byte (s), s->tokens));

      /* Tokens per document: how long a context must be to hold them.  */
      for (size_t c = 0; c < nc; c++)
        if (bp_dochist_percentiles (&r->model[c].per_doc, permille,
                                    BP_STATS_NPCT, pct[c]))
          goto out;
      fprintf (f, "\n%s\n", _("document length in tokens"));
      ROW (indent (label, _("mean")),
           ratio (val[c], 64, s->per_doc.tokens, s->per_doc.docs, 1, 1));
      for (size_t k = 0; k < BP_STATS_NPCT; k++)
        ROW (indent (label, pct_name[k]),
             count_or_none (val[c], pct[c][k], s->per_doc.docs));
      ROW (indent (label, _("max")),
           count_or_none (val[c], s->per_doc.max, s->per_doc.docs));

      if (nc > 1 && (rc = by_vocabulary (f, r)))
        goto out;
      for (size_t c = 0; c < nc; c++)
        if ((rc = lists (f, &r->model[c], l->top)))
          goto out;
    }
#undef ROW
  rc = finish (f);
out:
  free (val);
  free (width);
  free (h);
  free (kind);
  free (pct);
  return rc;
}

int
bp_stats_write_counts_text (FILE *f, const struct bp_stats_counts *cs,
                            size_t nc, const struct bp_stats_layout *l)
{
  char (*val)[64] = calloc (nc ? nc : 1, sizeof *val);
  size_t *width = calloc (nc ? nc : 1, sizeof *width);
  const struct bp_lenhist **h = calloc (nc ? nc : 1, sizeof *h);
  const uint64_t **kind = calloc (nc ? nc : 1, sizeof *kind);
  int rc = BP_ENOMEM;

  if (!val || !width || !h || !kind)
    goto out;
  for (size_t c = 0; c < nc; c++)
    {
      size_t w = display_width (cs[c].name) + 2;
      width[c] = w > COLUMN_WIDTH ? w : COLUMN_WIDTH;
      h[c] = &cs[c].by_len;
      kind[c] = cs[c].by_kind;
    }

#define ROW(label, ...)                                                      \
  do                                                                         \
    {                                                                        \
      for (size_t c = 0; c < nc; c++)                                        \
        {                                                                    \
          const struct bp_stats_counts *s = &cs[c];                          \
          const struct bp_counts_header *hd = &s->h;                         \
          (void) hd;                                                         \
          __VA_ARGS__;                                                       \
        }                                                                    \
      row (f, label, nc, val, width);                                        \
    }                                                                        \
  while (0)
  /* A header field the kind of file does not have.  */
#define NONE snprintf (val[c], 64, "-")

  ROW (_("count file"), snprintf (val[c], 64, "%s", s->name));
  ROW ("kind", snprintf (val[c], 64, "%s", bp_counts_kind_name (hd->kind)));
  ROW ("order", snprintf (val[c], 64, "%d", hd->order));
  ROW ("min_count", if (hd->kind == BP_COUNTS_NGRAMS) NONE;
       else snprintf (val[c], 64, "%llu",
                      (unsigned long long) hd->min_count));
  ROW ("total", if (hd->kind == BP_COUNTS_PIECES) NONE;
       else snprintf (val[c], 64, "%llu", (unsigned long long) hd->total));
  ROW ("ensure_unicode", if (hd->kind != BP_COUNTS_PIECES) NONE;
       else snprintf (val[c], 64, "%d", hd->ensure_unicode));
  ROW ("normalize", snprintf (val[c], 64, "%s", hd->normalize ? "nfc"
                                                              : "none"));
  ROW ("isolate_digits", snprintf (val[c], 64, "%d", hd->isolate_digits));
  ROW (_("keys"), snprintf (val[c], 64, "%llu",
                            (unsigned long long) s->keys));
  ROW (_("sum of counts"), snprintf (val[c], 64, "%llu",
                                     (unsigned long long) s->sum));
#undef NONE
#undef ROW

  if ((rc = charts (f, _("keys by length (bytes)"), _("keys by kind"), nc, h,
                    kind, l->bar_width)))
    goto out;

  for (size_t c = 0; c < nc && l->top; c++)
    {
      const struct bp_stats_counts *s = &cs[c];
      if (!s->ntop)
        continue;
      putc ('\n', f);
      title (f, _("largest counts:"), s->name);
      heading (f, _("rank"), 8);
      heading (f, _("count"), 20);
      fprintf (f, " %s\n", _("key"));
      for (size_t i = 0; i < s->ntop && i < l->top; i++)
        {
          fprintf (f, "%8zu %20llu  ", i + 1,
                   (unsigned long long) s->top[i].count);
          if ((rc = write_quoted (f, s->top[i].key, s->top[i].len)))
            goto out;
          putc ('\n', f);
        }
    }
  rc = finish (f);
out:
  free (val);
  free (width);
  free (h);
  free (kind);
  return rc;
}

