/* Count files, n-gram and piece counting, and the k-way merge; see
   counts.h.  */
#include <config.h>
#include "counts.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "escape.h"
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

int
bp_counts_header_write (FILE *f, const struct bp_counts_header *h)
{
  fprintf (f, "%s 1 kind=%s order=%d", magic, kind_names[h->kind], h->order);
  if (has_min_count (h->kind))
    fprintf (f, " min_count=%" PRIu64, h->min_count);
  if (has_total (h->kind))
    fprintf (f, " total=%" PRIu64, h->total);
  if (has_ensure_unicode (h->kind))
    fprintf (f, " ensure_unicode=%d", h->ensure_unicode ? 1 : 0);
  fprintf (f, " normalize=%s isolate_digits=%d\n",
           h->normalize ? "nfc" : "none", h->isolate_digits ? 1 : 0);
  return ferror (f) ? BP_EIO : 0;
}

/* Parse the decimal number S (N bytes): digits only, no leading zero
   (except "0" itself), at most UINT64_MAX.  Returns 0 or -1.  */
static int
parse_u64 (const char *s, size_t n, uint64_t *v)
{
  uint64_t x = 0;
  if (n == 0 || (s[0] == '0' && n > 1))
    return -1;
  for (size_t i = 0; i < n; i++)
    {
      if (s[i] < '0' || s[i] > '9')
        return -1;
      if (ckd_mul (&x, x, 10) || ckd_add (&x, x, (uint64_t) (s[i] - '0')))
        return -1;
    }
  *v = x;
  return 0;
}

static int
tok_is (const char *s, size_t n, const char *lit)
{
  return strlen (lit) == n && memcmp (s, lit, n) == 0;
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
  const size_t mlen = sizeof magic - 1;
  unsigned seen = 0;

  memset (h, 0, sizeof *h);
  if (len < mlen || memcmp (line, magic, mlen) != 0
      || (len > mlen && line[mlen] != ' '))
    return bp_error_set (err, BP_EFORMAT, 1,
                         _("missing header (expected '%s 1 ...')"), magic);

  size_t i = mlen, ntok = 0;
  while (i < len)
    {
      if (line[i] == ' ')
        {
          i++;
          continue;
        }
      size_t start = i;
      while (i < len && line[i] != ' ')
        i++;
      const char *t = line + start;
      size_t tn = i - start;
      if (ntok++ == 0)
        {
          if (!tok_is (t, tn, "1"))
            return bp_error_set (err, BP_EFORMAT, 1,
                                 _("unsupported count file version '%.*s'"),
                                 (int) (tn > 20 ? 20 : tn), t);
          continue;
        }

      const char *eq = memchr (t, '=', tn);
      if (!eq)
        return bp_error_set (err, BP_EFORMAT, 1, _("bad header field '%.*s'"),
                             (int) (tn > 40 ? 40 : tn), t);
      size_t kn = (size_t) (eq - t);
      const char *v = eq + 1;
      size_t vn = tn - kn - 1;
      int f = -1;
      for (size_t k = 0; k < BP_ARRAY_SIZE (field_names); k++)
        if (tok_is (t, kn, field_names[k]))
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
            if (tok_is (v, vn, kind_names[k]))
              {
                h->kind = (enum bp_counts_kind) k;
                ok = 1;
              }
          break;
        case F_ORDER:
          ok = parse_u64 (v, vn, &x) == 0 && x >= 1 && x <= BP_MAX_ORDER;
          h->order = ok ? (int) x : 0;
          break;
        case F_MIN_COUNT:
          ok = parse_u64 (v, vn, &h->min_count) == 0;
          break;
        case F_TOTAL:
          ok = parse_u64 (v, vn, &h->total) == 0;
          break;
        case F_NORMALIZE:
          ok = tok_is (v, vn, "nfc") || tok_is (v, vn, "none");
          h->normalize = tok_is (v, vn, "nfc");
          break;
        default:
          ok = tok_is (v, vn, "0") || tok_is (v, vn, "1");
          if (1u << f == F_ENSURE_UNICODE)
            h->ensure_unicode = tok_is (v, vn, "1");
          else
            h->isolate_digits = tok_is (v, vn, "1");
          break;
        }
      if (!ok)
        return bp_error_set (err, BP_EFORMAT, 1,
                             _("bad value '%.*s' for header field '%s'"),
                             (int) (vn > 40 ? 40 : vn), v, field_names[f]);
    }
  if (ntok == 0)
    return bp_error_set (err, BP_EFORMAT, 1,
                         _("unsupported count file version '%.*s'"), 0, "");

  unsigned need = F_KIND | F_ORDER | F_NORMALIZE | F_ISOLATE_DIGITS;
  if (seen & F_KIND)
    {
      if (has_min_count (h->kind))
        need |= F_MIN_COUNT;
      if (has_total (h->kind))
        need |= F_TOTAL;
      if (has_ensure_unicode (h->kind))
        need |= F_ENSURE_UNICODE;
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

/* memcmp order with a prefix first: the order of escaped keys.  */
static int
cmp_bytes (const void *a, size_t an, const void *b, size_t bn)
{
  int c = memcmp (a, b, an < bn ? an : bn);
  if (c)
    return c;
  return an < bn ? -1 : an > bn;
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
  len--;
  const char *tab = memchr (s, '\t', len);
  if (!tab)
    return bp_error_set (err, BP_EFORMAT, ln, _("missing TAB"));
  size_t klen = (size_t) (tab - s);
  const char *cs = tab + 1;
  size_t clen = len - klen - 1;

  if (klen == 0)
    return bp_error_set (err, BP_EFORMAT, ln, _("empty key"));
  uint64_t count;
  if (parse_u64 (cs, clen, &count) || count == 0)
    return bp_error_set (err, BP_EFORMAT, ln,
                         _("bad count '%.*s' (not a positive 64-bit "
                           "decimal number)"),
                         (int) (clen > 30 ? 30 : clen), cs);

  r->key.len = 0;
  if (bp_buf_grow (&r->key, klen))
    return bp_error_errno (err, ENOMEM);
  size_t bad;
  long raw = bp_unescape (s, klen, r->key.data, &bad);
  if (raw < 0)
    return bp_error_set (err, BP_EFORMAT, ln,
                         _("bad escape in key at byte %zu"), bad + 1);
  r->key.len = (size_t) raw;
  r->esc.len = 0;
  if (bp_escape_append (&r->esc, r->key.data, r->key.len, 0))
    return bp_error_errno (err, ENOMEM);
  if (r->esc.len != klen || memcmp (r->esc.data, s, klen) != 0)
    return bp_error_set (err, BP_EFORMAT, ln,
                         _("key not escaped the canonical way"));
  if (r->h.kind != BP_COUNTS_PIECES && r->key.len > (size_t) r->h.order)
    return bp_error_set (err, BP_EFORMAT, ln,
                         _("key of %zu bytes is longer than the order %d"),
                         r->key.len, r->h.order);

  if (r->have_prev)
    {
      int c = cmp_bytes (r->prev.data, r->prev.len, s, klen);
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
  rec->esc_len = klen;
  rec->key = r->key.data;
  rec->len = r->key.len;
  rec->count = count;
  rec->line = ln;
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

/* Append an already escaped record.  */
static int
format_escaped (struct bp_buf *out, const char *esc, size_t len,
                uint64_t count)
{
  if (bp_buf_grow (out, len + 22))
    return BP_ENOMEM;
  char *d = (char *) out->data + out->len;
  memcpy (d, esc, len);
  d += len;
  *d++ = '\t';
  d = put_u64 (d, count);
  *d++ = '\n';
  out->len = (size_t) (d - (char *) out->data);
  return 0;
}

enum { OUT_CHUNK = 1 << 16 };

/* Write out what B holds once it is large (or always if FORCE).  */
static int
drain (struct bp_buf *b, FILE *f, int force)
{
  if (b->len >= OUT_CHUNK || (force && b->len))
    {
      if (fwrite (b->data, 1, b->len, f) != b->len)
        return BP_EIO;
      b->len = 0;
    }
  return 0;
}

/* ------------------------------------------------------------------ */
/* The k-way merge.  */

struct merge_src
{
  struct bp_counts_reader *r;
  struct bp_counts_record rec;
};

static int
src_less (const struct merge_src *a, const struct merge_src *b)
{
  return cmp_bytes (a->rec.esc, a->rec.esc_len, b->rec.esc,
                    b->rec.esc_len) < 0;
}

static void
sift_down (struct merge_src **heap, size_t n, size_t i)
{
  for (;;)
    {
      size_t l = 2 * i + 1, m = i;
      if (l < n && src_less (heap[l], heap[m]))
        m = l;
      if (l + 1 < n && src_less (heap[l + 1], heap[m]))
        m = l + 1;
      if (m == i)
        return;
      struct merge_src *t = heap[i];
      heap[i] = heap[m];
      heap[m] = t;
      i = m;
    }
}

int
bp_counts_merge (FILE *const *in, const char *const *names, size_t nin,
                 FILE *out, size_t *bad, struct bp_error *err)
{
  struct merge_src *src = calloc (nin ? nin : 1, sizeof *src);
  struct merge_src **heap = calloc (nin ? nin : 1, sizeof *heap);
  struct bp_buf ob = { 0 }, cur = { 0 };
  struct bp_counts_header h;
  size_t nheap = 0, where = 0;
  int rc = 0;

  if (!src || !heap)
    {
      rc = bp_error_errno (err, ENOMEM);
      goto done;
    }
  if (nin == 0)
    {
      rc = bp_error_set (err, BP_EINVAL, 0, "%s", _("nothing to merge"));
      goto done;
    }

  for (size_t i = 0; i < nin; i++)
    {
      where = i;
      if ((rc = bp_counts_reader_open (in[i], &src[i].r, err)))
        goto done;
      const struct bp_counts_header *hi = bp_counts_reader_header (src[i].r);
      if (hi->kind == BP_COUNTS_NGRAM_MODEL)
        {
          rc = bp_error_set (err, BP_EFORMAT, 1, "%s",
                             _("an n-gram model (kind=ngram-model) cannot be "
                               "merged"));
          goto done;
        }
      if (i == 0)
        h = *hi;
      else
        {
          char a[64], b[64];
          if (bp_counts_header_differ (hi, &h, a, b, sizeof a))
            {
              rc = bp_error_set (err, BP_EFORMAT, 1,
                                 _("%s disagrees with %s in %s"), a, b,
                                 names[0]);
              goto done;
            }
          if (ckd_add (&h.total, h.total, hi->total))
            {
              rc = bp_error_set (err, BP_ERANGE, 1, "%s",
                                 _("the total overflows 64 bits"));
              goto done;
            }
        }
    }

  where = nin;
  if (bp_counts_header_write (out, &h))
    goto write_error;

  for (size_t i = 0; i < nin; i++)
    {
      where = i;
      rc = bp_counts_reader_next (src[i].r, &src[i].rec, err);
      if (rc < 0)
        goto done;
      if (rc > 0)
        heap[nheap++] = &src[i];
    }
  rc = 0;
  for (size_t i = nheap / 2; i-- > 0;)
    sift_down (heap, nheap, i);

  uint64_t count = 0;
  int have = 0;
  while (nheap)
    {
      struct merge_src *s = heap[0];
      if (have && s->rec.esc_len == cur.len
          && memcmp (s->rec.esc, cur.data, cur.len) == 0)
        {
          if (ckd_add (&count, count, s->rec.count))
            {
              where = (size_t) (s - src);
              rc = bp_error_set (err, BP_ERANGE, s->rec.line, "%s",
                                 _("count overflows 64 bits"));
              goto done;
            }
        }
      else
        {
          if (have)
            {
              if (format_escaped (&ob, (const char *) cur.data, cur.len,
                                  count))
                goto nomem;
              if (drain (&ob, out, 0))
                goto write_error;
            }
          cur.len = 0;
          if (bp_buf_append (&cur, s->rec.esc, s->rec.esc_len))
            goto nomem;
          count = s->rec.count;
          have = 1;
        }
      where = (size_t) (s - src);
      rc = bp_counts_reader_next (s->r, &s->rec, err);
      if (rc < 0)
        goto done;
      if (rc == 0)
        heap[0] = heap[--nheap];
      rc = 0;
      sift_down (heap, nheap, 0);
    }
  where = nin;
  if (have && format_escaped (&ob, (const char *) cur.data, cur.len, count))
    goto nomem;
  if (drain (&ob, out, 1) || ferror (out))
    goto write_error;
  goto done;

nomem:
  rc = bp_error_errno (err, ENOMEM);
  goto done;
write_error:
  where = nin;
  rc = bp_error_errno (err, errno ? errno : EIO);

done:
  if (rc && bad)
    *bad = where;
  if (src)
    for (size_t i = 0; i < nin; i++)
      bp_counts_reader_free (src[i].r);
  free (src);
  free (heap);
  bp_buf_free (&ob);
  bp_buf_free (&cur);
  return rc;
}

/* ------------------------------------------------------------------ */
/* Radix sorts.  LSD, a byte at a time, skipping the bytes in which all
   keys agree (the length byte of n-gram windows, the high bytes of
   escaped prefixes of one first character).  */

static void
radix_u64 (uint64_t *a, uint64_t *tmp, size_t n)
{
  size_t hist[8][256];
  memset (hist, 0, sizeof hist);
  for (size_t i = 0; i < n; i++)
    {
      uint64_t k = a[i];
      for (int b = 0; b < 8; b++)
        hist[b][(k >> (8 * b)) & 0xFF]++;
    }
  uint64_t *src = a, *dst = tmp;
  for (int b = 0; b < 8; b++)
    {
      size_t *h = hist[b], sum = 0;
      if (h[(src[0] >> (8 * b)) & 0xFF] == n)
        continue;
      for (int v = 0; v < 256; v++)
        {
          size_t c = h[v];
          h[v] = sum;
          sum += c;
        }
      for (size_t i = 0; i < n; i++)
        {
          uint64_t k = src[i];
          dst[h[(k >> (8 * b)) & 0xFF]++] = k;
        }
      uint64_t *t = src;
      src = dst;
      dst = t;
    }
  if (src != a)
    memcpy (a, src, n * sizeof *a);
}

/* Sort KEY[0..N) with VAL alongside; TK and TV are scratch of N.  */
static void
radix_pairs (uint64_t *key, uint32_t *val, uint64_t *tk, uint32_t *tv,
             size_t n)
{
  size_t hist[8][256];
  memset (hist, 0, sizeof hist);
  for (size_t i = 0; i < n; i++)
    {
      uint64_t k = key[i];
      for (int b = 0; b < 8; b++)
        hist[b][(k >> (8 * b)) & 0xFF]++;
    }
  uint64_t *sk = key, *dk = tk;
  uint32_t *sv = val, *dv = tv;
  for (int b = 0; b < 8; b++)
    {
      size_t *h = hist[b], sum = 0;
      if (h[(sk[0] >> (8 * b)) & 0xFF] == n)
        continue;
      for (int v = 0; v < 256; v++)
        {
          size_t c = h[v];
          h[v] = sum;
          sum += c;
        }
      for (size_t i = 0; i < n; i++)
        {
          size_t d = h[(sk[i] >> (8 * b)) & 0xFF]++;
          dk[d] = sk[i];
          dv[d] = sv[i];
        }
      uint64_t *t = sk;
      sk = dk;
      dk = t;
      uint32_t *u = sv;
      sv = dv;
      dv = u;
    }
  if (sk != key)
    {
      memcpy (key, sk, n * sizeof *key);
      memcpy (val, sv, n * sizeof *val);
    }
}

/* ------------------------------------------------------------------ */
/* Sorting by escaped key.  The escaped keys are never stored: an 8-byte
   slice of each is computed, the slices radix-sorted, and keys whose
   slices tie are sorted by the next slice, and so on; past a few levels
   (long pieces with long common prefixes) a comparison sort finishes.  */

enum { SLICE_LEVELS = 4 };

struct esc_sorter
{
  size_t n;
  bp_key_fn key;
  const void *ctx;
  uint8_t *raw, *raw2;      /* key scratch, MAXLEN bytes each */
  char *esc, *esc2;         /* escaped scratch, 4 * MAXLEN each */
  uint64_t *pre, *tpre;
  uint32_t *idx, *tidx;
};

/* The LEVEL-th 8-byte slice of key I's escaped form, big-endian and
   padded with zero bytes (which escaped keys never contain, so padding
   sorts a prefix first).  */
static uint64_t
slice (struct esc_sorter *s, uint32_t i, int level)
{
  size_t len, want = 8 * (size_t) (level + 1);
  const uint8_t *k = s->key (s->ctx, i, s->raw, &len);
  /* A unit of the escaping spans at most 4 bytes and writes at least one
     byte per input byte, so WANT + 4 input bytes decide WANT output
     bytes.  */
  if (len > want + 4)
    len = want + 4;
  size_t elen = bp_escape (k, len, s->esc, 0);
  uint64_t v = 0;
  for (size_t j = want - 8; j < want; j++)
    v = v << 8 | (j < elen ? (uint8_t) s->esc[j] : 0);
  return v;
}

static int
cmp_full (void *arg, uint32_t a, uint32_t b)
{
  struct esc_sorter *s = arg;
  size_t la, lb;
  const uint8_t *ka = s->key (s->ctx, a, s->raw, &la);
  size_t ea = bp_escape (ka, la, s->esc, 0);
  const uint8_t *kb = s->key (s->ctx, b, s->raw2, &lb);
  size_t eb = bp_escape (kb, lb, s->esc2, 0);
  return cmp_bytes (s->esc, ea, s->esc2, eb);
}

static int
qcmp (const void *a, const void *b, void *arg)
{
  return cmp_full (arg, *(const uint32_t *) a, *(const uint32_t *) b);
}

/* Sort IDX[lo..hi) by PRE, which is filled.  */
static void
sort_range (struct esc_sorter *s, size_t lo, size_t hi)
{
  size_t n = hi - lo;
  if (n < 24)
    {
      for (size_t i = lo + 1; i < hi; i++)
        {
          uint64_t p = s->pre[i];
          uint32_t v = s->idx[i];
          size_t j = i;
          while (j > lo && s->pre[j - 1] > p)
            {
              s->pre[j] = s->pre[j - 1];
              s->idx[j] = s->idx[j - 1];
              j--;
            }
          s->pre[j] = p;
          s->idx[j] = v;
        }
      return;
    }
  radix_pairs (s->pre + lo, s->idx + lo, s->tpre, s->tidx, n);
}

/* IDX[lo..hi) is sorted by slice LEVEL; order each run of equal slices.  */
static void
resolve_ties (struct esc_sorter *s, size_t lo, size_t hi, int level)
{
  size_t a = lo;
  while (a < hi)
    {
      size_t b = a + 1;
      while (b < hi && s->pre[b] == s->pre[a])
        b++;
      if (b - a >= 2)
        {
          /* Distinct keys have distinct escapes, so tied keys go on.  */
          if (level + 1 < SLICE_LEVELS)
            {
              for (size_t i = a; i < b; i++)
                s->pre[i] = slice (s, s->idx[i], level + 1);
              sort_range (s, a, b);
              resolve_ties (s, a, b, level + 1);
            }
          else
            qsort_r (s->idx + a, b - a, sizeof *s->idx, qcmp, s);
        }
      a = b;
    }
}

int
bp_counts_sort_escaped (size_t n, size_t maxlen, bp_key_fn key,
                        const void *ctx, uint32_t **perm)
{
  struct esc_sorter s = { .n = n, .key = key, .ctx = ctx };
  int rc = BP_ENOMEM;

  *perm = NULL;
  if (n > UINT32_MAX)
    return BP_ERANGE;
  if (maxlen == 0)
    maxlen = 1;
  s.raw = malloc (maxlen);
  s.raw2 = malloc (maxlen);
  s.esc = malloc (BP_ESCAPE_MAX (maxlen));
  s.esc2 = malloc (BP_ESCAPE_MAX (maxlen));
  s.idx = malloc ((n ? n : 1) * sizeof *s.idx);
  s.tidx = malloc ((n ? n : 1) * sizeof *s.tidx);
  s.pre = malloc ((n ? n : 1) * sizeof *s.pre);
  s.tpre = malloc ((n ? n : 1) * sizeof *s.tpre);
  if (!s.raw || !s.raw2 || !s.esc || !s.esc2 || !s.idx || !s.tidx || !s.pre
      || !s.tpre)
    goto done;
  for (size_t i = 0; i < n; i++)
    {
      s.idx[i] = (uint32_t) i;
      s.pre[i] = slice (&s, (uint32_t) i, 0);
    }
  if (n)
    {
      sort_range (&s, 0, n);
      resolve_ties (&s, 0, n, 0);
    }
  *perm = s.idx;
  s.idx = NULL;
  rc = 0;
done:
  free (s.raw);
  free (s.raw2);
  free (s.esc);
  free (s.esc2);
  free (s.idx);
  free (s.tidx);
  free (s.pre);
  free (s.tpre);
  return rc;
}

/* ------------------------------------------------------------------ */
/* Counting n-grams.  */

struct kc
{
  uint64_t key, count;
};

struct run
{
  struct kc *v;
  size_t n;
};

enum { MAX_RUNS = 64, DEFAULT_BATCH = 1 << 21 };

struct bp_ngram_counter
{
  int order;
  uint64_t *win, *tmp;      /* buffered windows, and sort scratch */
  size_t nwin, cap;
  struct run runs[MAX_RUNS];
  size_t nruns;
  uint64_t total;
};

struct bp_ngram_counter *
bp_ngram_counter_new (int order, size_t batch)
{
  if (order < 1 || order > BP_MAX_ORDER)
    return NULL;
  struct bp_ngram_counter *c = calloc (1, sizeof *c);
  if (!c)
    return NULL;
  c->order = order;
  c->cap = batch ? batch : DEFAULT_BATCH;
  c->win = malloc (c->cap * sizeof *c->win);
  c->tmp = malloc (c->cap * sizeof *c->tmp);
  if (!c->win || !c->tmp)
    {
      bp_ngram_counter_free (c);
      return NULL;
    }
  return c;
}

void
bp_ngram_counter_free (struct bp_ngram_counter *c)
{
  if (!c)
    return;
  free (c->win);
  free (c->tmp);
  for (size_t i = 0; i < c->nruns; i++)
    free (c->runs[i].v);
  free (c);
}

uint64_t
bp_ngram_counter_total (const struct bp_ngram_counter *c)
{
  return c->total;
}

/* Merge two sorted runs into a new one, adding the counts of equal keys.
   Frees neither.  Returns 0, BP_ENOMEM or BP_ERANGE.  */
static int
merge_runs (const struct run *a, const struct run *b, struct run *out)
{
  struct kc *v = malloc ((a->n + b->n ? a->n + b->n : 1) * sizeof *v);
  size_t i = 0, j = 0, k = 0;
  if (!v)
    return BP_ENOMEM;
  while (i < a->n && j < b->n)
    {
      if (a->v[i].key < b->v[j].key)
        v[k++] = a->v[i++];
      else if (a->v[i].key > b->v[j].key)
        v[k++] = b->v[j++];
      else
        {
          v[k] = a->v[i++];
          if (ckd_add (&v[k].count, v[k].count, b->v[j++].count))
            {
              free (v);
              return BP_ERANGE;
            }
          k++;
        }
    }
  while (i < a->n)
    v[k++] = a->v[i++];
  while (j < b->n)
    v[k++] = b->v[j++];
  /* Give back what the duplicates saved.  */
  struct kc *shrunk = realloc (v, (k ? k : 1) * sizeof *v);
  out->v = shrunk ? shrunk : v;
  out->n = k;
  return 0;
}

/* Merge the two newest runs into one.  */
static int
merge_top (struct bp_ngram_counter *c)
{
  struct run m;
  struct run *a = &c->runs[c->nruns - 2], *b = &c->runs[c->nruns - 1];
  int rc = merge_runs (a, b, &m);
  if (rc)
    return rc;
  free (a->v);
  free (b->v);
  *a = m;
  b->v = NULL;
  c->nruns--;
  return 0;
}

/* Push run R, keeping each run at least twice the size of the next
   newer one, so there are O(log n) runs and each window is merged
   O(log n) times.  */
static int
push_run (struct bp_ngram_counter *c, struct run r)
{
  int rc;
  if (c->nruns == MAX_RUNS && (rc = merge_top (c)))
    {
      free (r.v);
      return rc;
    }
  c->runs[c->nruns++] = r;
  while (c->nruns >= 2
         && c->runs[c->nruns - 1].n * 2 > c->runs[c->nruns - 2].n)
    if ((rc = merge_top (c)))
      return rc;
  return 0;
}

/* Sort and count the buffered windows into a new run.  */
static int
flush_windows (struct bp_ngram_counter *c)
{
  size_t n = c->nwin, distinct = 0;
  if (n == 0)
    return 0;
  radix_u64 (c->win, c->tmp, n);
  for (size_t i = 0; i < n; i++)
    distinct += i == 0 || c->win[i] != c->win[i - 1];
  struct run r = { malloc (distinct * sizeof *r.v), 0 };
  if (!r.v)
    return BP_ENOMEM;
  for (size_t i = 0; i < n; i++)
    {
      if (r.n && r.v[r.n - 1].key == c->win[i])
        r.v[r.n - 1].count++;
      else
        r.v[r.n++] = (struct kc) { c->win[i], 1 };
    }
  c->nwin = 0;
  return push_run (c, r);
}

static inline uint64_t
load_be64 (const uint8_t *p)
{
  uint64_t v;
  memcpy (&v, p, 8);
#if defined __BYTE_ORDER__ && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  v = __builtin_bswap64 (v);
#elif !(defined __BYTE_ORDER__ && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__)
  v = bp_ngram_pack (p, 7) & ~(uint64_t) 0xFF;
  v |= p[7];
#endif
  return v;
}

int
bp_ngram_counter_add (struct bp_ngram_counter *c, const uint8_t *text,
                      size_t len)
{
  const size_t order = (size_t) c->order;
  /* The top ORDER bytes of a big-endian load, and the length.  */
  const uint64_t mask = ~(uint64_t) 0 << (64 - 8 * order);
  size_t i = 0;
  int rc;

  c->total += len;
  while (i < len)
    {
      if (c->nwin == c->cap && (rc = flush_windows (c)))
        return rc;
      size_t stop = c->nwin + (len - i);
      if (stop > c->cap)
        stop = c->cap;
      uint64_t *w = c->win;
      size_t k = c->nwin;
      /* Whole 8-byte loads while they stay inside the chunk.  */
      for (; k < stop && i + 8 <= len; k++, i++)
        w[k] = (load_be64 (text + i) & mask) | order;
      for (; k < stop; k++, i++)
        {
          size_t m = len - i < order ? len - i : order;
          w[k] = bp_ngram_pack (text + i, m);
        }
      c->nwin = k;
    }
  return 0;
}

/* Collapse everything into one run (or none).  */
static int
collapse (struct bp_ngram_counter *c)
{
  int rc = flush_windows (c);
  while (!rc && c->nruns >= 2)
    rc = merge_top (c);
  return rc;
}

int
bp_ngram_counter_absorb (struct bp_ngram_counter *dst,
                         struct bp_ngram_counter *src)
{
  int rc;
  if (dst->order != src->order)
    return BP_EINVAL;
  if ((rc = collapse (src)))
    return rc;
  if (ckd_add (&dst->total, dst->total, src->total))
    return BP_ERANGE;
  src->total = 0;
  if (src->nruns == 0)
    return 0;
  if ((rc = flush_windows (dst)))
    return rc;
  struct run r = src->runs[0];
  src->runs[0].v = NULL;
  src->nruns = 0;
  return push_run (dst, r);
}

static const uint8_t *
ngram_key (const void *ctx, size_t i, uint8_t *scratch, size_t *len)
{
  const struct kc *v = ctx;
  *len = bp_ngram_unpack (v[i].key, scratch);
  return scratch;
}

/* The n-grams of lengths 1..ORDER with their counts, from the sorted
   windows W: the windows that start with an n-gram g are adjacent, so
   walking them with one open group per length finds every g once.  With
   OUT NULL only count them.  Returns the number of n-grams.  */
static size_t
expand_prefixes (const struct run *w, int order, struct kc *out)
{
  uint64_t open_key[BP_MAX_ORDER + 1];
  uint64_t open_count[BP_MAX_ORDER + 1];
  int open_to = 0;          /* groups 1..OPEN_TO are open */
  size_t n = 0;

  for (size_t i = 0; i < w->n; i++)
    {
      uint64_t k = w->v[i].key;
      int len = (int) (k & 0xFF);
      int d = 1;
      /* How many of the open groups does this window continue?  */
      while (d <= open_to && d <= len)
        {
          uint64_t m = ~(uint64_t) 0 << (64 - 8 * d);
          if ((open_key[d] & m) != (k & m))
            break;
          d++;
        }
      for (int j = open_to; j >= d; j--)
        {
          if (out)
            out[n] = (struct kc) { open_key[j], open_count[j] };
          n++;
        }
      for (int j = 1; j < d; j++)
        open_count[j] += w->v[i].count;
      for (int j = d; j <= len; j++)
        {
          uint64_t m = ~(uint64_t) 0 << (64 - 8 * j);
          open_key[j] = (k & m) | (uint64_t) j;
          open_count[j] = w->v[i].count;
        }
      open_to = len;
    }
  for (int j = open_to; j >= 1; j--)
    {
      if (out)
        out[n] = (struct kc) { open_key[j], open_count[j] };
      n++;
    }
  (void) order;
  return n;
}

int
bp_ngram_counter_write (struct bp_ngram_counter *c,
                        const struct bp_counts_header *h, FILE *f,
                        struct bp_error *err)
{
  struct bp_counts_header hh = *h;
  struct bp_buf ob = { 0 };
  uint32_t *perm = NULL;
  struct kc *all = NULL;
  int rc;

  /* The window buffers are not needed any more: give the memory back
     before the expansion needs its own.  */
  if ((rc = collapse (c)))
    goto fail;
  free (c->win);
  free (c->tmp);
  c->win = c->tmp = NULL;
  c->cap = c->nwin = 0;

  size_t n = 0;
  if (c->nruns)
    {
      n = expand_prefixes (&c->runs[0], c->order, NULL);
      all = malloc ((n ? n : 1) * sizeof *all);
      if (!all)
        {
          rc = BP_ENOMEM;
          goto fail;
        }
      expand_prefixes (&c->runs[0], c->order, all);
      free (c->runs[0].v);
      c->runs[0].v = NULL;
      c->nruns = 0;
    }
  if ((rc = bp_counts_sort_escaped (n, BP_MAX_ORDER, ngram_key, all, &perm)))
    goto fail;

  hh.kind = BP_COUNTS_NGRAMS;
  hh.order = c->order;
  hh.total = c->total;
  if (bp_counts_header_write (f, &hh))
    goto write_error;
  for (size_t i = 0; i < n; i++)
    {
      uint8_t k[8];
      size_t len = bp_ngram_unpack (all[perm[i]].key, k);
      if (bp_counts_format_record (&ob, k, len, all[perm[i]].count))
        {
          rc = BP_ENOMEM;
          goto fail;
        }
      if (drain (&ob, f, 0))
        goto write_error;
    }
  if (drain (&ob, f, 1) || ferror (f))
    goto write_error;
  free (perm);
  free (all);
  bp_buf_free (&ob);
  return 0;

write_error:
  rc = bp_error_errno (err, errno ? errno : EIO);
  free (perm);
  free (all);
  bp_buf_free (&ob);
  return rc;
fail:
  free (perm);
  free (all);
  bp_buf_free (&ob);
  if (rc == BP_ENOMEM)
    return bp_error_errno (err, ENOMEM);
  /* BP_ERANGE: more n-grams than the sort can index, or a count past
     64 bits; both need inputs of many terabytes.  */
  return bp_error_set (err, rc, 0, "%s", _("too much input to count"));
}

/* ------------------------------------------------------------------ */
/* Counting byte strings.  */

struct sc_entry
{
  uint64_t hash;
  size_t off, len;
  uint64_t count;
};

struct bp_strcount
{
  struct bp_buf bytes;      /* the keys, concatenated */
  struct sc_entry *e;       /* entries in insertion order */
  size_t n, ecap;
  uint32_t *slot;           /* 1 + entry index, 0 for empty */
  size_t mask;              /* slots - 1 */
  size_t maxlen;
};

static uint64_t
hash_bytes (const uint8_t *p, size_t n)
{
  uint64_t h = 0x9E3779B97F4A7C15u ^ n;
  size_t i = 0;
  for (; i + 8 <= n; i += 8)
    {
      uint64_t w;
      memcpy (&w, p + i, 8);
      h = (h ^ w) * 0xFF51AFD7ED558CCDu;
      h ^= h >> 29;
    }
  uint64_t w = 0;
  for (size_t j = 0; i + j < n; j++)
    w |= (uint64_t) p[i + j] << (8 * j);
  h = (h ^ w) * 0xC4CEB9FE1A85EC53u;
  h ^= h >> 32;
  h *= 0x9E3779B97F4A7C15u;
  return h ^ (h >> 29);
}

struct bp_strcount *
bp_strcount_new (void)
{
  struct bp_strcount *t = calloc (1, sizeof *t);
  if (!t)
    return NULL;
  t->mask = 1023;
  t->slot = calloc (t->mask + 1, sizeof *t->slot);
  if (!t->slot)
    {
      free (t);
      return NULL;
    }
  return t;
}

void
bp_strcount_free (struct bp_strcount *t)
{
  if (!t)
    return;
  bp_buf_free (&t->bytes);
  free (t->e);
  free (t->slot);
  free (t);
}

size_t
bp_strcount_size (const struct bp_strcount *t)
{
  return t->n;
}

static int
rehash (struct bp_strcount *t)
{
  size_t size = 2 * (t->mask + 1);
  uint32_t *slot = calloc (size, sizeof *slot);
  if (!slot)
    return BP_ENOMEM;
  for (size_t i = 0; i < t->n; i++)
    {
      size_t s = t->e[i].hash & (size - 1);
      while (slot[s])
        s = (s + 1) & (size - 1);
      slot[s] = (uint32_t) (i + 1);
    }
  free (t->slot);
  t->slot = slot;
  t->mask = size - 1;
  return 0;
}

int
bp_strcount_add (struct bp_strcount *t, const uint8_t *key, size_t len,
                 uint64_t count)
{
  uint64_t h = hash_bytes (key, len);
  size_t s = h & t->mask;
  for (uint32_t x; (x = t->slot[s]); s = (s + 1) & t->mask)
    {
      struct sc_entry *e = &t->e[x - 1];
      if (e->hash == h && e->len == len
          && memcmp (t->bytes.data + e->off, key, len) == 0)
        return ckd_add (&e->count, e->count, count) ? BP_ERANGE : 0;
    }
  if (t->n >= UINT32_MAX - 1)
    return BP_ERANGE;
  if (t->n == t->ecap)
    {
      size_t cap = t->ecap ? 2 * t->ecap : 1024;
      struct sc_entry *e = realloc (t->e, cap * sizeof *e);
      if (!e)
        return BP_ENOMEM;
      t->e = e;
      t->ecap = cap;
    }
  size_t off = t->bytes.len;
  if (bp_buf_append (&t->bytes, key, len))
    return BP_ENOMEM;
  t->e[t->n] = (struct sc_entry) { h, off, len, count };
  t->slot[s] = (uint32_t) ++t->n;
  if (len > t->maxlen)
    t->maxlen = len;
  /* Keep the load under a half: probes stay short.  */
  if (2 * t->n > t->mask + 1 && rehash (t))
    return BP_ENOMEM;
  return 0;
}

int
bp_strcount_absorb (struct bp_strcount *dst, struct bp_strcount *src)
{
  for (size_t i = 0; i < src->n; i++)
    {
      const struct sc_entry *e = &src->e[i];
      int rc = bp_strcount_add (dst, src->bytes.data + e->off, e->len,
                                e->count);
      if (rc)
        return rc;
    }
  src->n = 0;
  src->bytes.len = 0;
  memset (src->slot, 0, (src->mask + 1) * sizeof *src->slot);
  return 0;
}

static const uint8_t *
str_key (const void *ctx, size_t i, uint8_t *scratch, size_t *len)
{
  const struct bp_strcount *t = ctx;
  (void) scratch;
  *len = t->e[i].len;
  return t->bytes.data + t->e[i].off;
}

int
bp_strcount_write (const struct bp_strcount *t,
                   const struct bp_counts_header *h, FILE *f,
                   struct bp_error *err)
{
  struct bp_buf ob = { 0 };
  uint32_t *perm;
  int rc = bp_counts_sort_escaped (t->n, t->maxlen, str_key, t, &perm);
  if (rc)
    return rc == BP_ENOMEM ? bp_error_errno (err, ENOMEM)
                           : bp_error_set (err, rc, 0, "%s",
                                           _("too many distinct keys"));
  if (bp_counts_header_write (f, h))
    goto write_error;
  for (size_t i = 0; i < t->n; i++)
    {
      const struct sc_entry *e = &t->e[perm[i]];
      if (bp_counts_format_record (&ob, t->bytes.data + e->off, e->len,
                                   e->count))
        {
          free (perm);
          bp_buf_free (&ob);
          return bp_error_errno (err, ENOMEM);
        }
      if (drain (&ob, f, 0))
        goto write_error;
    }
  if (drain (&ob, f, 1) || ferror (f))
    goto write_error;
  free (perm);
  bp_buf_free (&ob);
  return 0;

write_error:
  rc = bp_error_errno (err, errno ? errno : EIO);
  free (perm);
  bp_buf_free (&ob);
  return rc;
}
