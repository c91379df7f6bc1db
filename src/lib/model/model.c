/* Tokenizer models in bytepiece's text form; see model.h.  The JSON form
   is in model_json.c.  */
#include <config.h>
#include "model.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "escape.h"
#include "system.h"

/* A model being built piece by piece.  */
struct builder
{
  struct bp_buf bytes;
  size_t *off;
  uint64_t *count;
  size_t n, cap;
  uint64_t total;
  size_t max_len;
};

static int
builder_add (struct builder *b, const uint8_t *p, size_t len, uint64_t count)
{
  if (b->n + 1 >= b->cap)
    {
      size_t cap = b->cap ? 2 * b->cap : 1024;
      size_t *off = realloc (b->off, cap * sizeof *off);
      if (!off)
        return BP_ENOMEM;
      b->off = off;
      uint64_t *cnt = realloc (b->count, cap * sizeof *cnt);
      if (!cnt)
        return BP_ENOMEM;
      b->count = cnt;
      b->cap = cap;
    }
  if (b->n == 0)
    b->off[0] = 0;
  if (bp_buf_append (&b->bytes, p, len))
    return BP_ENOMEM;
  if (ckd_add (&b->total, b->total, count))
    return BP_ERANGE;
  b->count[b->n] = count;
  b->off[++b->n] = b->bytes.len;
  if (len > b->max_len)
    b->max_len = len;
  return 0;
}

static void
builder_free (struct builder *b)
{
  bp_buf_free (&b->bytes);
  free (b->off);
  free (b->count);
}

/* Turn B into a model; B is emptied.  */
static struct bp_model *
builder_finish (struct builder *b, const struct bp_model_params *params)
{
  struct bp_model *m = calloc (1, sizeof *m);
  if (!m)
    return NULL;
  if (b->n == 0)
    {
      b->off = calloc (1, sizeof *b->off);
      if (!b->off)
        {
          free (m);
          return NULL;
        }
    }
  m->n = b->n;
  m->bytes = b->bytes.data;
  m->off = b->off;
  m->count = b->count;
  m->total = b->total;
  m->max_len = b->max_len;
  m->params = *params;
  memset (b, 0, sizeof *b);
  return m;
}

static const struct bp_model_params unknown_params = { -1, -1, -1, -1, -1, -1 };

struct bp_model *
bp_model_new (size_t n, const uint8_t *const *pieces, const size_t *lens,
              const uint64_t *counts, const struct bp_model_params *params)
{
  struct builder b = { 0 };
  for (size_t i = 0; i < n; i++)
    if (builder_add (&b, pieces[i], lens[i], counts[i]))
      {
        builder_free (&b);
        return NULL;
      }
  struct bp_model *m = builder_finish (&b, params ? params : &unknown_params);
  builder_free (&b);
  return m;
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

/* Parse the decimal number in S[0..N) into *V (no sign, no spaces, no
   leading zeros except "0" itself).  Returns 0 or -1.  */
static int
parse_u64 (const char *s, size_t n, uint64_t *v)
{
  uint64_t x = 0;
  if (n == 0 || (n > 1 && s[0] == '0'))
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

/* Parse the header of the text form: "#bytepiece-model 1 key=value...".
   *VOCAB is set from "vocab=" (0 if absent).  */
static int
parse_header (char *line, size_t len, struct bp_model_params *p,
              uint64_t *vocab, struct bp_error *err)
{
  static const char magic[] = "#bytepiece-model";
  char *save = NULL, *tok;

  *p = unknown_params;
  *vocab = 0;
  if (len && line[len - 1] == '\n')
    line[--len] = '\0';
  if (memchr (line, '\0', len))
    return bp_error_set (err, BP_EFORMAT, 1, _("not a bytepiece model"));
  tok = strtok_r (line, " ", &save);
  if (!tok || strcmp (tok, magic) != 0)
    return bp_error_set (err, BP_EFORMAT, 1, _("not a bytepiece model"));
  tok = strtok_r (NULL, " ", &save);
  if (!tok || strcmp (tok, "1") != 0)
    return bp_error_set (err, BP_EFORMAT, 1,
                         _("unsupported model format version '%s'"),
                         tok ? tok : "");
  while ((tok = strtok_r (NULL, " ", &save)))
    {
      char *eq = strchr (tok, '=');
      uint64_t v;
      if (!eq)
        return bp_error_set (err, BP_EFORMAT, 1,
                             _("bad header field '%s'"), tok);
      *eq = '\0';
      const char *key = tok, *val = eq + 1;
      if (strcmp (key, "normalize") == 0)
        {
          if (strcmp (val, "nfc") == 0)
            p->normalize = 1;
          else if (strcmp (val, "none") == 0)
            p->normalize = 0;
          else
            return bp_error_set (err, BP_EFORMAT, 1,
                                 _("bad header value %s=%s"), key, val);
          continue;
        }
      if (parse_u64 (val, strlen (val), &v) || v > INT32_MAX)
        {
          if (strcmp (key, "vocab") == 0 || strcmp (key, "order") == 0
              || strcmp (key, "min_count") == 0
              || strcmp (key, "max_piece_length") == 0
              || strcmp (key, "ensure_unicode") == 0
              || strcmp (key, "isolate_digits") == 0)
            return bp_error_set (err, BP_EFORMAT, 1,
                                 _("bad header value %s=%s"), key, val);
          continue;  /* a field of a later version: ignored */
        }
      if (strcmp (key, "vocab") == 0)
        *vocab = v;
      else if (strcmp (key, "order") == 0)
        p->order = (int) v;
      else if (strcmp (key, "min_count") == 0)
        p->min_count = (long long) v;
      else if (strcmp (key, "max_piece_length") == 0)
        p->max_piece_length = (int) v;
      else if (strcmp (key, "ensure_unicode") == 0)
        p->ensure_unicode = v != 0;
      else if (strcmp (key, "isolate_digits") == 0)
        p->isolate_digits = v != 0;
    }
  return 0;
}

int
bp_model_read_text (FILE *f, struct bp_model **out, struct bp_error *err)
{
  struct builder b = { 0 };
  struct bp_model_params params;
  char *line = NULL;
  size_t cap = 0;
  ssize_t len;
  uint64_t lineno = 1, vocab;
  size_t dup;
  uint8_t *piece = NULL;
  size_t piece_cap = 0;
  int rc;

  errno = 0;
  len = getline (&line, &cap, f);
  if (len < 0)
    {
      rc = ferror (f) ? bp_error_errno (err, errno)
                      : bp_error_set (err, BP_EFORMAT, 1, _("empty model"));
      goto done;
    }
  if ((rc = parse_header (line, (size_t) len, &params, &vocab, err)))
    goto done;

  while ((len = getline (&line, &cap, f)) >= 0)
    {
      lineno++;
      if (len == 0 || line[len - 1] != '\n')
        {
          rc = bp_error_set (err, BP_EFORMAT, lineno,
                             _("truncated line (no newline at the end)"));
          goto done;
        }
      size_t n = (size_t) len - 1;
      char *t1 = memchr (line, '\t', n);
      char *t2 = t1 ? memchr (t1 + 1, '\t', n - (size_t) (t1 + 1 - line))
                    : NULL;
      if (!t2)
        {
          rc = bp_error_set (err, BP_EFORMAT, lineno,
                             _("expected 'id<TAB>piece<TAB>count'"));
          goto done;
        }
      uint64_t id, count;
      if (parse_u64 (line, (size_t) (t1 - line), &id))
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
      const char *esc = t1 + 1;
      size_t esclen = (size_t) (t2 - esc);
      if (esclen > piece_cap)
        {
          uint8_t *np = realloc (piece, esclen);
          if (!np)
            {
              rc = bp_error_set (err, BP_ENOMEM, lineno, "%s", "");
              goto done;
            }
          piece = np;
          piece_cap = esclen;
        }
      size_t bad;
      long plen = bp_unescape (esc, esclen, piece, &bad);
      if (plen < 0)
        {
          rc = bp_error_set (err, BP_EFORMAT, lineno,
                             _("bad escape in piece at column %zu"),
                             (size_t) (esc - line) + bad + 1);
          goto done;
        }
      if (plen == 0)
        {
          rc = bp_error_set (err, BP_EFORMAT, lineno, _("empty piece"));
          goto done;
        }
      const char *cs = t2 + 1;
      if (parse_u64 (cs, (size_t) (line + n - cs), &count) || count == 0)
        {
          rc = bp_error_set (err, BP_EFORMAT, lineno,
                             _("bad count (a positive decimal integer is "
                               "expected)"));
          goto done;
        }
      rc = builder_add (&b, piece, (size_t) plen, count);
      if (rc == BP_ERANGE)
        rc = bp_error_set (err, BP_EFORMAT, lineno,
                           _("counts add up to more than 64 bits hold"));
      else if (rc)
        rc = bp_error_set (err, rc, lineno, "%s", "");
      if (rc)
        goto done;
    }
  if (ferror (f))
    {
      rc = bp_error_errno (err, errno ? errno : EIO);
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
  *out = builder_finish (&b, &params);
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
  builder_free (&b);
  free (line);
  free (piece);
  return rc;
}

int
bp_model_load (const char *path, struct bp_model **out, struct bp_error *err)
{
  FILE *f = fopen (path, "r");
  int c, rc;

  *out = NULL;
  if (!f)
    return bp_error_errno (err, errno);
  /* The JSON form starts with '{', perhaps after white space.  */
  do
    c = getc (f);
  while (c == ' ' || c == '\t' || c == '\n' || c == '\r');
  if (c == EOF && ferror (f))
    {
      rc = bp_error_errno (err, errno);
      fclose (f);
      return rc;
    }
  if (fseek (f, 0, SEEK_SET) != 0)
    {
      rc = bp_error_errno (err, errno);
      fclose (f);
      return rc;
    }
  rc = c == '{' ? bp_model_read_json (f, out, err)
                : bp_model_read_text (f, out, err);
  fclose (f);
  return rc;
}

int
bp_model_write_text (FILE *f, const struct bp_model *m)
{
  const struct bp_model_params *p = &m->params;
  struct bp_buf line = { 0 };

  fprintf (f, "#bytepiece-model 1 vocab=%zu", bp_model_vocab (m));
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
  for (size_t i = 0; i < m->n; i++)
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

static uint64_t
hash_bytes (const uint8_t *p, size_t n)
{
  uint64_t h = 0xcbf29ce484222325u;  /* FNV-1a */
  for (size_t i = 0; i < n; i++)
    h = (h ^ p[i]) * 0x100000001b3u;
  return h;
}

int
bp_model_check_unique (const struct bp_model *m, size_t *dup,
                       struct bp_error *err)
{
  size_t size = 16;
  while (size < 2 * m->n)
    size *= 2;
  size_t *slot = malloc (size * sizeof *slot);
  if (!slot)
    return bp_error_set (err, BP_ENOMEM, 0, "%s", "");
  for (size_t i = 0; i < size; i++)
    slot[i] = SIZE_MAX;
  for (size_t i = 0; i < m->n; i++)
    {
      size_t len, olen;
      const uint8_t *p = bp_model_piece (m, i, &len);
      size_t h = (size_t) hash_bytes (p, len) & (size - 1);
      while (slot[h] != SIZE_MAX)
        {
          const uint8_t *o = bp_model_piece (m, slot[h], &olen);
          if (olen == len && memcmp (o, p, len) == 0)
            {
              size_t first = slot[h];
              free (slot);
              if (dup)
                *dup = i;
              return bp_error_set (err, BP_EFORMAT, 0,
                                   _("piece of id %zu repeats id %zu"),
                                   i + BP_ID_FIRST_PIECE,
                                   first + BP_ID_FIRST_PIECE);
            }
          h = (h + 1) & (size - 1);
        }
      slot[h] = i;
    }
  free (slot);
  return 0;
}
