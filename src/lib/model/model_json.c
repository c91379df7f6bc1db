/* SPDX-License-Identifier: Apache-2.0 */
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
#include "model_jsonfast.h"
#include "utf8.h"

static const char b64chars[] =
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

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
  if (BP_ARRAY_RESERVE (es->ent, es->cap, es->n + 1, 4096))
    return BP_ENOMEM;
  /* An empty key is no piece, and the buffer may have no memory yet:
     NULL + 0 is undefined.  */
  if (klen == 0)
    {
      *plen = -1;
      return 0;
    }
  if (bp_buf_grow (&es->bytes, klen))
    return BP_ENOMEM;
  *plen = bp_base64_decode (key, klen, es->bytes.data + es->bytes.len);
  if (*plen <= 0)
    return 0;
  es->ent[es->n++] = (struct entry) { id, es->bytes.len, (size_t) *plen,
                                      count };
  es->bytes.len += (size_t) *plen;
  return 0;
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
      *out = bp_model_new (npieces, pieces, lens, counts, NULL);
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
  struct bp_jsonin in = { .f = f };
  struct entries es = { 0 };
  int rc = 0;

  *out = NULL;
  /* A file that can seek is read a block at a time, and again from its
     start if the fast reader gives up; a pipe is read whole first.  */
  off_t start = ftello (f);
  errno = 0;
  while (start < 0 && !in.eof && rc == 0)
    rc = bp_jsonin_fill (&in);
  if (rc == 0 && (rc = bp_model_read_json_fast (&in, out)) == 0)
    goto done;
  if (rc == 1 && start >= 0)
    {
      if (fseeko (f, start, SEEK_SET))
        rc = BP_EIO;
      in.len = 0;
      in.eof = 0;
    }
  /* Not the plain layout, or something is wrong: read it again with
     jansson, which knows every JSON and says what is wrong where.  */
  in.pos = 0;
  while (rc == 1 && !in.eof)
    if ((rc = bp_jsonin_fill (&in)) == 0)
      rc = 1;
  if (rc < 0)
    {
      rc = rc == BP_EIO ? bp_error_errno (err, errno ? errno : EIO)
                        : bp_error_set (err, rc, 0, "%s", "");
      goto done;
    }
  rc = read_jansson (in.buf ? in.buf : "", in.len, &es, err);
  if (rc == 0)
    rc = build_model (&es, out, err);

done:
  entries_free (&es);
  free (in.buf);
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
