/* SPDX-License-Identifier: Apache-2.0 */
/* Megatron-LM's indexed dataset; see megatron.h.  */
#include <config.h>
#include "megatron.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "system.h"

static const uint8_t magic[9] = { 'M', 'M', 'I', 'D', 'I', 'D', 'X', 0, 0 };

/* The header: magic, version, dtype, the two counts.  */
enum { HEADER = 9 + 8 + 1 + 8 + 8, COUNTS_AT = 9 + 8 + 1 };

static void
put_le (uint8_t *p, uint64_t v, int n)
{
  for (int i = 0; i < n; i++)
    p[i] = (uint8_t) (v >> (8 * i));
}

static uint64_t
get_le (const uint8_t *p, int n)
{
  uint64_t v = 0;
  for (int i = n - 1; i >= 0; i--)
    v = v << 8 | p[i];
  return v;
}

int
bp_mmidx_dtype (size_t vocab, int *code, enum bp_tokfmt *fmt)
{
  /* Megatron's tools/preprocess_data.py: uint16 below 65500 ids.  */
  if (vocab < 65500)
    {
      *code = BP_MMIDX_UINT16;
      *fmt = BP_FMT_U16;
      return 0;
    }
  *code = BP_MMIDX_INT32;
  *fmt = BP_FMT_U32;
  return vocab - 1 > INT32_MAX ? BP_ERANGE : 0;
}

int
bp_mmidx_begin (struct bp_mmidx_writer *w, FILE *f, int code)
{
  uint8_t h[HEADER] = { 0 };
  memcpy (h, magic, sizeof magic);
  put_le (h + 9, 1, 8);
  h[17] = (uint8_t) code;
  w->f = f;
  w->code = code;
  w->itemsize = code == BP_MMIDX_UINT16 ? 2 : 4;
  w->nseq = 0;
  return fwrite (h, 1, HEADER, f) == HEADER ? 0 : BP_EIO;
}

int
bp_mmidx_add (struct bp_mmidx_writer *w, uint64_t nids,
              struct bp_error *err)
{
  if (nids > INT32_MAX)
    return bp_error_set (err, BP_ERANGE, 0,
                         _("document %" PRIu64 " has %" PRIu64 " ids, more "
                           "than a Megatron sequence holds (2147483647)"),
                         w->nseq + 1, nids);
  uint8_t le[4];
  put_le (le, nids, 4);
  if (fwrite (le, 1, 4, w->f) != 4)
    return bp_error_errno (err, errno);
  w->nseq++;
  return 0;
}

int
bp_mmidx_finish (struct bp_mmidx_writer *w, struct bp_error *err)
{
  enum { N = 1024 };
  uint8_t in[4 * N], out[8 * N];
  int fd = fileno (w->f);
  if (fflush (w->f) != 0)
    return bp_error_errno (err, errno);

  /* The offsets, from the lengths written so far.  */
  uint64_t ptr = 0;
  for (uint64_t i = 0; i < w->nseq; )
    {
      size_t n = w->nseq - i < N ? (size_t) (w->nseq - i) : N;
      ssize_t got = pread (fd, in, 4 * n, (off_t) (HEADER + 4 * i));
      if (got != (ssize_t) (4 * n))
        return bp_error_errno (err, got < 0 ? errno : EIO);
      for (size_t k = 0; k < n; k++)
        {
          put_le (out + 8 * k, ptr, 8);
          ptr += get_le (in + 4 * k, 4) * w->itemsize;
        }
      if (fwrite (out, 1, 8 * n, w->f) != 8 * n)
        return bp_error_errno (err, errno);
      i += n;
    }
  /* The document index: document d is sequence d.  */
  for (uint64_t i = 0; i <= w->nseq; )
    {
      size_t n = w->nseq + 1 - i < N ? (size_t) (w->nseq + 1 - i) : N;
      for (size_t k = 0; k < n; k++)
        put_le (out + 8 * k, i + k, 8);
      if (fwrite (out, 1, 8 * n, w->f) != 8 * n)
        return bp_error_errno (err, errno);
      i += n;
    }
  if (fflush (w->f) != 0)
    return bp_error_errno (err, errno);
  uint8_t counts[16];
  put_le (counts, w->nseq, 8);
  put_le (counts + 8, w->nseq + 1, 8);
  if (pwrite (fd, counts, 16, COUNTS_AT) != 16)
    return bp_error_errno (err, errno ? errno : EIO);
  return 0;
}

/* Reading.  */

static int
bad (struct bp_error *err, int input, const char *what)
{
  bp_error_set (err, BP_EFORMAT, 0, "%s", what);
  return bp_error_at_input (err, (size_t) input);
}

static void
cursor_init (struct bp_mmidx_cursor *c, int fd, uint64_t off)
{
  c->fd = fd;
  c->off = off;
  c->len = c->pos = 0;
}

/* Move C to the file offset OFF.  */
static void
cursor_seek (struct bp_mmidx_cursor *c, uint64_t off)
{
  if (off >= c->off && off - c->off <= c->len)
    c->pos = (size_t) (off - c->off);
  else
    cursor_init (c, c->fd, off);
}

/* The N-byte (at most 8) little-endian integer at C, in *V.  Returns 0,
   or BP_EIO, or BP_EFORMAT if the file ends before it (it was checked
   to be long enough: it changed while it was read).  */
static int
cursor_get (struct bp_mmidx_cursor *c, int n, uint64_t *v,
            struct bp_error *err, int input)
{
  if (c->len - c->pos < (size_t) n)
    {
      c->off += c->pos;
      c->len = c->pos = 0;
      ssize_t got;
      while ((got = pread (c->fd, c->buf, sizeof c->buf, (off_t) c->off)) < 0
             && errno == EINTR)
        ;
      if (got < 0)
        {
          bp_error_errno (err, errno);
          return bp_error_at_input (err, (size_t) input);
        }
      c->len = (size_t) got;
      if (c->len < (size_t) n)
        return bad (err, input, _("the file is shorter than its index says"));
    }
  *v = get_le (c->buf + c->pos, n);
  c->pos += (size_t) n;
  return 0;
}

int
bp_mmidx_open (struct bp_mmidx_reader *r, int idx_fd, int bin_fd,
               size_t vocab, struct bp_error *err)
{
  memset (r, 0, sizeof *r);
  r->idx_fd = idx_fd;
  r->bin_fd = bin_fd;
  r->vocab = vocab;

  struct stat st, sb;
  for (int i = 0; i < 2; i++)
    if (fstat (i ? bin_fd : idx_fd, i ? &sb : &st) != 0)
      {
        bp_error_errno (err, errno);
        return bp_error_at_input (err, (size_t) i);
      }
  if (!S_ISREG (st.st_mode))
    return bad (err, 0, _("not a regular file"));
  if (!S_ISREG (sb.st_mode))
    return bad (err, 1, _("not a regular file"));
  uint64_t size = (uint64_t) st.st_size;
  r->bin_size = (uint64_t) sb.st_size;

  uint8_t h[HEADER];
  ssize_t got = pread (idx_fd, h, HEADER, 0);
  if (got < 0)
    {
      bp_error_errno (err, errno);
      return bp_error_at_input (err, 0);
    }
  if (got < HEADER || memcmp (h, magic, sizeof magic) != 0)
    return bad (err, 0, _("not the index of a Megatron dataset (no MMIDIDX "
                          "header)"));
  if (get_le (h + 9, 8) != 1)
    return bad (err, 0, _("version of the index is not 1"));
  r->code = h[17];
  if (r->code != BP_MMIDX_UINT16 && r->code != BP_MMIDX_INT32)
    {
      bp_error_set (err, BP_EFORMAT, 0,
                    _("ids of dtype code %d (bytepiece reads 8, uint16, "
                      "and 4, int32)"), r->code);
      return bp_error_at_input (err, 0);
    }
  r->itemsize = r->code == BP_MMIDX_UINT16 ? 2 : 4;
  r->nseq = get_le (h + COUNTS_AT, 8);
  r->ndocidx = get_le (h + COUNTS_AT + 8, 8);
  /* Every count checked against the size first, so no product
     overflows.  */
  uint64_t room = size - HEADER;
  if (r->nseq > room / 12 || r->ndocidx > (room - 12 * r->nseq) / 8)
    return bad (err, 0, _("the index is shorter than its counts say"));
  if (r->ndocidx == 0)
    return bad (err, 0, _("the document index is empty"));
  cursor_init (&r->len, idx_fd, HEADER);
  cursor_init (&r->ptr, idx_fd, HEADER + 4 * r->nseq);
  cursor_init (&r->doc, idx_fd, HEADER + 12 * r->nseq);
  cursor_init (&r->bin, bin_fd, 0);
  uint64_t first;
  int rc = cursor_get (&r->doc, 8, &first, err, 0);
  if (rc)
    return rc;
  if (first != 0)
    return bad (err, 0, _("the document index does not start at 0"));
  return 0;
}

int
bp_mmidx_next (struct bp_mmidx_reader *r, struct bp_error *err)
{
  int rc;
  for (;;)
    {
      if (r->left)
        {
          uint64_t id;
          if ((rc = cursor_get (&r->bin, (int) r->itemsize, &id, err, 1)))
            return rc;
          r->left--;
          if (id >= r->vocab)
            {
              bp_error_set (err, BP_ERANGE, 0,
                            _("id %" PRId64 " at byte %" PRIu64 " out of "
                              "range (vocabulary %zu)"),
                            r->itemsize == 4 ? (int64_t) (int32_t) id
                                             : (int64_t) id,
                            r->bin.off + r->bin.pos - r->itemsize, r->vocab);
              return bp_error_at_input (err, 1);
            }
          r->id = (uint32_t) id;
          return BP_TOK_ID;
        }
      if (r->in_doc && r->seq < r->doc_end)
        {
          uint64_t len, ptr;
          if ((rc = cursor_get (&r->len, 4, &len, err, 0))
              || (rc = cursor_get (&r->ptr, 8, &ptr, err, 0)))
            return rc;
          if (len > INT32_MAX)
            return bad (err, 0, _("a sequence of negative length"));
          if (ptr > r->bin_size || len > (r->bin_size - ptr) / r->itemsize)
            {
              bp_error_set (err, BP_EFORMAT, 0,
                            _("sequence %" PRIu64 " goes past the end of the "
                              "ids (%" PRIu64 " bytes)"),
                            r->seq, r->bin_size);
              return bp_error_at_input (err, 0);
            }
          cursor_seek (&r->bin, ptr);
          r->left = len;
          r->seq++;
          continue;
        }
      if (r->in_doc)
        {
          r->in_doc = 0;
          r->doc_no++;
          return BP_TOK_EOL;
        }
      if (r->doc_no + 1 >= r->ndocidx)
        {
          if (r->seq != r->nseq)
            return bad (err, 0, _("the document index ends before the last "
                                  "sequence"));
          return BP_TOK_END;
        }
      uint64_t end;
      if ((rc = cursor_get (&r->doc, 8, &end, err, 0)))
        return rc;
      if (end < r->seq || end > r->nseq)
        return bad (err, 0, _("the document index is not in order"));
      r->doc_end = end;
      r->in_doc = 1;
    }
}

uint64_t
bp_mmidx_documents (const struct bp_mmidx_reader *r)
{
  return r->doc_no;
}
