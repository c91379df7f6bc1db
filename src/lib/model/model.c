/* SPDX-License-Identifier: Apache-2.0 */
/* Tokenizer models in bytepiece's text form; see model.h.  The JSON form
   is in model_json.c.  */
#include <config.h>
#include "model.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "dupcheck.h"
#include "error.h"
#include "escape.h"
#include "header.h"
#include "model_jsonfast.h"
#include "modelbuild.h"
#include "sha256.h"
#include "system.h"
#include "unread.h"

struct bp_model *
bp_model_new (size_t n, const uint8_t *const *pieces, const size_t *lens,
              const uint64_t *counts, const struct bp_model_params *params)
{
  struct bp_model_builder b = { 0 };
  for (size_t i = 0; i < n; i++)
    if (bp_model_builder_add (&b, pieces[i], lens[i], counts[i], 0))
      {
        bp_model_builder_free (&b);
        return NULL;
      }
  struct bp_model *m
    = bp_model_builder_finish (&b, params ? params : &bp_model_params_unknown,
                               0);
  bp_model_builder_free (&b);
  return m;
}

struct bp_model *
bp_model_dup (const struct bp_model *m)
{
  struct bp_model_builder b = { 0 };
  for (size_t i = 0; i < m->n + m->nspecial; i++)
    {
      size_t len;
      const uint8_t *p = bp_model_piece (m, i, &len);
      if (bp_model_builder_add (&b, p, len, m->count[i], i >= m->n))
        {
          bp_model_builder_free (&b);
          return NULL;
        }
    }
  struct bp_model *d = bp_model_builder_finish (&b, &m->params, m->nspecial);
  bp_model_builder_free (&b);
  return d;
}

void
bp_model_free (struct bp_model *m)
{
  if (!m)
    return;
  free (m->bytes);
  free (m->off);
  free (m->count);
  free (m);
}

/* TOK (N bytes) quoted for a message (escape.h): the header may hold
   anything, control characters included.  BUF has SIZE bytes, at least
   BP_QUOTE_SIZE (BP_QUOTE_INPUT).  */
static const char *
tokstr (char *buf, size_t size, const char *tok, size_t n)
{
  (void) size;
  return bp_escape_quote (buf, BP_QUOTE_INPUT, tok, n);
}

/* Parse the header of the text form: "#bytepiece-model 1 key=value...".
   *VOCAB is set from "vocab=" (0 if absent), *SPECIALS from "specials="
   (0 if absent).  */
static int
parse_header (const char *line, size_t len, struct bp_model_params *p,
              uint64_t *vocab, uint64_t *specials, struct bp_error *err)
{
  static const char magic[] = "#bytepiece-model";
  static const char *const fields[] = {
    "vocab", "order", "min_count", "max_piece_length", "ensure_unicode",
    "isolate_digits", "specials"
  };
  struct bp_header h;
  const char *tok = NULL;
  size_t n = 0;
  char a[BP_QUOTE_SIZE (BP_QUOTE_INPUT)], b[BP_QUOTE_SIZE (BP_QUOTE_INPUT)];

  *p = bp_model_params_unknown;
  *vocab = 0;
  *specials = 0;
  if (len && line[len - 1] == '\n')
    len--;
  if (!bp_header_is (line, len, magic))
    return bp_error_set (err, BP_EFORMAT, 1, _("not a bytepiece model"));
  bp_header_start (&h, line, len, magic);
  if (!bp_header_token (&h, &tok, &n) || !bp_header_tok_is (tok, n, "1"))
    return bp_error_set (err, BP_EFORMAT, 1,
                         _("unsupported model format version '%s'"),
                         tokstr (a, sizeof a, tok, n));
  while (bp_header_token (&h, &tok, &n))
    {
      struct bp_header_field f;
      uint64_t v;
      if (bp_header_field (tok, n, &f))
        return bp_error_set (err, BP_EFORMAT, 1, _("bad header field '%s'"),
                             tokstr (a, sizeof a, tok, n));
      if (bp_header_tok_is (f.key, f.klen, "normalize"))
        {
          if (bp_header_tok_is (f.val, f.vlen, "nfc"))
            p->normalize = 1;
          else if (bp_header_tok_is (f.val, f.vlen, "none"))
            p->normalize = 0;
          else
            return bp_error_set (err, BP_EFORMAT, 1,
                                 _("bad header value %s=%s"), "normalize",
                                 tokstr (b, sizeof b, f.val, f.vlen));
          continue;
        }
      int k = -1;
      for (size_t i = 0; i < BP_ARRAY_SIZE (fields); i++)
        if (bp_header_tok_is (f.key, f.klen, fields[i]))
          k = (int) i;
      if (k < 0)
        continue;  /* a field of a later version: ignored */
      if (bp_header_u64 (f.val, f.vlen, &v) || v > INT32_MAX)
        return bp_error_set (err, BP_EFORMAT, 1, _("bad header value %s=%s"),
                             fields[k], tokstr (b, sizeof b, f.val, f.vlen));
      switch (k)
        {
        case 0: *vocab = v; break;
        case 1: p->order = (int) v; break;
        case 2: p->min_count = (long long) v; break;
        case 3: p->max_piece_length = (int) v; break;
        case 4: p->ensure_unicode = v != 0; break;
        case 5: p->isolate_digits = v != 0; break;
        default: *specials = v; break;
        }
    }
  return 0;
}

int
bp_model_parse_record (const char *line, size_t p0, size_t p1, size_t end,
                       int zero, struct bp_buf *out, uint64_t *count,
                       uint64_t lineno, struct bp_error *err)
{
  size_t bad;
  out->len = 0;
  if (bp_buf_grow (out, p1 - p0))
    return bp_error_set (err, BP_ENOMEM, lineno, "%s", "");
  long plen = bp_unescape (line + p0, p1 - p0, out->data, &bad);
  if (plen < 0)
    return bp_error_set (err, BP_EFORMAT, lineno,
                         _("bad escape in piece at column %zu"),
                         p0 + bad + 1);
  if (plen == 0)
    return bp_error_set (err, BP_EFORMAT, lineno, _("empty piece"));
  out->len = (size_t) plen;
  if (bp_header_u64 (line + p1 + 1, end - p1 - 1, count)
      || (*count == 0 && !zero))
    return bp_error_set (err, BP_EFORMAT, lineno,
                         _("bad count (a positive decimal integer is "
                           "expected)"));
  return 0;
}

/* Does the special token P (LEN bytes) break a rule that a model's
   special tokens follow?  Returns the reason, or NULL.  */
static const char *
special_fault (const uint8_t *p, size_t len)
{
  if (len == 0)
    return _("a special token is empty");
  if (memchr (p, '\n', len))
    return _("a special token may not hold a LF");
  return NULL;
}

/* The next line of IN, its LF included (the last line of the file may
   have none): *LINE and *LEN, valid until the next call.  Returns 1, 0 at
   the end of the file, or BP_EIO (errno says why) or BP_ENOMEM.  Blocks
   of the file are read at a time: a line each from stdio (getline) cost
   more than the rest of reading the line.  */
static int
next_line (struct bp_jsonin *in, const char **line, size_t *len)
{
  for (;;)
    {
      /* No buffer yet before the first block: NULL + 0 is undefined.  */
      size_t avail = in->len - in->pos;
      const char *p = avail ? in->buf + in->pos : NULL;
      const char *lf = avail ? memchr (p, '\n', avail) : NULL;
      if (lf || (in->eof && avail))
        {
          *line = p;
          *len = lf ? (size_t) (lf + 1 - p) : avail;
          in->pos += *len;
          return 1;
        }
      if (in->eof)
        return 0;
      int rc = bp_jsonin_fill (in);
      if (rc)
        return rc;
    }
}

int
bp_model_read_text (FILE *f, struct bp_model **out, struct bp_error *err)
{
  struct bp_model_builder b = { 0 };
  struct bp_model_params params;
  struct bp_jsonin in = { .f = f };
  const char *line;
  size_t len;
  uint64_t lineno = 1, vocab, specials, nspecial = 0;
  size_t dup;
  struct bp_buf piece = { 0 };
  int rc;

  *out = NULL;
  errno = 0;
  if ((rc = next_line (&in, &line, &len)) <= 0)
    {
      rc = rc == BP_EIO ? bp_error_errno (err, errno ? errno : EIO)
           : rc ? bp_error_set (err, rc, 0, "%s", "")
                : bp_error_set (err, BP_EFORMAT, 1, _("empty model"));
      goto done;
    }
  if ((rc = parse_header (line, len, &params, &vocab, &specials, err)))
    goto done;

  while ((rc = next_line (&in, &line, &len)) > 0)
    {
      lineno++;
      if (line[len - 1] != '\n')
        {
          rc = bp_error_set (err, BP_EFORMAT, lineno,
                             _("truncated line (no newline at the end)"));
          goto done;
        }
      size_t n = len - 1;
      const char *t1 = memchr (line, '\t', n);
      const char *t2 = t1 ? memchr (t1 + 1, '\t', n - (size_t) (t1 + 1 - line))
                          : NULL;
      if (!t2)
        {
          rc = bp_error_set (err, BP_EFORMAT, lineno,
                             _("expected 'id<TAB>piece<TAB>count'"));
          goto done;
        }
      uint64_t id, count;
      if (bp_header_u64 (line, (size_t) (t1 - line), &id))
        {
          rc = bp_error_set (err, BP_EFORMAT, lineno, _("bad id"));
          goto done;
        }
      if (id != b.n + BP_ID_FIRST_PIECE)
        {
          rc = bp_error_set (err, BP_EFORMAT, lineno,
                             _("id %" PRIu64 " where %zu was expected"), id,
                             b.n + BP_ID_FIRST_PIECE);
          goto done;
        }
      if ((rc = bp_model_parse_record (line, (size_t) (t1 - line) + 1,
                                       (size_t) (t2 - line), n, specials != 0,
                                       &piece, &count, lineno, err)))
        goto done;
      size_t plen = piece.len;
      /* The special tokens, count 0, are the last SPECIALS lines.  */
      const char *why = NULL;
      if (count == 0)
        {
          nspecial++;
          why = special_fault (piece.data, plen);
        }
      else if (nspecial)
        why = _("a counted piece after a special token (count 0): the "
                "special tokens come last");
      if (why)
        {
          rc = bp_error_set (err, BP_EFORMAT, lineno, "%s", why);
          goto done;
        }
      rc = bp_model_builder_add (&b, piece.data, plen, count, count == 0);
      if (rc == BP_ERANGE)
        rc = bp_error_set (err, BP_EFORMAT, lineno,
                           _("counts add up to more than 64 bits hold"));
      else if (rc)
        rc = bp_error_set (err, rc, lineno, "%s", "");
      if (rc)
        goto done;
    }
  if (rc)
    {
      rc = rc == BP_EIO ? bp_error_errno (err, errno ? errno : EIO)
                        : bp_error_set (err, rc, lineno + 1, "%s", "");
      goto done;
    }
  if (vocab && vocab != b.n + BP_ID_FIRST_PIECE)
    {
      rc = bp_error_set (err, BP_EFORMAT, lineno + 1,
                         _("unexpected end of model: the header says "
                           "vocab=%" PRIu64 ", the file has %zu ids"),
                         vocab, b.n + BP_ID_FIRST_PIECE);
      goto done;
    }
  if (nspecial != specials)
    {
      rc = bp_error_set (err, BP_EFORMAT, lineno + 1,
                         _("the header says specials=%" PRIu64 ", the file "
                           "has %" PRIu64 " special tokens (count 0)"),
                         specials, nspecial);
      goto done;
    }
  *out = bp_model_builder_finish (&b, &params, (size_t) nspecial);
  if (!*out)
    rc = bp_error_set (err, BP_ENOMEM, 0, "%s", "");
  else if ((rc = bp_model_check_unique (*out, &dup, err)))
    {
      if (rc == BP_EFORMAT && err)
        err->line = dup + 2;  /* the header, then one line per piece */
      bp_model_free (*out);
      *out = NULL;
    }

done:
  bp_model_builder_free (&b);
  free (in.buf);
  bp_buf_free (&piece);
  return rc;
}

int
bp_model_read (FILE *f, struct bp_model **out, struct bp_error *err)
{
  struct bp_buf head = { 0 };
  int c, rc;

  *out = NULL;
  /* The JSON form starts with '{', perhaps after white space.  What was
     read to find out is given back to the reader, so that F need not be
     able to seek: a model may come from a pipe.  */
  off_t start = ftello (f);
  errno = 0;
  do
    {
      c = getc (f);
      if (c != EOF && bp_buf_putc (&head, (uint8_t) c))
        {
          bp_buf_free (&head);
          return bp_error_set (err, BP_ENOMEM, 0, "%s", "");
        }
    }
  while (c == ' ' || c == '\t' || c == '\n' || c == '\r');
  if (c == EOF && ferror (f))
    {
      bp_buf_free (&head);
      return bp_error_errno (err, errno ? errno : EIO);
    }
  /* A file that can go back is read from its start again; only a pipe
     goes through the stream that gives the bytes back (a copy).  */
  FILE *g = start >= 0 && fseeko (f, start, SEEK_SET) == 0
              ? f : bp_unread_open (head.data, head.len, f);
  bp_buf_free (&head);
  if (!g)
    return bp_error_set (err, BP_ENOMEM, 0, "%s", "");
  rc = c == '{' ? bp_model_read_json (g, out, err)
                : bp_model_read_text (g, out, err);
  if (g != f)
    fclose (g);
  return rc;
}

int
bp_model_load (const char *path, struct bp_model **out, struct bp_error *err)
{
  FILE *f = fopen (path, "r");
  int rc;

  *out = NULL;
  if (!f)
    return bp_error_errno (err, errno);
  rc = bp_model_read (f, out, err);
  fclose (f);
  return rc;
}

int
bp_model_write_text (FILE *f, const struct bp_model *m)
{
  const struct bp_model_params *p = &m->params;
  struct bp_buf line = { 0 };

  fprintf (f, "#bytepiece-model 1 vocab=%zu", bp_model_vocab (m));
  if (m->nspecial)
    fprintf (f, " specials=%zu", m->nspecial);
  if (p->order >= 0)
    fprintf (f, " order=%d", p->order);
  if (p->min_count >= 0)
    fprintf (f, " min_count=%lld", p->min_count);
  if (p->max_piece_length >= 0)
    fprintf (f, " max_piece_length=%d", p->max_piece_length);
  if (p->ensure_unicode >= 0)
    fprintf (f, " ensure_unicode=%d", p->ensure_unicode);
  if (p->isolate_digits >= 0)
    fprintf (f, " isolate_digits=%d", p->isolate_digits);
  if (p->normalize >= 0)
    fprintf (f, " normalize=%s", p->normalize ? "nfc" : "none");
  putc ('\n', f);
  for (size_t i = 0; i < m->n + m->nspecial; i++)
    {
      size_t len;
      const uint8_t *piece = bp_model_piece (m, i, &len);
      line.len = 0;
      if (bp_escape_append (&line, piece, len, 0))
        {
          bp_buf_free (&line);
          errno = ENOMEM;
          return BP_ENOMEM;
        }
      fprintf (f, "%zu\t", i + BP_ID_FIRST_PIECE);
      fwrite (line.data, 1, line.len, f);
      fprintf (f, "\t%" PRIu64 "\n", m->count[i]);
    }
  bp_buf_free (&line);
  return ferror (f) ? BP_EIO : 0;
}

int
bp_model_fingerprint (const struct bp_model *m, uint8_t out[32])
{
  struct bp_sha256 h;
  struct bp_buf line = { 0 };
  bp_sha256_init (&h);
  for (size_t i = 0; i < m->n + m->nspecial; i++)
    {
      size_t len;
      const uint8_t *piece = bp_model_piece (m, i, &len);
      char id[24];
      int n = sprintf (id, "%zu\t", i + BP_ID_FIRST_PIECE);
      line.len = 0;
      if (bp_buf_append (&line, id, (size_t) n)
          || bp_escape_append (&line, piece, len, 0)
          || bp_buf_putc (&line, '\n'))
        {
          bp_buf_free (&line);
          return BP_ENOMEM;
        }
      bp_sha256_update (&h, line.data, line.len);
    }
  bp_buf_free (&line);
  bp_sha256_final (&h, out);
  return 0;
}

static const uint8_t *
model_piece (const void *m, size_t i, size_t *len)
{
  return bp_model_piece (m, i, len);
}

/* Whether the pieces of M (not its specials) are in strictly increasing
   (length, bytes) order, as bp-prune and BytePiece write them: then no
   two are the same, which one pass tells without hashing them all.  */
static int
in_order (const struct bp_model *m)
{
  for (size_t i = 1; i < m->n; i++)
    {
      size_t la = m->off[i] - m->off[i - 1], lb = m->off[i + 1] - m->off[i];
      if (la > lb
          || (la == lb
              && memcmp (m->bytes + m->off[i - 1], m->bytes + m->off[i],
                         la) >= 0))
        return 0;
    }
  return 1;
}

int
bp_model_check_unique (const struct bp_model *m, size_t *dup,
                       struct bp_error *err)
{
  size_t first, second;
  if (m->nspecial == 0 && in_order (m))
    return 0;
  int rc = bp_dupcheck (m->n + m->nspecial, model_piece, m, &first, &second);
  if (rc < 0)
    return bp_error_set (err, rc, 0, "%s", "");
  if (rc == 0)
    return 0;
  if (dup)
    *dup = second;
  return bp_error_set (err, BP_EFORMAT, 0,
                       _("piece of id %zu repeats id %zu"),
                       second + BP_ID_FIRST_PIECE, first + BP_ID_FIRST_PIECE);
}

/* bp_escape_quote, the one way a message quotes input; SIZE (at least
   200, model.h) holds BP_QUOTE_SIZE (BP_QUOTE_INPUT).  */
const char *
bp_model_quote (char *buf, size_t size, const uint8_t *p, size_t len)
{
  (void) size;
  return bp_escape_quote (buf, BP_QUOTE_INPUT, p, len);
}

/* The special tokens of bp_model_add_specials, after the model's pieces
   and specials, for bp_dupcheck.  */
struct extended
{
  const struct bp_model *m;
  const uint8_t *const *p;
  const size_t *len;
};

static const uint8_t *
extended_piece (const void *ctx, size_t i, size_t *len)
{
  const struct extended *x = ctx;
  size_t have = x->m->n + x->m->nspecial;
  if (i < have)
    return bp_model_piece (x->m, i, len);
  *len = x->len[i - have];
  return x->p[i - have];
}

int
bp_model_add_specials (struct bp_model *m, size_t n,
                       const uint8_t *const *specials, const size_t *lens,
                       struct bp_error *err)
{
  size_t have = m->n + m->nspecial, add = 0, first, second;
  char q[BP_QUOTE_SIZE (BP_QUOTE_INPUT)];

  if (n == 0)
    return 0;
  for (size_t i = 0; i < n; i++)
    {
      const char *why = special_fault (specials[i], lens[i]);
      if (why && lens[i] == 0)
        return bp_error_set (err, BP_EINVAL, 0, "%s", why);
      if (why)
        return bp_error_set (err, BP_EINVAL, 0, "%s: '%s'", why,
                             bp_model_quote (q, sizeof q, specials[i], lens[i]));
      add += lens[i];
    }
  struct extended x = { m, specials, lens };
  int rc = bp_dupcheck (have + n, extended_piece, &x, &first, &second);
  if (rc < 0)
    return bp_error_set (err, rc, 0, "%s", "");
  if (rc && second < have)
    return bp_error_set (err, BP_EFORMAT, 0,
                         _("piece of id %zu repeats id %zu"),
                         second + BP_ID_FIRST_PIECE,
                         first + BP_ID_FIRST_PIECE);
  if (rc)
    {
      const uint8_t *p = specials[second - have];
      size_t len = lens[second - have];
      bp_model_quote (q, sizeof q, p, len);
      if (first < m->n)
        return bp_error_set (err, BP_EINVAL, 0,
                             _("special token '%s' is already a piece "
                               "(id %zu)"), q, first + BP_ID_FIRST_PIECE);
      if (first < have)
        return bp_error_set (err, BP_EINVAL, 0,
                             _("special token '%s' is already a special "
                               "token of the model (id %zu)"), q,
                             first + BP_ID_FIRST_PIECE);
      return bp_error_set (err, BP_EINVAL, 0,
                           _("special token '%s' is given twice"), q);
    }

  size_t used = m->off[have];
  uint8_t *bytes = realloc (m->bytes, used + add ? used + add : 1);
  if (!bytes)
    return bp_error_set (err, BP_ENOMEM, 0, "%s", "");
  m->bytes = bytes;
  size_t *off = realloc (m->off, (have + n + 1) * sizeof *off);
  if (!off)
    return bp_error_set (err, BP_ENOMEM, 0, "%s", "");
  m->off = off;
  uint64_t *count = realloc (m->count, (have + n ? have + n : 1)
                                       * sizeof *count);
  if (!count)
    return bp_error_set (err, BP_ENOMEM, 0, "%s", "");
  m->count = count;
  for (size_t i = 0; i < n; i++)
    {
      memcpy (m->bytes + m->off[have + i], specials[i], lens[i]);
      m->off[have + i + 1] = m->off[have + i] + lens[i];
      m->count[have + i] = 0;
    }
  m->nspecial += n;
  return 0;
}

void
bp_model_scores (const struct bp_model *m, double *score)
{
  /* BytePiece: np.log(count) - np.log(sum of counts), both in doubles.  */
  double log_total = log ((double) m->total);
  for (size_t i = 0; i < m->n; i++)
    score[i] = log ((double) m->count[i]) - log_total;
}
