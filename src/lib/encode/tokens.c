/* SPDX-License-Identifier: Apache-2.0 */
/* Writing and reading token streams; see tokens.h.  */
#include <config.h>
#include "tokens.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "escape.h"
#include "automaton.h"
#include "megatron.h"
#include "model.h"
#include "specials.h"
#include "system.h"

enum { FLUSH_AT = 1 << 16, READ_SIZE = 1 << 16 };

int
bp_tokfmt_parse (const char *name, enum bp_tokfmt *fmt)
{
  static const char *const names[] = { "ids", "pieces", "u16", "u32",
                                       "megatron" };
  for (int i = 0; i < 5; i++)
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
  int code;
  if (fmt == BP_FMT_MEGATRON)
    bp_mmidx_dtype (bp_model_vocab (m), &code, &w->fmt);
}

void
bp_tokwriter_layout (struct bp_tokwriter *w, int line_per_chunk)
{
  w->line_per_chunk = line_per_chunk;
}

void
bp_tokwriter_doc_start (struct bp_tokwriter *w)
{
  w->line_start = 1;
}

void
bp_tokwriter_chunk_start (struct bp_tokwriter *w)
{
  w->line_start = w->line_per_chunk;
}

int
bp_tokwriter_chunk_end (struct bp_tokwriter *w)
{
  return w->line_per_chunk ? bp_tokwriter_eol (w) : 0;
}

int
bp_tokwriter_doc_end (struct bp_tokwriter *w)
{
  if (!w->f && (w->fmt == BP_FMT_U16 || w->fmt == BP_FMT_U32))
    {
      uint64_t end = w->buf.len;
      if (bp_buf_append (&w->ends, &end, sizeof end))
        return BP_ENOMEM;
    }
  return !w->line_per_chunk || !w->line_start ? bp_tokwriter_eol (w) : 0;
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
  bp_buf_free (&w->ends);
}

/* The decimal digits of 0..99, two by two.  */
static const char digit_pairs[201] =
  "00010203040506070809101112131415161718192021222324252627282930313233"
  "34353637383940414243444546474849505152535455565758596061626364656667"
  "68697071727374757677787980818283848586878889909192939495969798" "99";

/* Write the decimal digits of V at D (at most 10 bytes); returns the end.
   Two digits per step from a table, and no loop to count them: this runs
   once per token.  */
static inline uint8_t *
put_decimal (uint8_t *d, uint32_t v)
{
  int n = v < 10 ? 1 : v < 100 ? 2 : v < 1000 ? 3 : v < 10000 ? 4
          : v < 100000 ? 5 : v < 1000000 ? 6 : v < 10000000 ? 7
          : v < 100000000 ? 8 : v < 1000000000 ? 9 : 10;
  uint8_t *end = d + n;
  while (v >= 100)
    {
      uint32_t r = v % 100;
      v /= 100;
      end -= 2;
      memcpy (end, digit_pairs + 2 * r, 2);
    }
  if (v >= 10)
    memcpy (d, digit_pairs + 2 * v, 2);
  else
    *d = (uint8_t) ('0' + v);
  return d + n;
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
      w->buf.len = (size_t) (put_decimal (w->buf.data + w->buf.len, id)
                             - w->buf.data);
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
    case BP_FMT_MEGATRON:   /* never: init made it u16 or u32 */
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
  if (w->fmt == BP_FMT_IDS && n)
    {
      /* The common case in one loop: room for all, then the digits.  */
      if (n > (SIZE_MAX - 1) / 11 || bp_buf_grow (&w->buf, 11 * n + 1))
        return BP_ENOMEM;
      uint8_t *d = w->buf.data + w->buf.len;
      if (!w->line_start)
        *d++ = ' ';
      d = put_decimal (d, pieces[0] + BP_ID_FIRST_PIECE);
      for (size_t i = 1; i < n; i++)
        {
          *d++ = ' ';
          d = put_decimal (d, pieces[i] + BP_ID_FIRST_PIECE);
        }
      w->buf.len = (size_t) (d - w->buf.data);
      w->line_start = 0;
    }
  else
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
                   size_t vocab, const struct bp_automaton *ac)
{
  memset (r, 0, sizeof *r);
  r->fd = fd;
  r->fmt = fmt;
  r->vocab = vocab;
  r->ac = ac;
  r->line = 1;
  r->read_size = READ_SIZE;
  if (ac)
    {
      /* A piece escapes to at most 4 bytes a byte.  */
      size_t depth = ac->max_len;
      r->max_piece = BP_ESCAPE_MAX (depth) > 5 ? BP_ESCAPE_MAX (depth) : 5;
    }
}

void
bp_tokreader_specials (struct bp_tokreader *r, const struct bp_specials *s)
{
  size_t most = BP_ESCAPE_MAX (bp_specials_max_len (s));
  r->specials = s;
  if (most > r->max_piece)
    r->max_piece = most;
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
  size_t step = r->read_size ? r->read_size : READ_SIZE;
  while (r->buf.len - r->pos < need && !r->eof)
    {
      if (r->pos)
        {
          r->offset += r->pos;
          bp_buf_consume (&r->buf, r->pos);
          r->pos = 0;
        }
      if (bp_buf_grow (&r->buf, step))
        return bp_error_set (err, BP_ENOMEM, 0, "%s", "");
      size_t room = r->buf.cap - r->buf.len;
      ssize_t n = read (r->fd, r->buf.data + r->buf.len,
                        room < step ? room : step);
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

/* A decimal id, read as it streams by: a token of any length costs no
   memory.  Leading zeros are allowed, at any length: the id is the
   number (bp-decode(1)).  The message about a bad token quotes its first
   bytes, which are kept aside for it.  */
static int
next_id (struct bp_tokreader *r, struct bp_error *err)
{
  uint8_t head[BP_QUOTE_INPUT + 1];     /* the token's first bytes */
  char digits[BP_QUOTE_INPUT + 4];      /* its digits after leading zeros */
  size_t nhead = 0, ndigits = 0;
  uint64_t id = 0;
  int bad = 0, big = 0, rc;

  for (;;)
    {
      if ((rc = want (r, 1, err)))
        return rc;
      if (r->pos == r->buf.len)
        break;
      const uint8_t *p = r->buf.data + r->pos;
      size_t n = r->buf.len - r->pos, k = 0;
      for (; k < n && !is_space (p[k]); k++)
        {
          uint8_t c = p[k];
          if (nhead < sizeof head)
            head[nhead++] = c;
          if (c < '0' || c > '9')
            bad = 1;
          else if (!bad && (ndigits || c != '0'))
            {
              if (ndigits < BP_QUOTE_INPUT)
                digits[ndigits] = (char) c;
              ndigits++;
              if (ckd_mul (&id, id, 10) || ckd_add (&id, id, c - '0'))
                big = 1;
            }
          /* Enough is known to report a bad token: the run stops at it.  */
          if ((bad && nhead == sizeof head)
              || (big && ndigits > BP_QUOTE_INPUT))
            break;
        }
      r->pos += k;
      if (k < n || (bad && nhead == sizeof head)
          || (big && ndigits > BP_QUOTE_INPUT))
        break;
    }

  if (bad)
    {
      char q[BP_QUOTE_SIZE (BP_QUOTE_INPUT)];
      bp_escape_quote (q, BP_QUOTE_INPUT, head, nhead);
      /* NUL bytes are no text: the ids of -f u16 or u32, most likely,
         read as decimal ids (issue 15).  */
      if (memchr (head, 0, nhead))
        return bp_error_set (err, BP_EFORMAT, r->line,
                             _("invalid id '%s': binary data, not ids as "
                               "text (a token file of -f u16 or u32? use "
                               "the same -f)"), q);
      return bp_error_set (err, BP_EFORMAT, r->line, _("invalid id '%s'"),
                           q);
    }
  if (big)
    {
      /* Too large for 64 bits: only its digits can say which it is.  */
      size_t k = ndigits < BP_QUOTE_INPUT ? ndigits : BP_QUOTE_INPUT;
      memcpy (digits + k, ndigits > k ? "..." : "", ndigits > k ? 4 : 1);
      return bp_error_set (err, BP_ERANGE, r->line,
                           _("id %s out of range (vocabulary %zu)"), digits,
                           r->vocab);
    }
  return check_id (r, id, err);
}

/* The end of the escape sequences that begin in T[0..N): the longest
   prefix that does not end inside one.  */
static size_t
escape_boundary (const char *t, size_t n)
{
  size_t i = 0;
  while (i < n)
    {
      size_t step = t[i] != '\\' ? 1 : i + 1 < n && t[i + 1] == 'x' ? 4 : 2;
      if (i + step > n)
        break;
      i += step;
    }
  return i;
}

/* A piece in the escaped form.  With a model, a token longer than the
   escaped form of its longest piece cannot be one of its pieces and is
   refused as soon as that is known; without one, any bytes are a piece,
   and a long token is handed out in parts (IN_TOKEN set until its last),
   so that no token is ever held whole.  */
static int
next_piece (struct bp_tokreader *r, struct bp_error *err)
{
  /* With a model, enough for a message to show that the token is too
     long; without, parts of at least one escape sequence.  */
  size_t step = r->read_size ? r->read_size : READ_SIZE;
  size_t limit = r->ac ? (r->max_piece > BP_QUOTE_INPUT
                               ? r->max_piece : BP_QUOTE_INPUT) + 1
                            : step > 4 ? step : 4;
  int cont = r->in_token;
  size_t len = 0;
  int rc;

  for (;;)
    {
      while (r->pos + len < r->buf.len && len < limit
             && !is_space (r->buf.data[r->pos + len]))
        len++;
      if (r->pos + len < r->buf.len || r->eof || len >= limit)
        break;
      if ((rc = want (r, len + 1, err)))
        return rc;
    }
  const char *tok = (const char *) r->buf.data + r->pos;
  int whole = r->pos + len == r->buf.len ? r->eof
                                         : is_space (tok[len]);
  char q[BP_QUOTE_SIZE (BP_QUOTE_INPUT)];

  if (r->ac && (!whole || len > r->max_piece))
    return bp_error_set (err, BP_EFORMAT, r->line,
                         _("piece '%s' is not in the model"),
                         bp_escape_quote (q, BP_QUOTE_INPUT, tok, len));
  if (!cont && whole && len == 5)
    {
      static const char *const specials[] = { "<pad>", "<bos>", "<eos>" };
      for (uint32_t i = 0; i < 3; i++)
        if (memcmp (tok, specials[i], 5) == 0)
          {
            r->pos += len;
            r->id = i;
            return BP_TOK_ID;
          }
    }
  size_t take = whole ? len : escape_boundary (tok, len);
  r->bytes.len = 0;
  if (bp_buf_grow (&r->bytes, take))
    return bp_error_set (err, BP_ENOMEM, 0, "%s", "");
  long n = bp_unescape (tok, take, r->bytes.data, NULL);
  if (n < 0)
    return bp_error_set (err, BP_EFORMAT, r->line,
                         _("bad escape in piece '%s'"),
                         bp_escape_quote (q, BP_QUOTE_INPUT, tok, len));
  r->bytes.len = (size_t) n;
  if (r->ac && bp_automaton_find (r->ac, r->bytes.data, r->bytes.len) < 0
      && !(r->specials && bp_specials_lookup (r->specials, r->bytes.data,
                                              r->bytes.len) >= 0))
    return bp_error_set (err, BP_EFORMAT, r->line,
                         _("piece '%s' is not in the model"),
                         bp_escape_quote (q, BP_QUOTE_INPUT, tok, len));
  r->pos += take;
  r->in_token = !whole;
  return BP_TOK_BYTES;
}

int
bp_tokreader_next (struct bp_tokreader *r, struct bp_error *err)
{
  int rc;

  if (r->fmt == BP_FMT_U16 || r->fmt == BP_FMT_U32)
    return next_binary (r, err);
  if (r->in_token)
    return next_piece (r, err);

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
  return r->fmt == BP_FMT_IDS ? next_id (r, err) : next_piece (r, err);
}
