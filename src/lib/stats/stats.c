/* Statistics of models, of their tokens over a text, and of count files,
   and the text and JSON reports bp-stats writes; see stats.h.  */
#include <config.h>
#include "stats.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "buf.h"
#include "chunk.h"
#include "error.h"
#include "escape.h"
#include "model.h"
#include "system.h"
#include "unigram.h"
#include "utf8.h"

/* Classes of pieces.  */

const char *
bp_piece_kind_name (enum bp_piece_kind kind)
{
  static const char *const name[BP_NKINDS] = { "ascii", "cjk", "other",
                                               "partial" };
  return kind < BP_NKINDS ? name[kind] : "?";
}

/* The ranges of bp_is_cjk, in increasing order (see stats.h for what
   each block is).  */
static const struct
{
  uint32_t lo, hi;
} cjk_ranges[] = {
  { 0x1100, 0x11FF },   /* Hangul Jamo */
  { 0x2E80, 0x2FDF },   /* CJK Radicals Supplement, Kangxi Radicals */
  { 0x2FF0, 0x303F },   /* Ideographic Description, CJK Symbols and Punct. */
  { 0x3040, 0x33FF },   /* kana, Bopomofo, Hangul Compatibility Jamo,
                           Kanbun, strokes, Enclosed CJK, CJK Compatibility */
  { 0x3400, 0x4DBF },   /* CJK Unified Ideographs Extension A */
  { 0x4E00, 0x9FFF },   /* CJK Unified Ideographs */
  { 0xA960, 0xA97F },   /* Hangul Jamo Extended-A */
  { 0xAC00, 0xD7FF },   /* Hangul Syllables, Hangul Jamo Extended-B */
  { 0xF900, 0xFAFF },   /* CJK Compatibility Ideographs */
  { 0xFE30, 0xFE4F },   /* CJK Compatibility Forms */
  { 0xFF00, 0xFFEF },   /* Halfwidth and Fullwidth Forms */
  { 0x1AFF0, 0x1B16F }, /* Kana Extended-B, Supplement, Extended-A, Small */
  { 0x20000, 0x3FFFF }, /* the Supplementary and Tertiary Ideographic
                           Planes: extensions B to I, compatibility */
};

int
bp_is_cjk (uint32_t cp)
{
  if (cp < cjk_ranges[0].lo)
    return 0;
  for (size_t i = 0; i < BP_ARRAY_SIZE (cjk_ranges); i++)
    if (cp <= cjk_ranges[i].hi)
      return cp >= cjk_ranges[i].lo;
  return 0;
}

enum bp_piece_kind
bp_piece_classify (const uint8_t *p, size_t n)
{
  int ascii = 1, cjk = 1;
  size_t i = 0;

  while (i < n)
    {
      if (p[i] < 0x80)
        {
          cjk = 0;
          i++;
          continue;
        }
      size_t len = bp_utf8_seqlen (p + i, n - i);
      if (!len)
        return BP_KIND_PARTIAL;
      ascii = 0;
      if (cjk && !bp_is_cjk (bp_utf8_decode (p + i, len)))
        cjk = 0;
      i += len;
    }
  return ascii ? BP_KIND_ASCII : cjk ? BP_KIND_CJK : BP_KIND_OTHER;
}

/* Characters.  */

void
bp_charcount_feed (struct bp_charcount *c, const uint8_t *p, size_t n,
                   int last)
{
  size_t i = 0;

  if (c->npend)
    {
      /* The start of a sequence the previous part cut: complete it with
         the first bytes of this one.  */
      uint8_t tmp[4];
      size_t m = c->npend, k = 0;
      memcpy (tmp, c->pend, m);
      while (m < sizeof tmp && k < n)
        tmp[m++] = p[k++];
      size_t len = bp_utf8_seqlen (tmp, m);
      if (len)
        {
          c->chars++;
          i = len - c->npend;
          c->npend = 0;
        }
      else if (!last && bp_utf8_is_partial (tmp, m))
        {
          /* Still incomplete (M < 4, so all of P was taken).  */
          memcpy (c->pend, tmp, m);
          c->npend = (unsigned) m;
          return;
        }
      else
        {
          /* The lead byte and the continuation bytes after it are each a
             byte outside any well-formed sequence: a character each.  P
             is then read from its start.  */
          c->chars += c->npend;
          c->npend = 0;
        }
    }

  while (i < n)
    {
      if (p[i] < 0x80)
        {
          c->chars++;
          i++;
          continue;
        }
      size_t len = bp_utf8_seqlen (p + i, n - i);
      if (len)
        i += len;
      else if (!last && bp_utf8_is_partial (p + i, n - i))
        {
          c->npend = (unsigned) (n - i);
          memcpy (c->pend, p + i, n - i);
          return;
        }
      else
        i++;
      c->chars++;
    }
}

/* Histograms.  */

int
bp_lenhist_add (struct bp_lenhist *h, size_t len, uint64_t k)
{
  if (!h->count || len > h->max)
    {
      size_t max = h->count && h->max * 2 > len ? h->max * 2 : len + 8;
      uint64_t *c = realloc (h->count, (max + 1) * sizeof *c);
      if (!c)
        return BP_ENOMEM;
      size_t from = h->count ? h->max + 1 : 0;
      memset (c + from, 0, (max + 1 - from) * sizeof *c);
      h->count = c;
      h->max = max;
    }
  h->count[len] += k;
  return 0;
}

void
bp_lenhist_free (struct bp_lenhist *h)
{
  free (h->count);
  h->count = NULL;
  h->max = 0;
}

/* The longest length with a nonzero count, or 0.  */
static size_t
lenhist_longest (const struct bp_lenhist *h)
{
  size_t l = h->count ? h->max : 0;
  while (l > 0 && h->count[l] == 0)
    l--;
  return l;
}

static uint64_t
lenhist_get (const struct bp_lenhist *h, size_t len)
{
  return h->count && len <= h->max ? h->count[len] : 0;
}

/* Models.  */

int
bp_stats_model_init (struct bp_stats_model *s, const char *name,
                     const struct bp_model *m)
{
  memset (s, 0, sizeof *s);
  s->name = name;
  s->model = m;
  s->count = calloc (m->n ? m->n : 1, sizeof *s->count);
  if (!s->count)
    return BP_ENOMEM;
  for (size_t i = 0; i < m->n; i++)
    {
      size_t len;
      const uint8_t *p = bp_model_piece (m, i, &len);
      s->by_kind[bp_piece_classify (p, len)]++;
      if (bp_lenhist_add (&s->by_len, len, 1))
        {
          bp_stats_model_free (s);
          return BP_ENOMEM;
        }
    }
  return 0;
}

void
bp_stats_model_free (struct bp_stats_model *s)
{
  bp_lenhist_free (&s->by_len);
  free (s->count);
  s->count = NULL;
}

size_t
bp_stats_model_used (const struct bp_stats_model *s)
{
  size_t used = 0;
  for (size_t i = 0; i < s->model->n; i++)
    used += s->count[i] != 0;
  return used;
}

/* Accumulating over a text.  */

struct acc_model
{
  struct bp_segmenter *seg;
  struct bp_pieces pieces;
  uint64_t tokens;
  uint64_t *count;
  size_t n;
};

struct bp_stats_acc
{
  size_t nmodels;
  struct acc_model *m;
  struct bp_stats_text text;
  struct bp_charcount cc;
};

struct bp_stats_acc *
bp_stats_acc_new (size_t nmodels, const struct bp_unigram *const *u)
{
  struct bp_stats_acc *a = calloc (1, sizeof *a);
  if (!a)
    return NULL;
  a->m = calloc (nmodels ? nmodels : 1, sizeof *a->m);
  if (!a->m)
    {
      free (a);
      return NULL;
    }
  a->nmodels = nmodels;
  for (size_t i = 0; i < nmodels; i++)
    {
      struct acc_model *am = &a->m[i];
      am->n = u[i]->model->n;
      am->seg = bp_segmenter_new (u[i]);
      am->count = calloc (am->n ? am->n : 1, sizeof *am->count);
      if (!am->seg || !am->count)
        {
          bp_stats_acc_free (a);
          return NULL;
        }
    }
  return a;
}

void
bp_stats_acc_free (struct bp_stats_acc *a)
{
  if (!a)
    return;
  for (size_t i = 0; i < a->nmodels; i++)
    {
      bp_segmenter_free (a->m[i].seg);
      bp_pieces_free (&a->m[i].pieces);
      free (a->m[i].count);
    }
  free (a->m);
  free (a);
}

int
bp_stats_acc_span (struct bp_stats_acc *a, const uint8_t *data, size_t len,
                   unsigned flags, int chunk_start)
{
  int chunk_end = (flags & BP_SPAN_CHUNK_END) != 0;

  a->text.documents += (flags & BP_SPAN_DOC_END) != 0;
  a->text.chunks += chunk_end;
  a->text.bytes += len;
  /* The same calls as bp-encode's, so that the tokens are its ids.  */
  if (!len && !chunk_end)
    return 0;
  if (chunk_start)
    a->cc.npend = 0;
  bp_charcount_feed (&a->cc, data, len, chunk_end);
  for (size_t i = 0; i < a->nmodels; i++)
    {
      struct acc_model *am = &a->m[i];
      if (chunk_start)
        bp_segmenter_start (am->seg, -1, NULL);
      am->pieces.len = 0;
      int rc = bp_segmenter_feed (am->seg, data, len, chunk_end, &am->pieces);
      if (rc)
        return rc;
      const uint32_t *v = am->pieces.v;
      for (size_t k = 0; k < am->pieces.len; k++)
        am->count[v[k]]++;
      am->tokens += am->pieces.len;
    }
  return 0;
}

int
bp_stats_acc_add_to (const struct bp_stats_acc *a, struct bp_stats_report *r)
{
  struct bp_stats_text *t = &r->text;
  if (ckd_add (&t->documents, t->documents, a->text.documents)
      || ckd_add (&t->chunks, t->chunks, a->text.chunks)
      || ckd_add (&t->bytes, t->bytes, a->text.bytes)
      || ckd_add (&t->chars, t->chars, a->cc.chars))
    return BP_ERANGE;
  for (size_t i = 0; i < a->nmodels && i < r->nmodels; i++)
    {
      const struct acc_model *am = &a->m[i];
      struct bp_stats_model *s = &r->model[i];
      if (ckd_add (&s->tokens, s->tokens, am->tokens))
        return BP_ERANGE;
      for (size_t k = 0; k < am->n; k++)
        s->count[k] += am->count[k];
    }
  r->have_text = 1;
  return 0;
}

/* Count files.  */

/* Is A a worse entry of a top list than B: a smaller count, or the same
   count later in the file?  */
static int
key_worse (const struct bp_stats_key *a, const struct bp_stats_key *b)
{
  return a->count < b->count || (a->count == b->count && a->seq > b->seq);
}

/* Restore the heap (the worst entry at the root) of S's top list after
   entry I changed, up (UP) or down.  */
static void
heap_fix (struct bp_stats_key *h, size_t n, size_t i, int up)
{
  if (up)
    while (i > 0)
      {
        size_t parent = (i - 1) / 2;
        if (!key_worse (&h[i], &h[parent]))
          break;
        struct bp_stats_key t = h[i];
        h[i] = h[parent];
        h[parent] = t;
        i = parent;
      }
  else
    for (;;)
      {
        size_t l = 2 * i + 1, w = i;
        if (l < n && key_worse (&h[l], &h[w]))
          w = l;
        if (l + 1 < n && key_worse (&h[l + 1], &h[w]))
          w = l + 1;
        if (w == i)
          break;
        struct bp_stats_key t = h[i];
        h[i] = h[w];
        h[w] = t;
        i = w;
      }
}

static int
key_cmp_best (const void *pa, const void *pb)
{
  const struct bp_stats_key *a = pa, *b = pb;
  return key_worse (a, b) ? 1 : key_worse (b, a) ? -1 : 0;
}

static int
set_key (struct bp_stats_key *e, const uint8_t *key, size_t len,
         uint64_t count, uint64_t seq)
{
  uint8_t *k = realloc (e->key, len ? len : 1);
  if (!k)
    return BP_ENOMEM;
  if (len)
    memcpy (k, key, len);
  e->key = k;
  e->len = len;
  e->count = count;
  e->seq = seq;
  return 0;
}

int
bp_stats_counts_read (struct bp_stats_counts *s, const char *name, FILE *f,
                      size_t top, struct bp_error *err)
{
  struct bp_counts_reader *r;
  struct bp_counts_record rec;
  int rc;

  memset (s, 0, sizeof *s);
  s->name = name;
  if ((rc = bp_counts_reader_open (f, &r, err)))
    return rc;
  s->h = *bp_counts_reader_header (r);
  if (top && !(s->top = calloc (top, sizeof *s->top)))
    {
      bp_counts_reader_free (r);
      return bp_error_errno (err, ENOMEM);
    }
  while ((rc = bp_counts_reader_next (r, &rec, err)) == 1)
    {
      if (ckd_add (&s->sum, s->sum, rec.count))
        {
          rc = bp_error_set (err, BP_ERANGE, rec.line, "%s",
                             _("the sum of the counts overflows 64 bits"));
          break;
        }
      if (bp_lenhist_add (&s->by_len, rec.len, 1))
        {
          rc = bp_error_errno (err, ENOMEM);
          break;
        }
      s->by_kind[bp_piece_classify (rec.key, rec.len)]++;
      uint64_t seq = s->keys++;
      if (s->ntop < top)
        {
          s->top[s->ntop].key = NULL;
          if (set_key (&s->top[s->ntop], rec.key, rec.len, rec.count, seq))
            {
              rc = bp_error_errno (err, ENOMEM);
              break;
            }
          s->ntop++;
          heap_fix (s->top, s->ntop, s->ntop - 1, 1);
        }
      else if (top && rec.count > s->top[0].count)
        {
          /* Better than the worst kept; an equal count is not, since it
             comes later.  */
          if (set_key (&s->top[0], rec.key, rec.len, rec.count, seq))
            {
              rc = bp_error_errno (err, ENOMEM);
              break;
            }
          heap_fix (s->top, s->ntop, 0, 0);
        }
    }
  bp_counts_reader_free (r);
  if (rc < 0)
    return rc;
  if (s->ntop)
    qsort (s->top, s->ntop, sizeof *s->top, key_cmp_best);
  return 0;
}

void
bp_stats_counts_free (struct bp_stats_counts *s)
{
  for (size_t i = 0; i < s->ntop; i++)
    free (s->top[i].key);
  free (s->top);
  s->top = NULL;
  s->ntop = 0;
  bp_lenhist_free (&s->by_len);
}

/* Selecting pieces for the lists of a report.  */

struct sel
{
  uint64_t count;
  size_t len;
  uint32_t piece;
};

/* Most tokens first; then the lower id.  */
static int
sel_by_count (const void *pa, const void *pb)
{
  const struct sel *a = pa, *b = pb;
  if (a->count != b->count)
    return a->count > b->count ? -1 : 1;
  return (a->piece > b->piece) - (a->piece < b->piece);
}

/* Longest first; then the most tokens, then the lower id.  */
static int
sel_by_length (const void *pa, const void *pb)
{
  const struct sel *a = pa, *b = pb;
  if (a->len != b->len)
    return a->len > b->len ? -1 : 1;
  return sel_by_count (pa, pb);
}

/* The pieces of S that occur in its tokens, sorted by CMP.  Returns a new
   array (free it) with their number in *N, or NULL if out of memory.  */
static struct sel *
select_pieces (const struct bp_stats_model *s,
               int (*cmp) (const void *, const void *), size_t *n)
{
  const struct bp_model *m = s->model;
  size_t used = bp_stats_model_used (s);
  struct sel *v = malloc ((used ? used : 1) * sizeof *v);
  if (!v)
    return NULL;
  size_t k = 0;
  for (size_t i = 0; i < m->n; i++)
    if (s->count[i])
      {
        v[k].count = s->count[i];
        v[k].len = m->off[i + 1] - m->off[i];
        v[k].piece = (uint32_t) i;
        k++;
      }
  qsort (v, k, sizeof *v, cmp);
  *n = k;
  return v;
}

/* Writing text.  */

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
      size_t l = lenhist_longest (h[c]);
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
          uint64_t x = r < LENGTH_ROWS ? lenhist_get (h[c], r) : 0;
          if (r == LENGTH_ROWS)
            for (size_t l = r; l <= longest; l++)
              x += lenhist_get (h[c], l);
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
          v[c] = r < LENGTH_ROWS ? lenhist_get (h[c], r) : 0;
          if (r == LENGTH_ROWS)
            for (size_t l = r; l <= longest; l++)
              v[c] += lenhist_get (h[c], l);
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

static int
lists (FILE *f, const struct bp_stats_model *s, size_t top)
{
  const struct bp_model *m = s->model;
  size_t n;
  int rc;

  if (!top || !s->tokens)
    return 0;
  struct sel *v = select_pieces (s, sel_by_count, &n);
  if (!v)
    return BP_ENOMEM;
  putc ('\n', f);
  title (f, _("most frequent pieces:"), s->name);
  heading (f, _("rank"), 8);
  heading (f, _("id"), 8);
  heading (f, _("count"), 12);
  heading (f, _("share"), 8);
  fprintf (f, " %s\n", _("piece"));
  for (size_t i = 0; i < n && i < top; i++)
    {
      char share[32];
      size_t len;
      const uint8_t *p = bp_model_piece (m, v[i].piece, &len);
      ratio (share, sizeof share, v[i].count, s->tokens, 2, 100);
      fprintf (f, "%8zu %8lu %12llu %7s%%  ", i + 1,
               (unsigned long) v[i].piece + BP_ID_FIRST_PIECE,
               (unsigned long long) v[i].count, share);
      if ((rc = write_quoted (f, p, len)))
        goto out;
      putc ('\n', f);
    }

  qsort (v, n, sizeof *v, sel_by_length);
  putc ('\n', f);
  title (f, _("longest tokens:"), s->name);
  heading (f, _("rank"), 8);
  heading (f, _("id"), 8);
  heading (f, _("bytes"), 8);
  heading (f, _("count"), 12);
  fprintf (f, " %s\n", _("piece"));
  for (size_t i = 0; i < n && i < top; i++)
    {
      size_t len;
      const uint8_t *p = bp_model_piece (m, v[i].piece, &len);
      fprintf (f, "%8zu %8lu %8zu %12llu  ", i + 1,
               (unsigned long) v[i].piece + BP_ID_FIRST_PIECE, len,
               (unsigned long long) v[i].count);
      if ((rc = write_quoted (f, p, len)))
        goto out;
      putc ('\n', f);
    }
  rc = 0;
out:
  free (v);
  return rc;
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
  int rc = BP_ENOMEM;

  if (!val || !width || !h || !kind)
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
      const struct bp_stats_text *t = &r->text;
      fprintf (f, "\n%s\n", _("text (normalised, as the ids decode)"));
      fprintf (f, "%-*s%llu\n", LABEL_WIDTH, "documents",
               (unsigned long long) t->documents);
      /* The labels of these rows are not translated: scripts read them.  */
      fprintf (f, "%-*s%llu\n", LABEL_WIDTH, "chunks",
               (unsigned long long) t->chunks);
      fprintf (f, "%-*s%llu\n", LABEL_WIDTH, "bytes",
               (unsigned long long) t->bytes);
      fprintf (f, "%-*s%llu\n", LABEL_WIDTH, "characters",
               (unsigned long long) t->chars);
      fputc ('\n', f);
      ROW ("tokens", snprintf (val[c], 64, "%llu",
                               (unsigned long long) s->tokens));
      ROW ("bytes/token", ratio (val[c], 64, t->bytes, s->tokens, 3, 1));
      ROW ("characters/token", ratio (val[c], 64, t->chars, s->tokens, 3, 1));
      ROW ("pieces used", snprintf (val[c], 64, "%zu",
                                    bp_stats_model_used (s)));
      ROW ("vocabulary used",
           ratio (val[c], 60, bp_stats_model_used (s), m->n, 2, 100);
           strcat (val[c], val[c][0] == '-' ? "" : "%"));
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

/* Writing JSON, by hand: the numbers and strings are few and simple.  */

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

/* The N bytes at P in the byte escaping of bytepiece(5), as a JSON
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
  size_t longest = lenhist_longest (h);
  fputs ("\"by_length\": [", f);
  for (size_t len = 1; len <= longest; len++)
    fprintf (f, "%s%llu", len > 1 ? ", " : "",
             (unsigned long long) lenhist_get (h, len));
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

static int
json_lists (FILE *f, const struct bp_stats_model *s, size_t top)
{
  const struct bp_model *m = s->model;
  size_t n;
  int rc = 0;
  struct sel *v = select_pieces (s, sel_by_count, &n);
  if (!v)
    return BP_ENOMEM;
  if (n > top)
    n = top;

  fputs ("      \"top\": [", f);
  for (size_t i = 0; i < n && rc == 0; i++)
    {
      size_t len;
      const uint8_t *p = bp_model_piece (m, v[i].piece, &len);
      fprintf (f, "%s\n        {", i ? "," : "");
      json_u64 (f, "id", v[i].piece + (uint64_t) BP_ID_FIRST_PIECE, ", ");
      fputs ("\"piece\": ", f);
      rc = json_bytes (f, p, len);
      fputs (", ", f);
      json_u64 (f, "count", v[i].count, ", ");
      json_ratio (f, "share", v[i].count, s->tokens, "}");
    }
  fputs (n ? "\n      ],\n" : "],\n", f);

  /* The longest from all pieces used, not just the first N by count.  */
  free (v);
  v = select_pieces (s, sel_by_length, &n);
  if (!v)
    return BP_ENOMEM;
  if (n > top)
    n = top;
  fputs ("      \"longest\": [", f);
  for (size_t i = 0; i < n && rc == 0; i++)
    {
      size_t len;
      const uint8_t *p = bp_model_piece (m, v[i].piece, &len);
      fprintf (f, "%s\n        {", i ? "," : "");
      json_u64 (f, "id", v[i].piece + (uint64_t) BP_ID_FIRST_PIECE, ", ");
      fputs ("\"piece\": ", f);
      rc = json_bytes (f, p, len);
      fputs (", ", f);
      json_u64 (f, "bytes", len, ", ");
      json_u64 (f, "count", v[i].count, "}");
    }
  fputs (n ? "\n      ]\n" : "]\n", f);
  free (v);
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
          json_ratio (f, "vocab_used", used, m->n, ",\n");
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
