/* Tokenizer models in BytePiece's JSON form (what Trainer.save writes and
   Tokenizer loads); see model.h.  The only module of the library that
   knows jansson (--jsonl has a scanner of its own, jsonl.c).  */
#include <config.h>
#include "model.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "escape.h"
#include "system.h"
#include "utf8.h"

static const char b64chars[] =
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int
b64val (unsigned char c)
{
  const char *p = c ? strchr (b64chars, c) : NULL;
  return p ? (int) (p - b64chars) : -1;
}

/* Decode the padded base64 text S (N bytes) into OUT (room for N bytes).
   Returns the length, or -1 if S is not canonical padded base64.  */
static long
b64decode (const char *s, size_t n, uint8_t *out)
{
  size_t o = 0;
  if (n == 0 || n % 4)
    return -1;
  for (size_t i = 0; i < n; i += 4)
    {
      int v[4], pad = 0;
      for (int k = 0; k < 4; k++)
        {
          if (s[i + k] == '=' && i + 4 == n && k >= 2)
            {
              v[k] = 0;
              pad++;
              continue;
            }
          if (pad || (v[k] = b64val ((unsigned char) s[i + k])) < 0)
            return -1;
        }
      uint32_t w = (uint32_t) v[0] << 18 | (uint32_t) v[1] << 12
                   | (uint32_t) v[2] << 6 | (uint32_t) v[3];
      out[o++] = (uint8_t) (w >> 16);
      if (pad < 2)
        out[o++] = (uint8_t) (w >> 8);
      if (pad < 1)
        out[o++] = (uint8_t) w;
      /* Bits below the padding must be zero, or two texts would decode
         to the same piece.  */
      if ((pad == 1 && (w & 0xFF)) || (pad == 2 && (w & 0xFFFF)))
        return -1;
    }
  return (long) o;
}

static int
b64encode_append (struct bp_buf *b, const uint8_t *p, size_t n)
{
  for (size_t i = 0; i < n; i += 3)
    {
      uint32_t w = (uint32_t) p[i] << 16;
      if (i + 1 < n)
        w |= (uint32_t) p[i + 1] << 8;
      if (i + 2 < n)
        w |= p[i + 2];
      char q[4] = { b64chars[w >> 18], b64chars[(w >> 12) & 63],
                    i + 1 < n ? b64chars[(w >> 6) & 63] : '=',
                    i + 2 < n ? b64chars[w & 63] : '=' };
      if (bp_buf_append (b, q, 4))
        return BP_ENOMEM;
    }
  return 0;
}

/* The line of TEXT on which the member named KEY starts, for messages
   about a member that parsed but makes no sense (jansson keeps no
   positions).  0 if it cannot be found.  */
static uint64_t
key_line (const char *text, size_t len, const char *key)
{
  size_t klen = strlen (key);
  for (size_t i = 0; i + klen + 2 <= len; i++)
    {
      if (text[i] != '"' || memcmp (text + i + 1, key, klen) != 0
          || text[i + 1 + klen] != '"')
        continue;
      size_t j = i + klen + 2;
      while (j < len && (text[j] == ' ' || text[j] == '\t' || text[j] == '\n'
                         || text[j] == '\r'))
        j++;
      if (j < len && text[j] == ':')
        {
          uint64_t line = 1;
          for (size_t k = 0; k < i; k++)
            line += text[k] == '\n';
          return line;
        }
    }
  return 0;
}

struct entry
{
  uint64_t id;
  size_t off, len;   /* in the decoded bytes buffer */
  uint64_t count;
};

/* The entries of a JSON model, as either reader finds them.  */
struct entries
{
  struct entry *ent;
  size_t n, cap;
  struct bp_buf bytes;   /* the decoded pieces */
};

static int
entries_add (struct entries *es, const char *key, size_t klen, uint64_t id,
             uint64_t count, long *plen)
{
  if (es->n == es->cap)
    {
      size_t cap = es->cap ? 2 * es->cap : 4096;
      struct entry *e = realloc (es->ent, cap * sizeof *e);
      if (!e)
        return BP_ENOMEM;
      es->ent = e;
      es->cap = cap;
    }
  /* An empty key is no piece, and the buffer may have no memory yet:
     NULL + 0 is undefined.  */
  if (klen == 0)
    {
      *plen = -1;
      return 0;
    }
  if (bp_buf_grow (&es->bytes, klen))
    return BP_ENOMEM;
  *plen = b64decode (key, klen, es->bytes.data + es->bytes.len);
  if (*plen <= 0)
    return 0;
  es->ent[es->n++] = (struct entry) { id, es->bytes.len, (size_t) *plen,
                                      count };
  es->bytes.len += (size_t) *plen;
  return 0;
}

/* The value of the four hex digits at T[I..I+4), or -1.  */
static long
hex4 (const char *t, size_t n, size_t i)
{
  long v = 0;
  if (i + 4 > n)
    return -1;
  for (size_t k = i; k < i + 4; k++)
    {
      char c = t[k];
      int d = c >= '0' && c <= '9' ? c - '0'
              : c >= 'a' && c <= 'f' ? c - 'a' + 10
              : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
      if (d < 0)
        return -1;
      v = v * 16 + d;
    }
  return v;
}

/* A reader for the layout Trainer.save writes, and any JSON of the same
   shape: an object whose members are "BASE64": [ID, "TEXT", COUNT].
   jansson builds a tree of the whole 6 MB of a large model first, which
   took half the time of encoding a few megabytes; this reads the pieces
   straight out of the text.  It accepts only what jansson would accept
   with the same meaning and gives up (returns 1) on anything else - an
   error, a duplicate, a number it cannot read exactly, a bad escape -
   so that the jansson reader handles it and words the message.  Returns
   0 with ES filled, 1 to give up, or BP_ENOMEM.  */
static int
read_fast (const char *t, size_t n, struct entries *es)
{
  size_t i = 0;

#define WS()                                                                \
  while (i < n && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n'              \
                   || t[i] == '\r'))                                        \
    i++
#define EXPECT(c)                                                           \
  do                                                                        \
    {                                                                       \
      WS ();                                                                \
      if (i >= n || t[i] != (c))                                            \
        return 1;                                                           \
      i++;                                                                  \
    }                                                                       \
  while (0)

  EXPECT ('{');
  WS ();
  if (i < n && t[i] == '}')
    {
      i++;
      WS ();
      return i == n ? 0 : 1;
    }
  for (;;)
    {
      /* The key: base64 has no escapes.  */
      EXPECT ('"');
      size_t k0 = i;
      while (i < n && t[i] != '"' && t[i] != '\\')
        i++;
      if (i >= n || t[i] != '"')
        return 1;
      size_t k1 = i++;
      EXPECT (':');
      EXPECT ('[');
      uint64_t v[2];
      for (int f = 0; f < 3; f++)
        {
          if (f)
            EXPECT (',');
          WS ();
          if (f == 1)
            {
              /* The text: skipped, but checked as jansson checks it.  */
              if (i >= n || t[i] != '"')
                return 1;
              for (i++;; i++)
                {
                  if (i >= n)
                    return 1;
                  unsigned char c = (unsigned char) t[i];
                  if (c == '"')
                    break;
                  if (c < 0x20)
                    return 1;
                  if (c == '\\')
                    {
                      if (++i >= n || !strchr ("\"\\/bfnrtu", t[i]))
                        return 1;
                      if (t[i] == 'u')
                        {
                          /* jansson refuses a lone surrogate; so do we.  */
                          long u = hex4 (t, n, i + 1);
                          if (u < 0 || (u >= 0xDC00 && u <= 0xDFFF))
                            return 1;
                          i += 4;
                          if (u >= 0xD800 && u <= 0xDBFF)
                            {
                              long lo = i + 2 < n && t[i + 1] == '\\'
                                             && t[i + 2] == 'u'
                                          ? hex4 (t, n, i + 3) : -1;
                              if (lo < 0xDC00 || lo > 0xDFFF)
                                return 1;
                              i += 6;
                            }
                        }
                    }
                  else if (c >= 0x80)
                    {
                      size_t len = bp_utf8_seqlen ((const uint8_t *) t + i,
                                                   n - i);
                      if (!len)
                        return 1;
                      i += len - 1;
                    }
                }
              i++;
              continue;
            }
          /* A small decimal integer: no sign, no fraction, no exponent.  */
          uint64_t x = 0;
          size_t d0 = i;
          while (i < n && t[i] >= '0' && t[i] <= '9' && i - d0 < 18)
            x = x * 10 + (uint64_t) (t[i++] - '0');
          if (i == d0 || (t[d0] == '0' && i - d0 > 1)
              || (i < n && (t[i] == '.' || t[i] == 'e' || t[i] == 'E'
                            || (t[i] >= '0' && t[i] <= '9'))))
            return 1;
          v[f == 0 ? 0 : 1] = x;
        }
      EXPECT (']');
      long plen;
      if (entries_add (es, t + k0, k1 - k0, v[0], v[1], &plen))
        return BP_ENOMEM;
      if (plen <= 0)
        return 1;
      WS ();
      if (i < n && t[i] == ',')
        {
          i++;
          continue;
        }
      EXPECT ('}');
      WS ();
      return i == n ? 0 : 1;
    }
#undef EXPECT
#undef WS
}

/* The jansson reader, for everything read_fast gives up on.  Returns 0
   with ES filled, or an error in ERR.  */
static int
read_jansson (const char *t, size_t len, struct entries *es,
              struct bp_error *err)
{
  json_error_t jerr;
  json_t *root = json_loadb (t, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL,
                             &jerr);
  int rc = 0;

  /* jansson's message may show some of the text: quoted escaped.  */
  char q[BP_QUOTE_SIZE (JSON_ERROR_TEXT_LENGTH)];
  if (!root)
    return bp_error_set (err, BP_EFORMAT,
                         jerr.line > 0 ? (uint64_t) jerr.line : 0,
                         _("invalid JSON model: %s"),
                         bp_escape_quote (q, JSON_ERROR_TEXT_LENGTH, jerr.text,
                                          strlen (jerr.text)));
  if (!json_is_object (root))
    {
      json_decref (root);
      return bp_error_set (err, BP_EFORMAT, 1,
                           _("a JSON model must be an object"));
    }

  size_t n = json_object_size (root);
  const char *key;
  json_t *val;
  json_object_foreach (root, key, val)
    {
      size_t klen = strlen (key);
      json_t *jid = NULL, *jcount = NULL;
      const char *why = NULL;
      long plen = 0;

      if (json_is_array (val) && json_array_size (val) == 3)
        {
          jid = json_array_get (val, 0);
          jcount = json_array_get (val, 2);
        }
      if (!jid)
        why = _("value is not [id, text, count]");
      else if (!json_is_integer (jid)
               || json_integer_value (jid) < BP_ID_FIRST_PIECE
               || (uint64_t) json_integer_value (jid)
                  >= n + BP_ID_FIRST_PIECE)
        why = _("id out of range");
      else if (!json_is_integer (jcount) || json_integer_value (jcount) < 0)
        why = _("count is not an integer of 0 or more");
      else if (entries_add (es, key, klen,
                            (uint64_t) json_integer_value (jid),
                            (uint64_t) json_integer_value (jcount), &plen))
        {
          rc = bp_error_set (err, BP_ENOMEM, 0, "%s", "");
          break;
        }
      else if (plen <= 0)
        why = _("key is not a base64 piece");
      if (why)
        {
          rc = bp_error_set (err, BP_EFORMAT, key_line (t, len, key),
                             _("piece \"%s\": %s"),
                             bp_escape_quote (q, BP_QUOTE_INPUT, key, klen),
                             why);
          break;
        }
    }
  json_decref (root);
  return rc;
}

/* Make the model of the entries ES: ids must be 3 .. n + 2, each once,
   and no piece may repeat.  */
static int
build_model (const struct entries *es, struct bp_model **out,
             struct bp_error *err)
{
  size_t n = es->n;
  int rc = 0;
  size_t *at = malloc ((n ? n : 1) * sizeof *at);
  const uint8_t **pieces = malloc ((n ? n : 1) * sizeof *pieces);
  size_t *lens = malloc ((n ? n : 1) * sizeof *lens);
  uint64_t *counts = malloc ((n ? n : 1) * sizeof *counts);

  *out = NULL;
  if (!at || !pieces || !lens || !counts)
    rc = bp_error_set (err, BP_ENOMEM, 0, "%s", "");
  for (size_t i = 0; i < n && !rc; i++)
    at[i] = SIZE_MAX;
  for (size_t i = 0; i < n && !rc; i++)
    {
      uint64_t id = es->ent[i].id;
      if (id < BP_ID_FIRST_PIECE || id >= n + BP_ID_FIRST_PIECE)
        rc = bp_error_set (err, BP_EFORMAT, 0,
                           _("id %" PRIu64 " out of range"), id);
      else if (at[id - BP_ID_FIRST_PIECE] != SIZE_MAX)
        rc = bp_error_set (err, BP_EFORMAT, 0,
                           _("id %" PRIu64 " is used twice"), id);
      else
        at[id - BP_ID_FIRST_PIECE] = i;
    }
  /* The special tokens (count 0) are the last ids.  */
  size_t npieces = n;
  for (size_t i = 0; i < n && !rc; i++)
    {
      const struct entry *e = &es->ent[at[i]];
      pieces[i] = es->bytes.data + e->off;
      lens[i] = e->len;
      counts[i] = e->count;
      if (e->count == 0 && npieces == n)
        npieces = i;
      else if (e->count && npieces < n)
        rc = bp_error_set (err, BP_EFORMAT, 0,
                           _("id %zu has a count and id %zu, before it, "
                             "has none: the special tokens (count 0) come "
                             "last"), i + BP_ID_FIRST_PIECE,
                           npieces + BP_ID_FIRST_PIECE);
    }
  if (!rc)
    {
      struct bp_model_params params = { -1, -1, -1, -1, -1, -1 };
      *out = bp_model_new (npieces, pieces, lens, counts, &params);
      if (!*out)
        rc = bp_error_set (err, BP_EFORMAT, 0,
                           _("counts add up to more than 64 bits hold"));
      else if ((rc = bp_model_add_specials (*out, n - npieces,
                                            pieces + npieces, lens + npieces,
                                            err)))
        {
          /* A special token that is also a piece is a repeated piece
             here.  */
          if (rc == BP_EINVAL)
            rc = BP_EFORMAT;
        }
      else
        {
          size_t dup;
          rc = bp_model_check_unique (*out, &dup, err);
        }
      if (rc && *out)
        {
          bp_model_free (*out);
          *out = NULL;
        }
    }
  free (at);
  free (pieces);
  free (lens);
  free (counts);
  return rc;
}

static void
entries_free (struct entries *es)
{
  free (es->ent);
  bp_buf_free (&es->bytes);
  memset (es, 0, sizeof *es);
}

int
bp_model_read_json (FILE *f, struct bp_model **out, struct bp_error *err)
{
  struct bp_buf text = { 0 };
  struct entries es = { 0 };
  int rc = 0;

  *out = NULL;
  /* Read it all: the model is needed whole anyway, and the text lets an
     error name its line.  */
  for (;;)
    {
      if (bp_buf_grow (&text, 1 << 16))
        {
          rc = bp_error_set (err, BP_ENOMEM, 0, "%s", "");
          goto done;
        }
      size_t got = fread (text.data + text.len, 1, text.cap - text.len, f);
      text.len += got;
      if (got == 0)
        break;
    }
  if (ferror (f))
    {
      rc = bp_error_errno (err, errno ? errno : EIO);
      goto done;
    }

  const char *t = (const char *) text.data;
  rc = read_fast (t, text.len, &es);
  if (rc == 0)
    {
      struct bp_error quiet;
      if (build_model (&es, out, &quiet) == 0)
        goto done;
    }
  else if (rc < 0)
    {
      rc = bp_error_set (err, rc, 0, "%s", "");
      goto done;
    }
  /* Not the plain layout, or something is wrong: read it again with
     jansson, which knows every JSON and says what is wrong where.  */
  entries_free (&es);
  rc = read_jansson (t, text.len, &es, err);
  if (rc == 0)
    rc = build_model (&es, out, err);

done:
  entries_free (&es);
  bp_buf_free (&text);
  return rc;
}

/* Append S as a JSON string the way Python's json module writes it with
   ensure_ascii=False: only '"', '\\' and C0 controls are escaped.  */
static int
json_string_append (struct bp_buf *b, const uint8_t *s, size_t n)
{
  static const char hex[] = "0123456789abcdef";
  int rc = bp_buf_putc (b, '"');
  for (size_t i = 0; i < n && !rc; i++)
    {
      uint8_t c = s[i];
      char esc[6];
      size_t elen = 2;
      esc[0] = '\\';
      switch (c)
        {
        case '"': esc[1] = '"'; break;
        case '\\': esc[1] = '\\'; break;
        case '\n': esc[1] = 'n'; break;
        case '\r': esc[1] = 'r'; break;
        case '\t': esc[1] = 't'; break;
        case '\b': esc[1] = 'b'; break;
        case '\f': esc[1] = 'f'; break;
        default:
          if (c >= 0x20)
            {
              rc = bp_buf_putc (b, c);
              continue;
            }
          memcpy (esc + 1, "u00", 3);
          esc[4] = hex[c >> 4];
          esc[5] = hex[c & 15];
          elen = 6;
        }
      rc = bp_buf_append (b, esc, elen);
    }
  return rc ? rc : bp_buf_putc (b, '"');
}

/* The piece as Python's bytes.decode (errors='ignore') gives it: the
   bytes of well-formed UTF-8 sequences, the others dropped.  */
static int
utf8_ignore_append (struct bp_buf *b, const uint8_t *p, size_t n)
{
  uint8_t tmp[256];
  struct bp_buf t = { 0 };
  uint8_t *d = n <= sizeof tmp ? tmp : NULL;
  size_t o = 0;
  if (!d)
    {
      if (bp_buf_grow (&t, n))
        return BP_ENOMEM;
      d = t.data;
    }
  for (size_t i = 0; i < n;)
    {
      size_t len = bp_utf8_seqlen (p + i, n - i);
      if (!len)
        {
          i++;
          continue;
        }
      memcpy (d + o, p + i, len);
      o += len;
      i += len;
    }
  int rc = json_string_append (b, d, o);
  bp_buf_free (&t);
  return rc;
}

int
bp_model_write_json (FILE *f, const struct bp_model *m)
{
  struct bp_buf b = { 0 };
  int rc = 0;

  size_t all = m->n + m->nspecial;

  if (all == 0)
    {
      fputs ("{}", f);
      return ferror (f) ? BP_EIO : 0;
    }
  fputs ("{\n", f);
  for (size_t i = 0; i < all && !rc; i++)
    {
      size_t len;
      const uint8_t *p = bp_model_piece (m, i, &len);
      char num[64];
      b.len = 0;
      rc = bp_buf_append (&b, "    \"", 5);
      if (!rc)
        rc = b64encode_append (&b, p, len);
      if (!rc)
        {
          int k = snprintf (num, sizeof num, "\": [\n        %zu,\n        ",
                            i + BP_ID_FIRST_PIECE);
          rc = bp_buf_append (&b, num, (size_t) k);
        }
      if (!rc)
        rc = utf8_ignore_append (&b, p, len);
      if (!rc)
        {
          int k = snprintf (num, sizeof num, ",\n        %" PRIu64 "\n    ]%s",
                            m->count[i], i + 1 < all ? ",\n" : "\n");
          rc = bp_buf_append (&b, num, (size_t) k);
        }
      if (!rc)
        fwrite (b.data, 1, b.len, f);
    }
  if (!rc)
    fputs ("}", f);
  bp_buf_free (&b);
  if (rc)
    return rc;
  return ferror (f) ? BP_EIO : 0;
}
