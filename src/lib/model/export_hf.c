/* SPDX-License-Identifier: Apache-2.0 */
/* A model as a HuggingFace tokenizer.json; see export.h.

   Every step of bytepiece's encoding has its counterpart in the
   tokenizers library: NFC (the "NFC" normaliser), chunks (a "Split"
   pre-tokenizer whose regular expression matches a run of non-LF
   characters and the LFs after it, DESIGN.md 1.1), and the unigram
   Viterbi ("Unigram" model).  Its Viterbi visits start positions in
   increasing order and replaces the best path to a position only on a
   strictly greater score, as bytepiece's does (DESIGN.md 1.6), and adds
   the same doubles in the same order; so the ids are the same when the
   scores are.  Two things need care:

   - The Unigram model works on characters, and a piece need not be UTF-8
     (bytepiece_80k has 871 pieces that cut characters, and every model
     has the single bytes 0x80..0xff).  So the text goes through the
     "ByteLevel" pre-tokenizer, which writes each byte as one character
     of GPT-2's byte-level alphabet, and every piece is written in that
     alphabet; the "ByteLevel" decoder maps the characters back to bytes.

   - The scores are doubles that must reach the Unigram model bit for
     bit.  tokenizers parses JSON with serde_json, whose default number
     parser (no "float_roundtrip" feature) is not correctly rounded: it
     converts the decimal significand to a double, then divides by a
     power of ten, two roundings that can be one unit in the last place
     off.  So each score is written as a decimal that both a correctly
     rounded parser (Python, jansson, JavaScript) and that parser read as
     the score: see score_text.  */
#include <config.h>
#include "export.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "dupcheck.h"
#include "error.h"
#include "model.h"
#include "system.h"
#include "utf8.h"

/* GPT-2's byte-level alphabet (bytes_to_unicode in its encoder.py): the
   printable bytes '!'..'~', 0xa1..0xac and 0xae..0xff stand for
   themselves as code points, the 68 others for U+0100 onwards, in byte
   order.  */
static void
byte_level_table (uint32_t cp[256])
{
  uint32_t next = 256;
  for (int b = 0; b < 256; b++)
    cp[b] = (b >= '!' && b <= '~') || (b >= 0xa1 && b <= 0xac) || b >= 0xae
              ? (uint32_t) b : next++;
}

/* Append code point C as UTF-8.  */
static int
put_utf8 (struct bp_buf *b, uint32_t c)
{
  uint8_t u[3];
  size_t n;
  if (c < 0x80)
    {
      u[0] = (uint8_t) c;
      n = 1;
    }
  else
    {
      /* The alphabet stays below U+0800.  */
      u[0] = (uint8_t) (0xC0 | c >> 6);
      u[1] = (uint8_t) (0x80 | (c & 0x3F));
      n = 2;
    }
  return bp_buf_append (b, u, n);
}

/* Append bytes P (N, well-formed UTF-8) as the inside of a JSON string.  */
static int
put_json_text (struct bp_buf *b, const uint8_t *p, size_t n)
{
  static const char hex[] = "0123456789abcdef";
  int rc = 0;
  for (size_t i = 0; i < n && !rc; i++)
    {
      uint8_t c = p[i];
      if (c == '"' || c == '\\')
        {
          char e[2] = { '\\', (char) c };
          rc = bp_buf_append (b, e, 2);
        }
      else if (c < 0x20)
        {
          char e[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
          rc = bp_buf_append (b, e, 6);
        }
      else
        rc = bp_buf_putc (b, c);
    }
  return rc;
}

/* The byte-level spelling of piece P (N bytes) into T.  */
static int
byte_level (const uint32_t cp[256], const uint8_t *p, size_t n,
            struct bp_buf *t)
{
  t->len = 0;
  for (size_t i = 0; i < n; i++)
    {
      int rc = put_utf8 (t, cp[p[i]]);
      if (rc)
        return rc;
    }
  return 0;
}

/* Write the score X (finite, at most 0) into BUF as a plain decimal
   "-I.F" that both a correctly rounded parser (Python, jansson,
   JavaScript) and serde_json's default parser read as X.  serde_json
   reads the digits as an integer SIG, converts it to a double and divides
   by 10^K, K the digits after the point.  If SIG is an integer that a
   double holds exactly and SIG / 10^K rounds to X, then both parsers
   round the same exact quotient: they agree, on X.  So look, for K from
   1 up (the shortest text first), at the doubles D nearest to |X| 10^K,
   for one with D / 10^K == |X|; write D with the point K digits from its
   right.  For some X no K works (serde_json can then not read X at all);
   they get the 17 significant digits every correct parser reads as X.
   Returns 1 if serde_json reads the result as X.  */
static int
score_text (double x, char *buf, size_t size)
{
  static const double pow10[] = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
    1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
  };
  double ax = fabs (x);
  for (int k = 1; k < (int) BP_ARRAY_SIZE (pow10); k++)
    {
      double d0 = nearbyint (ax * pow10[k]);
      if (!(d0 < 0x1p64))
        break;
      for (int j = 0; j < 7; j++)
        {
          /* d0, one double up, one down, two up, ...  */
          double d = d0;
          for (int s = 0; s < (j + 1) / 2; s++)
            d = j % 2 ? nextafter (d, INFINITY) : nextafter (d, 0);
          d = nearbyint (d);
          if (d < 0 || !(d < 0x1p64) || d / pow10[k] != ax)
            continue;
          uint64_t sig = (uint64_t) d;
          char digits[32];
          int nd = snprintf (digits, sizeof digits, "%0*" PRIu64, k + 1, sig);
          snprintf (buf, size, "%s%.*s.%s", x < 0 ? "-" : "", nd - k, digits,
                    digits + nd - k);
          return 1;
        }
    }
  snprintf (buf, size, "%.17g", x);
  return 0;
}

/* The strings of the Unigram vocabulary and of the special tokens, for
   bp_dupcheck: a special token must not be spelt like a vocabulary
   entry, or tokenizers would give it that entry's id.  */
struct names
{
  struct bp_buf bytes;
  size_t *off;
  size_t n;
};

static const uint8_t *
name_at (const void *ctx, size_t i, size_t *len)
{
  const struct names *s = ctx;
  *len = s->off[i + 1] - s->off[i];
  return s->bytes.data + s->off[i];
}

static const char *const fixed[] = { "<pad>", "<bos>", "<eos>" };

/* Check that the model can be written: the special tokens are UTF-8,
   and no two vocabulary entries or special tokens are spelt alike.  */
static int
check (const struct bp_model *m, const uint32_t cp[256],
       struct bp_error *err)
{
  size_t all = m->n + m->nspecial, first, second;
  struct names s = { { 0 }, malloc ((all + 4) * sizeof (size_t)), 0 };
  struct bp_buf t = { 0 };
  char q[200], q2[200];
  int rc = 0;

  if (!s.off)
    return bp_error_set (err, BP_ENOMEM, 0, "%s", "");
  s.off[0] = 0;
  for (size_t i = 0; i < BP_ID_FIRST_PIECE + all && !rc; i++)
    {
      size_t len;
      const uint8_t *p;
      if (i < BP_ID_FIRST_PIECE)
        {
          p = (const uint8_t *) fixed[i];
          len = 5;
        }
      else
        p = bp_model_piece (m, i - BP_ID_FIRST_PIECE, &len);
      if (i >= BP_ID_FIRST_PIECE + m->n)
        {
          /* A special token is matched in the text as it is.  */
          for (size_t k = 0; k < len && !rc;)
            {
              size_t sl = bp_utf8_seqlen (p + k, len - k);
              if (!sl)
                rc = bp_error_set (err, BP_EINVAL, 0,
                                   _("special token '%s' is not "
                                     "well-formed UTF-8, which HuggingFace "
                                     "tokenizers cannot match"),
                                   bp_model_quote (q, sizeof q, p, len));
              k += sl ? sl : 1;
            }
          t.len = 0;
          if (!rc && bp_buf_append (&t, p, len))
            rc = BP_ENOMEM;
        }
      else if (i >= BP_ID_FIRST_PIECE && byte_level (cp, p, len, &t))
        rc = BP_ENOMEM;
      else if (i < BP_ID_FIRST_PIECE)
        {
          t.len = 0;
          if (bp_buf_append (&t, p, len))
            rc = BP_ENOMEM;
        }
      if (rc == 0 && bp_buf_append (&s.bytes, t.data, t.len))
        rc = BP_ENOMEM;
      if (rc == BP_ENOMEM)
        rc = bp_error_set (err, BP_ENOMEM, 0, "%s", "");
      if (rc)
        break;
      s.off[++s.n] = s.bytes.len;
    }
  if (!rc)
    {
      int d = bp_dupcheck (s.n, name_at, &s, &first, &second);
      if (d < 0)
        rc = bp_error_set (err, BP_ENOMEM, 0, "%s", "");
      else if (d)
        {
          size_t la, lb;
          const uint8_t *pa = name_at (&s, first, &la);
          const uint8_t *pb = name_at (&s, second, &lb);
          rc = bp_error_set (err, BP_EINVAL, 0,
                             _("'%s' (id %zu) and '%s' (id %zu) have the "
                               "same spelling in HuggingFace's vocabulary"),
                             bp_model_quote (q, sizeof q, pa, la), first,
                             bp_model_quote (q2, sizeof q2, pb, lb), second);
        }
    }
  bp_buf_free (&s.bytes);
  bp_buf_free (&t);
  free (s.off);
  return rc;
}

/* The added token of id ID, spelt P (N bytes).  */
static int
put_added (struct bp_buf *b, size_t id, const uint8_t *p, size_t n,
           int last)
{
  char num[64];
  int k = snprintf (num, sizeof num, "    {\"id\": %zu, \"content\": \"", id);
  int rc = bp_buf_append (b, num, (size_t) k);
  if (!rc)
    rc = put_json_text (b, p, n);
  if (!rc)
    {
      static const char tail[] = "\", \"single_word\": false, \"lstrip\": "
                                 "false, \"rstrip\": false, \"normalized\": "
                                 "false, \"special\": true}";
      rc = bp_buf_append (b, tail, sizeof tail - 1);
    }
  if (!rc)
    rc = bp_buf_append (b, last ? "\n" : ",\n", last ? 1 : 2);
  return rc;
}

int
bp_export_hf (FILE *f, const struct bp_model *m, struct bp_error *err)
{
  uint32_t cp[256];
  struct bp_buf out = { 0 }, t = { 0 };
  size_t all = m->n + m->nspecial;
  double *score = malloc ((m->n ? m->n : 1) * sizeof *score);
  char num[80];
  int rc;

  if (!score)
    return bp_error_set (err, BP_ENOMEM, 0, "%s", "");
  byte_level_table (cp);
  if ((rc = check (m, cp, err)))
    {
      free (score);
      return rc;
    }
  bp_model_scores (m, score);

  static const char head[] =
    "{\n"
    "  \"version\": \"1.0\",\n"
    "  \"truncation\": null,\n"
    "  \"padding\": null,\n"
    "  \"added_tokens\": [\n";
  rc = bp_buf_append (&out, head, sizeof head - 1);
  for (size_t i = 0; i < BP_ID_FIRST_PIECE && !rc; i++)
    rc = put_added (&out, i, (const uint8_t *) fixed[i], 5,
                    i + 1 == BP_ID_FIRST_PIECE && m->nspecial == 0);
  for (size_t i = m->n; i < all && !rc; i++)
    {
      size_t len;
      const uint8_t *p = bp_model_piece (m, i, &len);
      rc = put_added (&out, i + BP_ID_FIRST_PIECE, p, len, i + 1 == all);
    }

  /* The normaliser follows the model's header, as bp-encode does (NFC
     unless it says normalize=none).  */
  const char *norm = m->params.normalize == 0 ? "null" : "{\"type\": \"NFC\"}";
  static const char byte_level_step[] =
    "{\"type\": \"ByteLevel\", \"add_prefix_space\": false, "
    "\"trim_offsets\": false, \"use_regex\": false}";
  if (!rc)
    {
      char *mid = NULL;
      int k = asprintf (&mid,
                        "  ],\n"
                        "  \"normalizer\": %s,\n"
                        "  \"pre_tokenizer\": {\n"
                        "    \"type\": \"Sequence\",\n"
                        "    \"pretokenizers\": [\n"
                        "      {\"type\": \"Split\", \"pattern\": "
                        "{\"Regex\": \"[^\\\\n]*\\\\n+|[^\\\\n]+\"}, "
                        "\"behavior\": \"Isolated\", \"invert\": false},\n"
                        "      %s\n"
                        "    ]\n"
                        "  },\n"
                        "  \"post_processor\": null,\n"
                        "  \"decoder\": %s,\n"
                        "  \"model\": {\n"
                        "    \"type\": \"Unigram\",\n"
                        "    \"unk_id\": null,\n"
                        "    \"byte_fallback\": false,\n"
                        "    \"vocab\": [\n",
                        norm, byte_level_step, byte_level_step);
      rc = k < 0 ? BP_ENOMEM : bp_buf_append (&out, mid, (size_t) k);
      free (mid);
    }
  /* Ids 0..2 need entries; a score no path through them can beat keeps
     them out of every segmentation even if their text reaches the model
     (Python's encode_special_tokens).  The special tokens have none: the
     tokenizer gives the added tokens the ids after the vocabulary, in
     their order, which are theirs.  */
  for (size_t i = 0; i < BP_ID_FIRST_PIECE && !rc; i++)
    {
      int k = snprintf (num, sizeof num, "      [\"%s\", -1e30]%s\n", fixed[i],
                        m->n ? "," : "");
      rc = bp_buf_append (&out, num, (size_t) k);
    }
  for (size_t i = 0; i < m->n && !rc; i++)
    {
      size_t len;
      const uint8_t *p = bp_model_piece (m, i, &len);
      char s[64];
      score_text (score[i], s, sizeof s);
      rc = byte_level (cp, p, len, &t);
      if (!rc)
        rc = bp_buf_append (&out, "      [\"", 8);
      if (!rc)
        rc = put_json_text (&out, t.data, t.len);
      if (!rc)
        {
          int k = snprintf (num, sizeof num, "\", %s]%s\n", s,
                            i + 1 < m->n ? "," : "");
          rc = bp_buf_append (&out, num, (size_t) k);
        }
    }
  if (!rc)
    rc = bp_buf_append (&out, "    ]\n  }\n}\n", 12);

  if (rc)
    rc = bp_error_set (err, BP_ENOMEM, 0, "%s", "");
  else if (fwrite (out.data, 1, out.len, f) != out.len || ferror (f))
    rc = bp_error_errno (err, errno ? errno : EIO);
  bp_buf_free (&out);
  bp_buf_free (&t);
  free (score);
  return rc;
}
