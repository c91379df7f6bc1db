/* SPDX-License-Identifier: Apache-2.0 */
/* Count files: header, reader, writer; see counts.h.  */
#include <config.h>
#include "counts.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "escape.h"
#include "header.h"
#include "readprog.h"
#include "system.h"

/* ------------------------------------------------------------------ */
/* Headers.  */

static const char magic[] = "#bytepiece-counts";

static const char *const kind_names[] = { "ngrams", "ngram-model", "pieces" };

const char *
bp_counts_kind_name (enum bp_counts_kind kind)
{
  return kind_names[kind];
}

/* Which optional fields a kind has.  */
static int
has_min_count (enum bp_counts_kind k)
{
  return k != BP_COUNTS_NGRAMS;
}

static int
has_total (enum bp_counts_kind k)
{
  return k != BP_COUNTS_PIECES;
}

static int
has_ensure_unicode (enum bp_counts_kind k)
{
  return k == BP_COUNTS_PIECES;
}

/* A write to the output failed: the errno of the call.  */
static int
write_error (struct bp_error *err)
{
  int rc = bp_error_errno (err, errno);
  bp_error_at_output (err);
  return rc;
}

int
bp_counts_header_write (FILE *f, const struct bp_counts_header *h,
                        struct bp_error *err)
{
  errno = 0;
  fprintf (f, "%s 1 kind=%s order=%d", magic, kind_names[h->kind], h->order);
  if (has_min_count (h->kind))
    fprintf (f, " min_count=%" PRIu64, h->min_count);
  if (has_total (h->kind))
    fprintf (f, " total=%" PRIu64, h->total);
  if (has_ensure_unicode (h->kind))
    fprintf (f, " ensure_unicode=%d", h->ensure_unicode ? 1 : 0);
  fprintf (f, " normalize=%s isolate_digits=%d\n",
           h->normalize ? "nfc" : "none", h->isolate_digits ? 1 : 0);
  return ferror (f) ? write_error (err) : 0;
}

enum
{
  F_KIND = 1,
  F_ORDER = 2,
  F_MIN_COUNT = 4,
  F_TOTAL = 8,
  F_ENSURE_UNICODE = 16,
  F_NORMALIZE = 32,
  F_ISOLATE_DIGITS = 64
};

static const char *const field_names[] = {
  "kind", "order", "min_count", "total", "ensure_unicode", "normalize",
  "isolate_digits"
};

int
bp_counts_header_parse (const char *line, size_t len,
                        struct bp_counts_header *h, struct bp_error *err)
{
  struct bp_header hd;
  unsigned seen = 0;
  char q[BP_QUOTE_SIZE (BP_QUOTE_INPUT)];  /* input quoted in messages */

  memset (h, 0, sizeof *h);
  if (!bp_header_is (line, len, magic))
    return bp_error_set (err, BP_EFORMAT, 1,
                         _("missing header (expected '%s 1 ...')"), magic);

  bp_header_start (&hd, line, len, magic);
  const char *t;
  size_t tn, ntok = 0;
  while (bp_header_token (&hd, &t, &tn))
    {
      if (ntok++ == 0)
        {
          if (!bp_header_tok_is (t, tn, "1"))
            return bp_error_set (err, BP_EFORMAT, 1,
                                 _("unsupported count file version '%s'"),
                                 bp_escape_quote (q, BP_QUOTE_INPUT, t, tn));
          continue;
        }

      struct bp_header_field fld;
      if (bp_header_field (t, tn, &fld))
        return bp_error_set (err, BP_EFORMAT, 1, _("bad header field '%s'"),
                             bp_escape_quote (q, BP_QUOTE_INPUT, t, tn));
      size_t kn = fld.klen;
      const char *v = fld.val;
      size_t vn = fld.vlen;
      int f = -1;
      for (size_t k = 0; k < BP_ARRAY_SIZE (field_names); k++)
        if (bp_header_tok_is (t, kn, field_names[k]))
          f = (int) k;
      if (f < 0)
        continue;  /* a field of a later version */
      if (seen & (1u << f))
        return bp_error_set (err, BP_EFORMAT, 1,
                             _("header field '%s' given twice"),
                             field_names[f]);
      seen |= 1u << f;

      uint64_t x;
      int ok = 1;
      switch (1u << f)
        {
        case F_KIND:
          ok = 0;
          for (size_t k = 0; k < BP_ARRAY_SIZE (kind_names); k++)
            if (bp_header_tok_is (v, vn, kind_names[k]))
              {
                h->kind = (enum bp_counts_kind) k;
                ok = 1;
              }
          break;
        case F_ORDER:
          ok = bp_header_u64 (v, vn, &x) == 0 && x >= 1 && x <= INT32_MAX;
          h->order = ok ? (int) x : 0;
          break;
        case F_MIN_COUNT:
          ok = bp_header_u64 (v, vn, &h->min_count) == 0;
          break;
        case F_TOTAL:
          ok = bp_header_u64 (v, vn, &h->total) == 0;
          break;
        case F_NORMALIZE:
          ok = bp_header_tok_is (v, vn, "nfc")
               || bp_header_tok_is (v, vn, "none");
          h->normalize = bp_header_tok_is (v, vn, "nfc");
          break;
        default:
          ok = bp_header_tok_is (v, vn, "0")
               || bp_header_tok_is (v, vn, "1");
          if (1u << f == F_ENSURE_UNICODE)
            h->ensure_unicode = bp_header_tok_is (v, vn, "1");
          else
            h->isolate_digits = bp_header_tok_is (v, vn, "1");
          break;
        }
      if (!ok)
        return bp_error_set (err, BP_EFORMAT, 1,
                             _("bad value '%s' for header field '%s'"),
                             bp_escape_quote (q, BP_QUOTE_INPUT, v, vn),
                             field_names[f]);
    }
  if (ntok == 0)
    return bp_error_set (err, BP_EFORMAT, 1,
                         _("unsupported count file version '%s'"), "");

  unsigned need = F_KIND | F_ORDER | F_NORMALIZE | F_ISOLATE_DIGITS;
  if (seen & F_KIND)
    {
      /* A field that this kind does not have is read like one of a
         later version: ignored, so that a header means what its kind
         says (a piece-count file given total=8 has no total).  */
      if (has_min_count (h->kind))
        need |= F_MIN_COUNT;
      else
        h->min_count = 0;
      if (has_total (h->kind))
        need |= F_TOTAL;
      else
        h->total = 0;
      if (has_ensure_unicode (h->kind))
        need |= F_ENSURE_UNICODE;
      else
        h->ensure_unicode = 0;
    }
  for (size_t k = 0; k < BP_ARRAY_SIZE (field_names); k++)
    if ((need & ~seen) & (1u << k))
      return bp_error_set (err, BP_EFORMAT, 1,
                           _("header lacks the field '%s'"), field_names[k]);
  return 0;
}

int
bp_counts_header_differ (const struct bp_counts_header *a,
                         const struct bp_counts_header *b, char *abuf,
                         char *bbuf, size_t size)
{
  if (a->kind != b->kind)
    {
      snprintf (abuf, size, "kind=%s", kind_names[a->kind]);
      snprintf (bbuf, size, "kind=%s", kind_names[b->kind]);
      return 1;
    }
  if (a->order != b->order)
    {
      snprintf (abuf, size, "order=%d", a->order);
      snprintf (bbuf, size, "order=%d", b->order);
      return 1;
    }
  if (has_min_count (a->kind) && a->min_count != b->min_count)
    {
      snprintf (abuf, size, "min_count=%" PRIu64, a->min_count);
      snprintf (bbuf, size, "min_count=%" PRIu64, b->min_count);
      return 1;
    }
  if (has_ensure_unicode (a->kind) && a->ensure_unicode != b->ensure_unicode)
    {
      snprintf (abuf, size, "ensure_unicode=%d", a->ensure_unicode);
      snprintf (bbuf, size, "ensure_unicode=%d", b->ensure_unicode);
      return 1;
    }
  if (a->normalize != b->normalize)
    {
      snprintf (abuf, size, "normalize=%s", a->normalize ? "nfc" : "none");
      snprintf (bbuf, size, "normalize=%s", b->normalize ? "nfc" : "none");
      return 1;
    }
  if (a->isolate_digits != b->isolate_digits)
    {
      snprintf (abuf, size, "isolate_digits=%d", a->isolate_digits);
      snprintf (bbuf, size, "isolate_digits=%d", b->isolate_digits);
      return 1;
    }
  return 0;
}

/* ------------------------------------------------------------------ */
/* Reading.  */

struct bp_counts_reader
{
  FILE *f;
  struct bp_counts_header h;
  char *line;
  size_t line_cap;
  uint64_t lineno;
  uint64_t offset;          /* bytes read, for progress reports */
  const struct bp_read_progress *progress;
  struct bp_buf prev;       /* the previous escaped key */
  int have_prev;
  struct bp_buf key;        /* the current key's bytes */
  struct bp_buf esc;        /* scratch: the key escaped again */
};

/* Read one line into R->line.  Returns its length with the LF, 0 at the
   end of the file, or a negative BP_E* code.  */
static long
read_line (struct bp_counts_reader *r, struct bp_error *err)
{
  errno = 0;
  ssize_t n = getline (&r->line, &r->line_cap, r->f);
  if (n < 0)
    {
      if (ferror (r->f))
        return bp_error_errno (err, errno ? errno : EIO);
      return 0;
    }
  r->lineno++;
  r->offset += (uint64_t) n;
  if (r->progress && r->lineno % (1 << 16) == 0)
    r->progress->fn (r->progress->ctx, r->offset);
  return (long) n;
}

int
bp_counts_reader_open (FILE *f, struct bp_counts_reader **out,
                       struct bp_error *err)
{
  struct bp_counts_reader *r = calloc (1, sizeof *r);
  long n;
  int rc;

  *out = NULL;
  if (!r)
    return bp_error_errno (err, ENOMEM);
  r->f = f;
  n = read_line (r, err);
  if (n < 0)
    {
      bp_counts_reader_free (r);
      return (int) n;
    }
  if (n == 0 || r->line[n - 1] != '\n')
    {
      /* An empty file, or a header cut short: either way no header.  */
      rc = n == 0 ? bp_error_set (err, BP_EFORMAT, 1,
                                  _("missing header (expected '%s 1 ...')"),
                                  magic)
                  : bp_error_set (err, BP_EFORMAT, 1,
                                  _("line not terminated by a newline "
                                    "(truncated file?)"));
      bp_counts_reader_free (r);
      return rc;
    }
  if ((rc = bp_counts_header_parse (r->line, (size_t) n - 1, &r->h, err)))
    {
      bp_counts_reader_free (r);
      return rc;
    }
  *out = r;
  return 0;
}

const struct bp_counts_header *
bp_counts_reader_header (const struct bp_counts_reader *r)
{
  return &r->h;
}

void
bp_counts_reader_progress (struct bp_counts_reader *r,
                           const struct bp_read_progress *p)
{
  r->progress = p;
}

uint64_t
bp_counts_reader_offset (const struct bp_counts_reader *r)
{
  return r->offset;
}

void
bp_counts_reader_free (struct bp_counts_reader *r)
{
  if (!r)
    return;
  free (r->line);
  bp_buf_free (&r->prev);
  bp_buf_free (&r->key);
  bp_buf_free (&r->esc);
  free (r);
}

int
bp_counts_parse_record (const char *line, size_t len, uint64_t ln,
                        struct bp_buf *key, struct bp_buf *esc,
                        struct bp_counts_record *rec, struct bp_error *err)
{
  const char *s = line;
  const char *tab = memchr (s, '\t', len);
  if (!tab && bp_header_is (s, len, magic))
    /* Several runs of bp-count wrote one after the other into this file:
       what xargs does when the list of files is long.  */
    return bp_error_set (err, BP_EFORMAT, ln,
                         _("a second header: was the count split by xargs "
                           "into several runs? Count with --files-from, or "
                           "add count files up with bp-count --merge"));
  if (!tab)
    return bp_error_set (err, BP_EFORMAT, ln, _("missing TAB"));
  size_t klen = (size_t) (tab - s);
  const char *cs = tab + 1;
  size_t clen = len - klen - 1;

  if (klen == 0)
    return bp_error_set (err, BP_EFORMAT, ln, _("empty key"));
  uint64_t count;
  if (bp_header_u64 (cs, clen, &count) || count == 0)
    {
      char q[BP_QUOTE_SIZE (BP_QUOTE_INPUT)];
      return bp_error_set (err, BP_EFORMAT, ln,
                           _("bad count '%s' (not a positive 64-bit "
                             "decimal number)"),
                           bp_escape_quote (q, BP_QUOTE_INPUT, cs, clen));
    }

  key->len = 0;
  if (bp_buf_grow (key, klen))
    return bp_error_errno (err, ENOMEM);
  size_t bad;
  long raw = bp_unescape (s, klen, key->data, &bad);
  if (raw < 0)
    return bp_error_set (err, BP_EFORMAT, ln,
                         _("bad escape in key at byte %zu"), bad + 1);
  key->len = (size_t) raw;
  esc->len = 0;
  if (bp_escape_append (esc, key->data, key->len, 0))
    return bp_error_errno (err, ENOMEM);
  if (esc->len != klen || memcmp (esc->data, s, klen) != 0)
    return bp_error_set (err, BP_EFORMAT, ln,
                         _("key not escaped the canonical way"));
  rec->esc = s;
  rec->esc_len = klen;
  rec->key = key->data;
  rec->len = key->len;
  rec->count = count;
  rec->line = ln;
  return 0;
}

int
bp_counts_reader_next (struct bp_counts_reader *r,
                       struct bp_counts_record *rec, struct bp_error *err)
{
  long n = read_line (r, err);
  if (n <= 0)
    return (int) n;

  uint64_t ln = r->lineno;
  const char *s = r->line;
  size_t len = (size_t) n;
  if (s[len - 1] != '\n')
    return bp_error_set (err, BP_EFORMAT, ln,
                         _("line not terminated by a newline "
                           "(truncated file?)"));
  int rc = bp_counts_parse_record (s, len - 1, ln, &r->key, &r->esc, rec,
                                   err);
  if (rc)
    return rc;
  size_t klen = rec->esc_len;
  if (r->h.kind != BP_COUNTS_PIECES && r->key.len > (size_t) r->h.order)
    return bp_error_set (err, BP_EFORMAT, ln,
                         _("key of %zu bytes is longer than the order %d"),
                         r->key.len, r->h.order);

  if (r->have_prev)
    {
      int c = bp_counts_cmp (r->prev.data, r->prev.len, s, klen);
      if (c == 0)
        return bp_error_set (err, BP_EFORMAT, ln, _("duplicate key"));
      if (c > 0)
        return bp_error_set (err, BP_EFORMAT, ln,
                             _("key out of order (records must be sorted "
                               "by their escaped keys as bytes)"));
    }
  r->prev.len = 0;
  if (bp_buf_append (&r->prev, s, klen))
    return bp_error_errno (err, ENOMEM);
  r->have_prev = 1;

  rec->esc = (const char *) r->prev.data;
  return 1;
}

/* ------------------------------------------------------------------ */
/* Writing records.  */

/* Append the decimal digits of V.  */
static char *
put_u64 (char *d, uint64_t v)
{
  char tmp[20];
  int n = 0;
  do
    {
      tmp[n++] = (char) ('0' + v % 10);
      v /= 10;
    }
  while (v);
  while (n)
    *d++ = tmp[--n];
  return d;
}

int
bp_counts_format_record (struct bp_buf *out, const uint8_t *key, size_t len,
                         uint64_t count)
{
  if (bp_buf_grow (out, BP_ESCAPE_MAX (len) + 22))
    return BP_ENOMEM;
  char *d = (char *) out->data + out->len;
  d += bp_escape (key, len, d, 0);
  *d++ = '\t';
  d = put_u64 (d, count);
  *d++ = '\n';
  out->len = (size_t) (d - (char *) out->data);
  return 0;
}

/* Records are written out in pieces of about this many bytes.  */
enum { OUT_CHUNK = 1 << 16 };

/* Write out the buffer once it is large.  */
static int
drain (struct bp_counts_writer *w, struct bp_error *err)
{
  if (w->buf.len < OUT_CHUNK)
    return 0;
  return bp_counts_writer_flush (w, err);
}

int
bp_counts_writer_put (struct bp_counts_writer *w, const uint8_t *key,
                      size_t len, uint64_t count, struct bp_error *err)
{
  if (bp_counts_format_record (&w->buf, key, len, count))
    return bp_error_errno (err, ENOMEM);
  return drain (w, err);
}

int
bp_counts_writer_put_escaped (struct bp_counts_writer *w, const char *esc,
                              size_t len, uint64_t count,
                              struct bp_error *err)
{
  if (bp_buf_grow (&w->buf, len + 22))
    return bp_error_errno (err, ENOMEM);
  char *d = (char *) w->buf.data + w->buf.len;
  memcpy (d, esc, len);
  d += len;
  *d++ = '\t';
  d = put_u64 (d, count);
  *d++ = '\n';
  w->buf.len = (size_t) (d - (char *) w->buf.data);
  return drain (w, err);
}

int
bp_counts_writer_flush (struct bp_counts_writer *w, struct bp_error *err)
{
  errno = 0;
  if (w->buf.len && fwrite (w->buf.data, 1, w->buf.len, w->f) != w->buf.len)
    return write_error (err);
  w->buf.len = 0;
  return ferror (w->f) ? write_error (err) : 0;
}

void
bp_counts_writer_free (struct bp_counts_writer *w)
{
  bp_buf_free (&w->buf);
}
