/* SPDX-License-Identifier: Apache-2.0 */
/* A model as a SentencePiece ModelProto; see export.h.

   The protobuf is written by hand: the file is a few length-delimited
   messages of strings, floats and small integers, written once and never
   read, and a protobuf library (protobuf-c) would add a code generator
   and a build dependency for what fits in these few functions (HACKING).
   Field numbers and meanings are those of sentencepiece_model.proto.  */
#include <config.h>
#include "export.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "dupcheck.h"
#include "error.h"
#include "model.h"
#include "system.h"
#include "utf8.h"

/* Protobuf wire types.  */
enum
{
  WT_VARINT = 0,
  WT_LEN = 2,
  WT_FIXED32 = 5
};

/* SentencePiece.Type.  */
enum
{
  SP_NORMAL = 1,
  SP_UNKNOWN = 2,
  SP_CONTROL = 3,
  SP_USER_DEFINED = 4,
  SP_BYTE = 6
};

static int
put_varint (struct bp_buf *b, uint64_t v)
{
  uint8_t d[10];
  size_t n = 0;
  do
    {
      d[n] = (uint8_t) (v & 0x7F);
      v >>= 7;
      if (v)
        d[n] |= 0x80;
      n++;
    }
  while (v);
  return bp_buf_append (b, d, n);
}

static int
put_key (struct bp_buf *b, unsigned field, unsigned wt)
{
  return put_varint (b, (uint64_t) field << 3 | wt);
}

static int
put_bytes (struct bp_buf *b, unsigned field, const void *p, size_t n)
{
  int rc = put_key (b, field, WT_LEN);
  if (!rc)
    rc = put_varint (b, n);
  return rc ? rc : bp_buf_append (b, p, n);
}

static int
put_uint (struct bp_buf *b, unsigned field, uint64_t v)
{
  int rc = put_key (b, field, WT_VARINT);
  return rc ? rc : put_varint (b, v);
}

static int
put_float (struct bp_buf *b, unsigned field, float v)
{
  uint32_t u;
  memcpy (&u, &v, sizeof u);
  uint8_t le[4] = { (uint8_t) u, (uint8_t) (u >> 8), (uint8_t) (u >> 16),
                    (uint8_t) (u >> 24) };
  int rc = put_key (b, field, WT_FIXED32);
  return rc ? rc : bp_buf_append (b, le, 4);
}

/* Append a ModelProto.SentencePiece (field 1 of ModelProto) to OUT, its
   text P (N bytes), SCORE and TYPE; TMP is scratch.  */
static int
put_piece (struct bp_buf *out, struct bp_buf *tmp, const void *p, size_t n,
           float score, int type)
{
  int rc;
  tmp->len = 0;
  if ((rc = put_bytes (tmp, 1, p, n)) || (rc = put_float (tmp, 2, score)))
    return rc;
  if (type != SP_NORMAL && (rc = put_uint (tmp, 3, (uint64_t) type)))
    return rc;
  return put_bytes (out, 1, tmp->data, tmp->len);
}

/* Does SentencePiece hold the single byte B as an ordinary piece?  The
   ASCII characters are whole characters of UTF-8 text, so they take part
   in its Viterbi with their own scores; NUL cannot (its trie keys end at a
   NUL) and the bytes from 0x80 are not characters: those are byte pieces,
   reached only through byte fallback.  BytePiece's
   convert_to_sentencepiece keeps only the printable ASCII characters;
   control characters (TAB, LF) as ordinary pieces agree with bp-encode
   more often.  */
static int
byte_is_normal (uint8_t b)
{
  return b >= 0x01 && b < 0x80;
}

/* The text of piece I as SentencePiece spells it, into T: each space
   written U+2581, as its normaliser writes spaces (escape_whitespaces).  */
static int
spelling (const struct bp_model *m, size_t i, struct bp_buf *t)
{
  size_t len;
  const uint8_t *p = bp_model_piece (m, i, &len);
  t->len = 0;
  for (size_t k = 0; k < len; k++)
    {
      int rc = p[k] == ' ' ? bp_buf_append (t, "\xe2\x96\x81", 3)
                           : bp_buf_putc (t, p[k]);
      if (rc)
        return rc;
    }
  return 0;
}

/* The spellings of the ordinary pieces, for bp_dupcheck: the bytes of
   all of them and where each starts.  */
struct spellings
{
  struct bp_buf bytes;
  size_t *off;   /* n + 1 entries */
  size_t *id;    /* the model index of each */
  size_t n;
};

static const uint8_t *
spelling_at (const void *ctx, size_t i, size_t *len)
{
  const struct spellings *s = ctx;
  *len = s->off[i + 1] - s->off[i];
  return s->bytes.data + s->off[i];
}

/* Check that every piece can be a SentencePiece piece, and that no two
   ordinary or user-defined pieces are spelt alike.  */
static int
check (const struct bp_model *m, struct bp_error *err)
{
  struct spellings s = { { 0 }, NULL, NULL, 0 };
  struct bp_buf t = { 0 };
  size_t all = m->n + m->nspecial, first, second;
  char q[200], q2[200];
  int rc = 0;

  s.off = malloc ((all + 1) * sizeof *s.off);
  s.id = malloc ((all + 1) * sizeof *s.id);
  if (!s.off || !s.id)
    rc = bp_error_set (err, BP_ENOMEM, 0, "%s", "");
  for (size_t i = 0; i < all && !rc; i++)
    {
      size_t len;
      const uint8_t *p = bp_model_piece (m, i, &len);
      if (len == 1 && i < m->n && !byte_is_normal (p[0]))
        continue;
      for (size_t k = 0; k < len && !rc;)
        {
          size_t sl = bp_utf8_seqlen (p + k, len - k);
          if (sl == 0)
            rc = bp_error_set (err, BP_EINVAL, 0,
                               _("piece '%s' (id %zu) is not well-formed "
                                 "UTF-8, which SentencePiece cannot hold"),
                               bp_model_quote (q, sizeof q, p, len),
                               i + BP_ID_FIRST_PIECE);
          else if (p[k] == 0)
            rc = bp_error_set (err, BP_EINVAL, 0,
                               _("piece '%s' (id %zu) holds a NUL byte, "
                                 "which SentencePiece cannot hold"),
                               bp_model_quote (q, sizeof q, p, len),
                               i + BP_ID_FIRST_PIECE);
          k += sl ? sl : 1;
        }
      if (rc)
        break;
      if ((rc = spelling (m, i, &t))
          || (s.off[s.n] = s.bytes.len, rc = bp_buf_append (&s.bytes, t.data,
                                                            t.len)))
        {
          rc = bp_error_set (err, BP_ENOMEM, 0, "%s", "");
          break;
        }
      s.id[s.n++] = i;
      s.off[s.n] = s.bytes.len;
    }
  if (!rc)
    {
      int d = bp_dupcheck (s.n, spelling_at, &s, &first, &second);
      if (d < 0)
        rc = bp_error_set (err, BP_ENOMEM, 0, "%s", "");
      else if (d)
        {
          size_t a = s.id[first], b = s.id[second], la, lb;
          const uint8_t *pa = bp_model_piece (m, a, &la);
          const uint8_t *pb = bp_model_piece (m, b, &lb);
          rc = bp_error_set (err, BP_EINVAL, 0,
                             _("pieces '%s' (id %zu) and '%s' (id %zu) are "
                               "the same in SentencePiece, which writes "
                               "spaces U+2581"),
                             bp_model_quote (q, sizeof q, pa, la),
                             a + BP_ID_FIRST_PIECE,
                             bp_model_quote (q2, sizeof q2, pb, lb),
                             b + BP_ID_FIRST_PIECE);
        }
    }
  bp_buf_free (&s.bytes);
  bp_buf_free (&t);
  free (s.off);
  free (s.id);
  return rc;
}

int
bp_export_spm (FILE *f, const struct bp_model *m, struct bp_error *err)
{
  struct bp_buf out = { 0 }, tmp = { 0 }, t = { 0 };
  double *score = malloc ((m->n ? m->n : 1) * sizeof *score);
  unsigned char is_byte_piece[256] = { 0 };
  char name[8];
  size_t npieces = BP_ID_FIRST_PIECE + m->n + m->nspecial;
  int rc;

  if (!score)
    return bp_error_set (err, BP_ENOMEM, 0, "%s", "");
  if ((rc = check (m, err)))
    {
      free (score);
      return rc;
    }
  bp_model_scores (m, score);

  /* Ids 0..2: what BytePiece's converter writes (and SentencePiece's
     default unk_id, bos_id, eos_id).  */
  rc = put_piece (&out, &tmp, "<unk>", 5, 0, SP_UNKNOWN);
  if (!rc)
    rc = put_piece (&out, &tmp, "<s>", 3, 0, SP_CONTROL);
  if (!rc)
    rc = put_piece (&out, &tmp, "</s>", 4, 0, SP_CONTROL);

  /* The pieces at their ids, scores rounded to float (the only width
     SentencePiece has).  */
  for (size_t i = 0; i < m->n && !rc; i++)
    {
      size_t len;
      const uint8_t *p = bp_model_piece (m, i, &len);
      if (len == 1 && !byte_is_normal (p[0]))
        {
          snprintf (name, sizeof name, "<0x%02X>", p[0]);
          is_byte_piece[p[0]] = 1;
          rc = put_piece (&out, &tmp, name, 6, (float) score[i], SP_BYTE);
          continue;
        }
      if (!(rc = spelling (m, i, &t)))
        rc = put_piece (&out, &tmp, t.data, t.len, (float) score[i],
                        SP_NORMAL);
    }
  /* The special tokens, which SentencePiece always matches whole.  */
  for (size_t i = m->n; i < m->n + m->nspecial && !rc; i++)
    if (!(rc = spelling (m, i, &t)))
      rc = put_piece (&out, &tmp, t.data, t.len, 0, SP_USER_DEFINED);
  /* Byte fallback needs a byte piece for each of the 256 bytes: the
     ASCII ones that are ordinary pieces get one more, after every id of
     the model, which nothing ever produces (an ASCII character always
     has its ordinary piece).  */
  for (int b = 0; b < 256 && !rc; b++)
    if (!is_byte_piece[b])
      {
        snprintf (name, sizeof name, "<0x%02X>", b);
        rc = put_piece (&out, &tmp, name, 6, -100, SP_BYTE);
        npieces++;
      }

  /* TrainerSpec (field 2): unigram, the vocabulary size, byte fallback.  */
  tmp.len = 0;
  if (!rc)
    rc = put_uint (&tmp, 3, 1);           /* model_type: UNIGRAM */
  if (!rc)
    rc = put_uint (&tmp, 4, npieces);     /* vocab_size */
  if (!rc)
    rc = put_uint (&tmp, 21, 0);          /* split_by_unicode_script */
  if (!rc)
    rc = put_uint (&tmp, 35, 1);          /* byte_fallback */
  if (!rc)
    rc = put_bytes (&out, 2, tmp.data, tmp.len);
  /* NormalizerSpec (field 3): the identity, and nothing added or folded:
     the text is taken as it is (normalised beforehand, see bytepiece(7)).  */
  tmp.len = 0;
  if (!rc)
    rc = put_bytes (&tmp, 1, "identity", 8);   /* name */
  if (!rc)
    rc = put_bytes (&tmp, 2, "", 0);           /* precompiled_charsmap */
  if (!rc)
    rc = put_uint (&tmp, 3, 0);                /* add_dummy_prefix */
  if (!rc)
    rc = put_uint (&tmp, 4, 0);                /* remove_extra_whitespaces */
  if (!rc)
    rc = put_uint (&tmp, 5, 1);                /* escape_whitespaces */
  if (!rc)
    rc = put_bytes (&out, 3, tmp.data, tmp.len);

  if (rc)
    rc = bp_error_set (err, BP_ENOMEM, 0, "%s", "");
  else if (fwrite (out.data, 1, out.len, f) != out.len || ferror (f))
    rc = bp_error_errno (err, errno ? errno : EIO);
  bp_buf_free (&out);
  bp_buf_free (&tmp);
  bp_buf_free (&t);
  free (score);
  return rc;
}
