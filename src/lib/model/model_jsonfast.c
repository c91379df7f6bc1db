/* SPDX-License-Identifier: Apache-2.0 */
/* The fast reader of BytePiece's JSON models; see model_jsonfast.h.  */
#include <config.h>
#include "model_jsonfast.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "model.h"
#include "modelbuild.h"
#include "system.h"
#include "utf8.h"

/* The value of each base64 character, -1 for any other byte: a table,
   since a large model has millions of them.  */
static const int8_t b64val[256] = {
  -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 62, -1, -1, -1, 63,
  52, 53, 54, 55, 56, 57, 58, 59, 60, 61, -1, -1, -1, -1, -1, -1,
  -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
  15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, -1, -1, -1, -1, -1,
  -1, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40,
  41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, -1, -1, -1, -1, -1,
  -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1
};

long
bp_base64_decode (const char *s, size_t n, uint8_t *out)
{
  const unsigned char *u = (const unsigned char *) s;
  size_t o = 0;
  if (n == 0 || n % 4)
    return -1;
  /* The quads before the last, which has the padding if any.  */
  size_t i = 0;
  for (; i + 4 < n; i += 4)
    {
      int a = b64val[u[i]], b = b64val[u[i + 1]], c = b64val[u[i + 2]],
          d = b64val[u[i + 3]];
      if ((a | b | c | d) < 0)
        return -1;
      uint32_t w = (uint32_t) a << 18 | (uint32_t) b << 12
                   | (uint32_t) c << 6 | (uint32_t) d;
      out[o++] = (uint8_t) (w >> 16);
      out[o++] = (uint8_t) (w >> 8);
      out[o++] = (uint8_t) w;
    }
  for (; i < n; i += 4)
    {
      int v[4], pad = 0;
      for (int k = 0; k < 4; k++)
        {
          if (u[i + k] == '=' && i + 4 == n && k >= 2)
            {
              v[k] = 0;
              pad++;
              continue;
            }
          if (pad || (v[k] = b64val[u[i + k]]) < 0)
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

enum { J_MEMBER, J_LAST, J_GIVEUP, J_MORE };

/* The model being read, and where its special tokens start.  */
struct fast
{
  struct bp_model_builder b;
  size_t specials;   /* the index of the first special token (count 0),
                        or SIZE_MAX */
};

int
bp_jsonin_fill (struct bp_jsonin *in)
{
  enum { BLOCK = 1 << 16 };
  if (in->eof)
    return 0;
  if (in->pos)
    {
      memmove (in->buf, in->buf + in->pos, in->len - in->pos);
      in->len -= in->pos;
      in->pos = 0;
    }
  if (BP_ARRAY_RESERVE (in->buf, in->cap, in->len + BLOCK, 4 * BLOCK))
    return BP_ENOMEM;
  size_t got = fread (in->buf + in->len, 1, in->cap - in->len, in->f);
  in->len += got;
  if (got == 0)
    {
      if (ferror (in->f))
        return BP_EIO;
      in->eof = 1;
    }
  return 0;
}

static inline int
json_ws (char c)
{
  return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

/* The first byte at or after I of T[..N) that is not white space.  The
   files Trainer.save writes are mostly runs of spaces.  */
static inline size_t
skip_ws (const char *t, size_t i, size_t n)
{
  while (i < n)
    {
      char c = t[i];
      uint64_t w;
      if ((unsigned char) c > ' ')
        break;
      if (c == ' ' && n - i >= 8
          && (memcpy (&w, t + i, 8), w == 0x2020202020202020u))
        i += 8;
      else if (json_ws (c))
        i++;
      else
        break;
    }
  return i;
}

/* The next byte of IN that is not white space, read if need be, or -1 at
   the end of the file; IN->POS is at it.  BP_E* on a read error.  */
static int
peek (struct bp_jsonin *in)
{
  for (;;)
    {
      in->pos = skip_ws (in->buf, in->pos, in->len);
      if (in->pos < in->len)
        return (unsigned char) in->buf[in->pos];
      if (in->eof)
        return -1;
      int rc = bp_jsonin_fill (in);
      if (rc)
        return rc;
    }
}

/* The decimal digits that begin the 8 bytes at P: their number K, and
   if it is below 8 their value in *X, found eight bytes at a time (the
   ids and counts of a model are a few digits of varying length, on
   which a loop a digit mispredicts its end).  */
static inline size_t
digits8 (const char *p, uint64_t *x)
{
  const uint64_t ones = 0x0101010101010101u, highs = ones << 7;
  uint64_t w;
  memcpy (&w, p, 8);
#if defined __BYTE_ORDER__ && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  w = __builtin_bswap64 (w);    /* the first byte the lowest */
#endif
  /* Each byte's value as a digit; the first byte that is none has its
     high bit set in STOP (a byte below '0' wraps; the bytes after the
     first such may be wrong, and do not matter).  */
  uint64_t d = w - ones * '0';
  uint64_t stop = ((d + ones * (0x80 - 10)) | d) & highs;
  if (!stop)
    return 8;
  size_t k = (size_t) __builtin_ctzll (stop) / 8;
  if (k == 0)
    return 0;
  /* The K digits to the top bytes, the first the most significant,
     then pairs, quads and octets of digits summed.  */
  d <<= 8 * (8 - k);
  d = ((d & 0x0F0F0F0F0F0F0F0Fu) * (10 * 256 + 1)) >> 8;
  d = ((d & 0x00FF00FF00FF00FFu) * (100 * 65536 + 1)) >> 16;
  d = ((d & 0x0000FFFF0000FFFFu) * (10000 * ((uint64_t) 1 << 32) + 1)) >> 32;
  *x = d;
  return k;
}

/* Parse the member at *POS of T[..N) (EOF: nothing follows N): its key
   T[*K0..*K1), its id and count; *POS goes past the ',' or the '}' that
   follows it.  Returns J_MEMBER, J_LAST (the '}' of the object), J_GIVEUP,
   or J_MORE if the member goes on after N.  */
static int
parse_member (const char *t, size_t n, int eof, size_t *pos, size_t *k0,
              size_t *k1, uint64_t *id, uint64_t *count)
{
  size_t i = *pos;

#define NEED(k)                                                            \
  do                                                                       \
    {                                                                      \
      if (n - i < (size_t) (k))                                            \
        return eof ? J_GIVEUP : J_MORE;                                    \
    }                                                                      \
  while (0)
#define EXPECT(c)                                                          \
  do                                                                       \
    {                                                                      \
      i = skip_ws (t, i, n);                                               \
      NEED (1);                                                            \
      if (t[i] != (c))                                                     \
        return J_GIVEUP;                                                   \
      i++;                                                                 \
    }                                                                      \
  while (0)

  /* LAYOUT (S): if what follows is the string constant S, go past it.
     The white space of Trainer.save's layout (indent 4) is that of
     every member: compared whole, it is no longer skipped byte by
     byte.  */
#define LAYOUT(s)                                                          \
  (n - i >= sizeof s - 1 && memcmp (t + i, s, sizeof s - 1) == 0           \
   ? (i += sizeof s - 1, 1) : 0)

  /* The key: base64 has no escapes.  */
  if (!LAYOUT ("\n    \""))
    EXPECT ('"');
  *k0 = i;
  for (;; i++)
    {
      NEED (1);
      if (t[i] == '"')
        break;
      if (t[i] == '\\')
        return J_GIVEUP;
    }
  *k1 = i++;
  if (!LAYOUT (": [\n        "))
    {
      EXPECT (':');
      EXPECT ('[');
    }
  for (int f = 0; f < 3; f++)
    {
      if (f && !LAYOUT (",\n        "))
        EXPECT (',');
      i = skip_ws (t, i, n);
      NEED (1);
      if (f == 1)
        {
          /* The text: skipped, but checked as jansson checks it.  */
          if (t[i] != '"')
            return J_GIVEUP;
          for (i++;; i++)
            {
                      NEED (1);
              unsigned char c = (unsigned char) t[i];
              if (c == '"')
                break;
              if (c < 0x20)
                return J_GIVEUP;
              if (c == '\\')
                {
                  NEED (2);
                  switch (t[++i])
                    {
                    case '"': case '\\': case '/': case 'b': case 'f':
                    case 'n': case 'r': case 't':
                      continue;
                    case 'u':
                      break;
                    default:
                      return J_GIVEUP;
                    }
                  /* jansson refuses a lone surrogate; so do we.  */
                  NEED (5);
                  long u = hex4 (t, n, i + 1);
                  if (u < 0 || (u >= 0xDC00 && u <= 0xDFFF))
                    return J_GIVEUP;
                  i += 4;
                  if (u >= 0xD800 && u <= 0xDBFF)
                    {
                      NEED (7);
                      long lo = t[i + 1] == '\\' && t[i + 2] == 'u'
                                  ? hex4 (t, n, i + 3) : -1;
                      if (lo < 0xDC00 || lo > 0xDFFF)
                        return J_GIVEUP;
                      i += 6;
                    }
                }
              else if (c >= 0x80)
                {
                  if (n - i < 4 && !eof)
                    return J_MORE;
                  size_t len = bp_utf8_seqlen ((const uint8_t *) t + i,
                                               n - i);
                  if (!len)
                    return J_GIVEUP;
                  i += len - 1;
                }
            }
          i++;
          continue;
        }
      /* A small decimal integer: no sign, no fraction, no exponent.  */
      uint64_t x = 0;
      size_t d0 = i, k;
      if (n - i >= 8 && (k = digits8 (t + i, &x)) < 8)
        i += k;
      else
        while (i < n && t[i] >= '0' && t[i] <= '9' && i - d0 < 18)
          x = x * 10 + (uint64_t) (t[i++] - '0');
      NEED (1);
      if (i == d0 || (t[d0] == '0' && i - d0 > 1) || t[i] == '.'
          || t[i] == 'e' || t[i] == 'E' || (t[i] >= '0' && t[i] <= '9'))
        return J_GIVEUP;
      *(f == 0 ? id : count) = x;
    }
  if (!LAYOUT ("\n    ]"))
    EXPECT (']');
  i = skip_ws (t, i, n);
  NEED (1);
  *pos = i + 1;
  return t[i] == ',' ? J_MEMBER : t[i] == '}' ? J_LAST : J_GIVEUP;
#undef LAYOUT
#undef EXPECT
#undef NEED
}

/* Add the piece of base64 key K (KLEN bytes) with id ID and COUNT to FA.
   Returns 0, 1 to give up, or BP_ENOMEM.  */
static int
fast_add (struct fast *fa, const char *k, size_t klen, uint64_t id,
          uint64_t count)
{
  struct bp_model_builder *b = &fa->b;
  if (id != b->n + BP_ID_FIRST_PIECE)
    return 1;
  if (bp_model_builder_reserve (b))
    return BP_ENOMEM;
  if (klen == 0 || bp_buf_grow (&b->bytes, klen))
    return klen ? BP_ENOMEM : 1;
  uint8_t *p = b->bytes.data + b->bytes.len;
  long plen = bp_base64_decode (k, klen, p);
  if (plen <= 0)
    return 1;
  /* Special tokens (count 0) come last and hold no LF.  */
  if (count == 0)
    {
      if (fa->specials == SIZE_MAX)
        fa->specials = b->n;
      if (memchr (p, '\n', (size_t) plen))
        return 1;
    }
  else if (fa->specials != SIZE_MAX)
    return 1;
  return bp_model_builder_close (b, (size_t) plen, count, count == 0) ? 1 : 0;
}

static int
read_fast (struct bp_jsonin *in, struct fast *fa)
{
  int c = peek (in);
  if (c != '{')
    return c < -1 ? c : 1;
  in->pos++;
  if ((c = peek (in)) < -1)
    return c;
  if (c == '}')
    in->pos++;
  else
    for (int rc = J_MEMBER; rc != J_LAST;)
      {
        size_t i = in->pos, k0, k1;
        uint64_t id = 0, count = 0;
        rc = parse_member (in->buf, in->len, in->eof, &i, &k0, &k1, &id,
                           &count);
        if (rc == J_GIVEUP)
          return 1;
        if (rc == J_MORE)
          {
            if ((rc = bp_jsonin_fill (in)))
              return rc;
            rc = J_MEMBER;
            continue;
          }
        int r = fast_add (fa, in->buf + k0, k1 - k0, id, count);
        if (r)
          return r;
        in->pos = i;
      }
  if ((c = peek (in)) < -1)
    return c;
  return c == -1 ? 0 : 1;
}

int
bp_model_read_json_fast (struct bp_jsonin *in, struct bp_model **out)
{
  struct fast fa = { .specials = SIZE_MAX };
  int rc = read_fast (in, &fa);
  *out = NULL;
  if (rc == 0)
    {
      struct bp_error quiet;
      size_t dup;
      size_t nspecial = fa.specials == SIZE_MAX ? 0 : fa.b.n - fa.specials;
      if (!(*out = bp_model_builder_finish (&fa.b, &bp_model_params_unknown,
                                            nspecial)))
        rc = BP_ENOMEM;
      else if (bp_model_check_unique (*out, &dup, &quiet))
        {
          /* A repeated piece, or no memory to find out: jansson's reader
             says which.  */
          bp_model_free (*out);
          *out = NULL;
          rc = 1;
        }
    }
  bp_model_builder_free (&fa.b);
  return rc;
}
