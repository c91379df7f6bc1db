/* SPDX-License-Identifier: Apache-2.0 */
/* What kind of file a file is; see filekind.h.  */
#include <config.h>
#include "filekind.h"

#include <stdint.h>
#include <string.h>

#include "header.h"
#include "system.h"

/* Does P (N bytes) start with the M bytes MAGIC?  */
static int
starts (const uint8_t *p, size_t n, const char *magic, size_t m)
{
  return n >= m && memcmp (p, magic, m) == 0;
}

/* The kind of a count file whose first line is LINE (LEN bytes, no LF):
   the value of its kind= field.  */
static enum bp_filekind
counts_kind (const char *line, size_t len)
{
  struct bp_header h;
  const char *tok;
  size_t n;
  bp_header_start (&h, line, len, "#bytepiece-counts");
  while (bp_header_token (&h, &tok, &n))
    if (bp_header_tok_is (tok, n, "kind=pieces"))
      return BP_FILEKIND_PIECE_COUNTS;
    else if (bp_header_tok_is (tok, n, "kind=ngrams"))
      return BP_FILEKIND_NGRAM_COUNTS;
    else if (bp_header_tok_is (tok, n, "kind=ngram-model"))
      return BP_FILEKIND_NGRAM_MODEL;
  return BP_FILEKIND_UNKNOWN;
}

/* A JSON object whose first member is named as a member of HuggingFace's
   tokenizer.json is: none of these names is base64 of a length a multiple
   of 4, as the names of a BytePiece JSON model are.  */
static int
hf_json (const uint8_t *p, size_t n)
{
  static const char *const names[] = {
    "version", "truncation", "padding", "added_tokens", "normalizer",
    "pre_tokenizer", "post_processor", "decoder", "model"
  };
  size_t i = 0;
  while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n'
                   || p[i] == '\r'))
    i++;
  if (i == n || p[i++] != '{')
    return 0;
  while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n'
                   || p[i] == '\r'))
    i++;
  if (i == n || p[i++] != '"')
    return 0;
  for (size_t k = 0; k < BP_ARRAY_SIZE (names); k++)
    {
      size_t m = strlen (names[k]);
      if (n - i > m && memcmp (p + i, names[k], m) == 0 && p[i + m] == '"')
        return 1;
    }
  return 0;
}

/* A protobuf varint at P[*I..N), at most 5 bytes; -1 if there is none.  */
static long
varint (const uint8_t *p, size_t n, size_t *i)
{
  unsigned long v = 0;
  for (int shift = 0; shift < 35 && *i < n; shift += 7)
    {
      uint8_t b = p[(*i)++];
      v |= (unsigned long) (b & 0x7f) << shift;
      if (!(b & 0x80))
        return v <= 0x7fffffff ? (long) v : -1;
    }
  return -1;
}

/* A SentencePiece ModelProto starts with its first piece: field 1 (the
   repeated SentencePiece, tag 0x0a) holding field 1 (the piece, tag
   0x0a) of a few bytes, then its score (field 2, a float: tag 0x15) or
   its type (field 3, a varint: tag 0x18), all within the message.  */
static int
spm_model (const uint8_t *p, size_t n)
{
  size_t i = 0;
  if (n < 2 || p[i++] != 0x0a)
    return 0;
  long outer = varint (p, n, &i);
  if (outer < 4 || i == n || p[i++] != 0x0a)
    return 0;
  long piece = varint (p, n, &i);
  if (piece < 1 || piece > outer - 3 || (size_t) piece >= n - i)
    return 0;
  i += (size_t) piece;
  return p[i] == 0x15 || p[i] == 0x18;
}

/* Is P[0..N) a decimal number as SentencePiece writes a score (-12.3,
   0, 1e-05)?  */
static int
score (const uint8_t *p, size_t n)
{
  size_t i = 0, digits = 0;
  if (i < n && p[i] == '-')
    i++;
  for (; i < n && p[i] >= '0' && p[i] <= '9'; i++)
    digits++;
  if (i < n && p[i] == '.')
    for (i++; i < n && p[i] >= '0' && p[i] <= '9'; i++)
      digits++;
  if (digits && i < n && (p[i] == 'e' || p[i] == 'E'))
    {
      size_t e = ++i;
      if (i < n && (p[i] == '-' || p[i] == '+'))
        e = ++i;
      for (; i < n && p[i] >= '0' && p[i] <= '9'; i++)
        ;
      if (i == e)
        return 0;
    }
  return digits > 0 && i == n;
}

/* A SentencePiece vocabulary (spm_train's MODEL.vocab): every whole line
   of the head "PIECE TAB SCORE", the first piece one of the special ones
   SentencePiece puts first.  A plain vocabulary of bytepiece has counts,
   and no count is negative or has a fraction: unless the head has such a
   score, it must be spm_train's default start, <unk> <s> </s> with 0.  */
static int
spm_vocab (const uint8_t *p, size_t n)
{
  static const char *const first[] = { "<unk>", "<s>", "</s>", "<pad>" };
  size_t i = 0;
  int fraction = 0, first_ok = 0;
  while (i < n)
    {
      const uint8_t *lf = memchr (p + i, '\n', n - i);
      if (!lf)
        break;   /* a line cut by the end of the head */
      size_t len = (size_t) (lf - (p + i));
      const uint8_t *tab = memchr (p + i, '\t', len);
      if (!tab || tab == p + i)
        return 0;
      size_t plen = (size_t) (tab - (p + i));
      if (memchr (tab + 1, '\t', len - plen - 1)
          || !score (tab + 1, len - plen - 1))
        return 0;
      fraction |= memchr (tab + 1, '-', len - plen - 1) != NULL
                  || memchr (tab + 1, '.', len - plen - 1) != NULL;
      if (i == 0)
        for (size_t k = 0; k < BP_ARRAY_SIZE (first); k++)
          first_ok |= plen == strlen (first[k])
                      && memcmp (p + i, first[k], plen) == 0;
      i += len + 1;
    }
  if (!first_ok)
    return 0;
  return fraction
         || starts (p, n, "<unk>\t0\n<s>\t0\n</s>\t0\n", 17);
}

enum bp_filekind
bp_filekind_of (const void *head, size_t n)
{
  const uint8_t *p = head;
  if (starts (p, n, "\x1f\x8b", 2))
    return BP_FILEKIND_GZIP;
  if (starts (p, n, "\xfd" "7zXZ\0", 6))
    return BP_FILEKIND_XZ;
  if (starts (p, n, "\x28\xb5\x2f\xfd", 4))
    return BP_FILEKIND_ZSTD;
  const uint8_t *lf = memchr (p, '\n', n);
  size_t len = lf ? (size_t) (lf - p) : n;
  if (bp_header_is ((const char *) p, len, "#bytepiece-model"))
    return BP_FILEKIND_MODEL;
  if (bp_header_is ((const char *) p, len, "#bytepiece-counts"))
    return counts_kind ((const char *) p, len);
  if (hf_json (p, n))
    return BP_FILEKIND_HF_JSON;
  if (spm_model (p, n))
    return BP_FILEKIND_SPM_MODEL;
  if (spm_vocab (p, n))
    return BP_FILEKIND_SPM_VOCAB;
  return BP_FILEKIND_UNKNOWN;
}

int
bp_filekind_compressed (enum bp_filekind k)
{
  return k == BP_FILEKIND_GZIP || k == BP_FILEKIND_XZ || k == BP_FILEKIND_ZSTD;
}

const char *
bp_filekind_name (enum bp_filekind k)
{
  switch (k)
    {
    case BP_FILEKIND_MODEL:
      return _("a tokenizer model (#bytepiece-model)");
    case BP_FILEKIND_PIECE_COUNTS:
      return _("piece counts (kind=pieces)");
    case BP_FILEKIND_NGRAM_COUNTS:
      return _("n-gram counts (kind=ngrams)");
    case BP_FILEKIND_NGRAM_MODEL:
      return _("an n-gram model (kind=ngram-model)");
    case BP_FILEKIND_HF_JSON:
      return _("a HuggingFace tokenizer.json");
    case BP_FILEKIND_SPM_MODEL:
      return _("a SentencePiece model");
    case BP_FILEKIND_SPM_VOCAB:
      return _("a SentencePiece vocabulary (.vocab)");
    case BP_FILEKIND_GZIP:
      return _("gzip-compressed data");
    case BP_FILEKIND_XZ:
      return _("xz-compressed data");
    case BP_FILEKIND_ZSTD:
      return _("zstd-compressed data");
    default:
      return "";
    }
}
