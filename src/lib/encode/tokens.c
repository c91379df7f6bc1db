/* Writing and reading token streams; see tokens.h.  */
#include <config.h>
#include "tokens.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "escape.h"
#include "matcher.h"
#include "model.h"
#include "system.h"

enum { FLUSH_AT = 1 << 16, READ_SIZE = 1 << 16 };

int
bp_tokfmt_parse (const char *name, enum bp_tokfmt *fmt)
{
  static const char *const names[] = { "ids", "pieces", "u16", "u32" };
  for (int i = 0; i < 4; i++)
    if (strcmp (name, names[i]) == 0)
      {
        *fmt = (enum bp_tokfmt) i;
        return 0;
      }
  return -1;
}

void
bp_tokwriter_init (struct bp_tokwriter *w, FILE *f, enum bp_tokfmt fmt,
                   const struct bp_model *m)
{
  memset (w, 0, sizeof *w);
  w->f = f;
  w->fmt = fmt;
  w->model = m;
  w->line_start = 1;
}

int
bp_tokwriter_flush (struct bp_tokwriter *w)
{
  if (!w->f)
    return 0;   /* a writer into memory: the caller takes BUF */
  if (w->buf.len && fwrite (w->buf.data, 1, w->buf.len, w->f) != w->buf.len)
    return BP_EIO;
  w->buf.len = 0;
  return ferror (w->f) ? BP_EIO : 0;
}

void
bp_tokwriter_free (struct bp_tokwriter *w)
{
  bp_buf_free (&w->buf);
}

/* Append the decimal digits of V.  */
static inline void
put_decimal (struct bp_buf *b, uint32_t v)
{
  char tmp[10];
  int k = 0;
  do
    {
      tmp[k++] = (char) ('0' + v % 10);
      v /= 10;
    }
  while (v);
  uint8_t *d = b->data + b->len;
  while (k)
    *d++ = (uint8_t) tmp[--k];
  b->len = (size_t) (d - b->data);
}

static int
put_one (struct bp_tokwriter *w, uint32_t id)
{
  switch (w->fmt)
    {
    case BP_FMT_IDS:
      if (bp_buf_grow (&w->buf, 12))
        return BP_ENOMEM;
      if (!w->line_start)
        w->buf.data[w->buf.len++] = ' ';
      put_decimal (&w->buf, id);
      break;

    case BP_FMT_PIECES:
      {
        static const char *const specials[] = { "<pad>", "<bos>", "<eos>" };
        if (!w->line_start && bp_buf_putc (&w->buf, ' '))
          return BP_ENOMEM;
        if (id < BP_ID_FIRST_PIECE)
          {
            if (bp_buf_append (&w->buf, specials[id], 5))
              return BP_ENOMEM;
          }
        else
          {
            size_t len;
            const uint8_t *p = bp_model_piece (w->model,
                                               id - BP_ID_FIRST_PIECE, &len);
            /* A piece spelt like a special ("<bos>" in a corpus about
               language models) gets its '<' escaped, or the reader would
               take it for the special and drop its bytes.  */
            int special = len == 5 && p[0] == '<'
                          && (memcmp (p, specials[0], 5) == 0
                              || memcmp (p, specials[1], 5) == 0
                              || memcmp (p, specials[2], 5) == 0);
            if (special && bp_buf_append (&w->buf, "\\x3c", 4))
              return BP_ENOMEM;
            if (bp_escape_append (&w->buf, p + special, len - special, 1))
              return BP_ENOMEM;
          }
        break;
      }

    case BP_FMT_U16:
      {
        uint8_t le[2] = { (uint8_t) id, (uint8_t) (id >> 8) };
        if (bp_buf_append (&w->buf, le, 2))
          return BP_ENOMEM;
        break;
      }

    case BP_FMT_U32:
      {
        uint8_t le[4] = { (uint8_t) id, (uint8_t) (id >> 8),
                          (uint8_t) (id >> 16), (uint8_t) (id >> 24) };
        if (bp_buf_append (&w->buf, le, 4))
          return BP_ENOMEM;
        break;
      }
    }
  w->line_start = 0;
  return 0;
}

int
bp_tokwriter_id (struct bp_tokwriter *w, uint32_t id)
{
  int rc = put_one (w, id);
  if (!rc && w->buf.len >= FLUSH_AT)
    rc = bp_tokwriter_flush (w);
  return rc;
}

int
bp_tokwriter_pieces (struct bp_tokwriter *w, const uint32_t *pieces,
                     size_t n)
{
  for (size_t i = 0; i < n; i++)
    {
      int rc = put_one (w, pieces[i] + BP_ID_FIRST_PIECE);
      if (rc)
        return rc;
    }
  return w->buf.len >= FLUSH_AT ? bp_tokwriter_flush (w) : 0;
}

int
bp_tokwriter_eol (struct bp_tokwriter *w)
{
  w->line_start = 1;
  if (w->fmt == BP_FMT_U16 || w->fmt == BP_FMT_U32)
    return 0;
  return bp_buf_putc (&w->buf, '\n') ? BP_ENOMEM : 0;
}

void
bp_tokreader_init (struct bp_tokreader *r, int fd, enum bp_tokfmt fmt,
                   size_t vocab, const struct bp_matcher *matcher)
{
  memset (r, 0, sizeof *r);
  r->fd = fd;
  r->fmt = fmt;
  r->vocab = vocab;
  r->matcher = matcher;
  r->line = 1;
}

void
bp_tokreader_free (struct bp_tokreader *r)
{
  bp_buf_free (&r->buf);
  bp_buf_free (&r->bytes);
}

/* Make at least NEED bytes available from POS, unless the input ends.
   Returns 0 or BP_EIO.  */
static int
want (struct bp_tokreader *r, size_t need, struct bp_error *err)
{
  while (r->buf.len - r->pos < need && !r->eof)
    {
      if (r->pos)
        {
          r->offset += r->pos;
          bp_buf_consume (&r->buf, r->pos);
          r->pos = 0;
        }
      if (bp_buf_grow (&r->buf, READ_SIZE))
        return bp_error_set (err, BP_ENOMEM, 0, "%s", "");
      ssize_t n = read (r->fd, r->buf.data + r->buf.len,
                        r->buf.cap - r->buf.len);
      if (n > 0)
        r->buf.len += (size_t) n;
      else if (n == 0)
        r->eof = 1;
      else if (errno != EINTR)
        return bp_error_errno (err, errno);
    }
  return 0;
}

static int
is_space (uint8_t c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v'
         || c == '\f';
}

static int
check_id (struct bp_tokreader *r, uint64_t id, struct bp_error *err)
{
  if (r->vocab && id >= r->vocab)
    {
      if (r->fmt == BP_FMT_U16 || r->fmt == BP_FMT_U32)
        return bp_error_set (err, BP_ERANGE, 0,
                             _("id %" PRIu64 " at byte %" PRIu64
                               " out of range (vocabulary %zu)"),
                             id, r->offset + r->pos, r->vocab);
      return bp_error_set (err, BP_ERANGE, r->line,
                           _("id %" PRIu64 " out of range (vocabulary %zu)"),
                           id, r->vocab);
    }
  r->id = (uint32_t) id;
  return BP_TOK_ID;
}

static int
next_binary (struct bp_tokreader *r, struct bp_error *err)
{
  size_t w = r->fmt == BP_FMT_U16 ? 2 : 4;
  int rc = want (r, w, err);
  if (rc)
    return rc;
  size_t have = r->buf.len - r->pos;
  if (have == 0)
    return BP_TOK_END;
  if (have < w)
    return bp_error_set (err, BP_EFORMAT, 0,
                         _("truncated id at byte %" PRIu64
                           " (the length is not a multiple of %zu)"),
                         r->offset + r->pos, w);
  const uint8_t *p = r->buf.data + r->pos;
  uint64_t id = w == 2 ? (uint64_t) p[0] | (uint64_t) p[1] << 8
                       : (uint64_t) p[0] | (uint64_t) p[1] << 8
                         | (uint64_t) p[2] << 16 | (uint64_t) p[3] << 24;
  rc = check_id (r, id, err);
  r->pos += w;
  return rc;
}

int
bp_tokreader_next (struct bp_tokreader *r, struct bp_error *err)
{
  int rc;

  if (r->fmt == BP_FMT_U16 || r->fmt == BP_FMT_U32)
    return next_binary (r, err);

  /* Skip blanks; a LF ends the line.  */
  for (;;)
    {
      if ((rc = want (r, 1, err)))
        return rc;
      if (r->pos == r->buf.len)
        return BP_TOK_END;
      uint8_t c = r->buf.data[r->pos];
      if (c == '\n')
        {
          r->pos++;
          r->line++;
          return BP_TOK_EOL;
        }
      if (!is_space (c))
        break;
      r->pos++;
    }

  /* A token runs to the next white space: find it, reading more while
     the token reaches the end of what is buffered.  */
  size_t len = 0;
  for (;;)
    {
      while (r->pos + len < r->buf.len && !is_space (r->buf.data[r->pos + len]))
        len++;
      if (r->pos + len < r->buf.len || r->eof)
        break;
      if ((rc = want (r, len + 1, err)))
        return rc;
    }
  const char *tok = (const char *) r->buf.data + r->pos;
  r->pos += len;

  if (r->fmt == BP_FMT_IDS)
    {
      uint64_t id = 0;
      int ok = len > 0 && len <= 19;
      for (size_t i = 0; i < len && ok; i++)
        {
          if (tok[i] < '0' || tok[i] > '9')
            ok = 0;
          else
            id = id * 10 + (uint64_t) (tok[i] - '0');
        }
      if (!ok)
        return bp_error_set (err, BP_EFORMAT, r->line,
                             _("invalid id '%.*s'"),
                             (int) (len > 40 ? 40 : len), tok);
      return check_id (r, id, err);
    }

  /* The pieces form.  */
  static const char *const specials[] = { "<pad>", "<bos>", "<eos>" };
  for (uint32_t i = 0; i < 3; i++)
    if (len == 5 && memcmp (tok, specials[i], 5) == 0)
      {
        r->id = i;
        return BP_TOK_ID;
      }
  r->bytes.len = 0;
  if (bp_buf_grow (&r->bytes, len))
    return bp_error_set (err, BP_ENOMEM, 0, "%s", "");
  size_t bad;
  long n = bp_unescape (tok, len, r->bytes.data, &bad);
  if (n < 0)
    return bp_error_set (err, BP_EFORMAT, r->line,
                         _("bad escape in piece '%.*s'"),
                         (int) (len > 40 ? 40 : len), tok);
  r->bytes.len = (size_t) n;
  if (r->matcher && bp_matcher_find (r->matcher, r->bytes.data,
                                     r->bytes.len) < 0)
    return bp_error_set (err, BP_EFORMAT, r->line,
                         _("piece '%.*s' is not in the model"),
                         (int) (len > 40 ? 40 : len), tok);
  return BP_TOK_BYTES;
}
