/* NFC normalisation of byte streams; see normalize.h.  */
#include <config.h>
#include "normalize.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unictype.h>
#include <uninorm.h>

#include "buf.h"
#include "error.h"
#include "utf8.h"

/* Starters (combining class 0) that are the second character of a
   canonical composition, so that they may merge with what comes before
   them (NFC_Quick_Check=Maybe).  Found from the Unicode 14.0 data: every
   other second character has a nonzero combining class.  The Hangul
   vowel and trailing jamo, composed algorithmically, are added below.
   tests/check_normalize.c recomputes this list from libunistring.  */
static const uint32_t composing_starters[] = {
  0x09BE, 0x09D7, 0x0B3E, 0x0B56, 0x0B57, 0x0BBE, 0x0BD7, 0x0CC2, 0x0CD5,
  0x0CD6, 0x0D3E, 0x0D57, 0x0DCF, 0x0DDF, 0x102E, 0x1B35, 0x11127, 0x1133E,
  0x11357, 0x114B0, 0x114BA, 0x114BD, 0x115AF, 0x11930
};

static int
composes_with_previous (uint32_t cp)
{
  if ((cp >= 0x1161 && cp <= 0x1175) || (cp >= 0x11A8 && cp <= 0x11C2))
    return 1;
  for (size_t i = 0; i < sizeof composing_starters / sizeof *composing_starters;
       i++)
    if (composing_starters[i] == cp)
      return 1;
  return 0;
}

static int
compute_stable (uint32_t cp)
{
  ucs4_t dec[UC_DECOMPOSITION_MAX_LENGTH];

  if (cp >= 0xD800 && cp <= 0xDFFF)
    return 0;
  if (uc_combining_class (cp) != 0 || composes_with_previous (cp))
    return 0;
  if (uc_canonical_decomposition (cp, dec) < 0)
    return 1;
  /* It decomposes: stable only if NFC composes it back (é, Hangul
     syllables), not if it is a singleton or excluded from composition.  */
  uint8_t in[4], out[16];
  size_t inlen = 0, outlen = sizeof out;
  if (cp < 0x800)
    {
      in[inlen++] = (uint8_t) (0xC0 | cp >> 6);
    }
  else if (cp < 0x10000)
    {
      in[inlen++] = (uint8_t) (0xE0 | cp >> 12);
      in[inlen++] = (uint8_t) (0x80 | ((cp >> 6) & 0x3F));
    }
  else
    {
      in[inlen++] = (uint8_t) (0xF0 | cp >> 18);
      in[inlen++] = (uint8_t) (0x80 | ((cp >> 12) & 0x3F));
      in[inlen++] = (uint8_t) (0x80 | ((cp >> 6) & 0x3F));
    }
  in[inlen++] = (uint8_t) (0x80 | (cp & 0x3F));
  uint8_t *r = u8_normalize (UNINORM_NFC, in, inlen, out, &outlen);
  if (!r)
    return 0;  /* out of memory: "unstable" is always a correct answer */
  int same = outlen == inlen && memcmp (r, in, inlen) == 0;
  if (r != out)
    free (r);
  return same;
}

/* One bit per code point, computed a block of 256 at a time on first use.
   Several threads may compute the same block; they store the same bits,
   and the atomics make that well defined.  */
#define NBLOCKS (0x110000 >> 8)
static _Atomic uint64_t stable_bits[0x110000 / 64];
static _Atomic unsigned char block_ready[NBLOCKS];

int
bp_nfc_is_stable_starter (uint32_t cp)
{
  if (cp < 0xC0)
    return 1;
  if (cp >= 0x4E00 && cp <= 0x9FFF)
    return 1;
  if (cp >= 0x110000)
    return 0;
  uint32_t b = cp >> 8;
  if (!atomic_load_explicit (&block_ready[b], memory_order_acquire))
    {
      for (uint32_t w = 0; w < 4; w++)
        {
          uint64_t bits = 0;
          for (uint32_t k = 0; k < 64; k++)
            if (compute_stable ((b << 8) | (w << 6) | k))
              bits |= (uint64_t) 1 << k;
          atomic_store_explicit (&stable_bits[(b << 2) | w], bits,
                                 memory_order_relaxed);
        }
      atomic_store_explicit (&block_ready[b], 1, memory_order_release);
    }
  return (atomic_load_explicit (&stable_bits[cp >> 6], memory_order_relaxed)
          >> (cp & 63)) & 1;
}

int
bp_is_digit (uint32_t cp)
{
  if (cp < 0x80)
    return cp >= '0' && cp <= '9';
  return uc_is_general_category (cp, UC_CATEGORY_Nd);
}

/* Append the NFC form of the segment SRC[0..N), which holds no invalid
   byte and is bounded by safe points on both sides.  */
static int
normalize_segment (struct bp_buf *dst, const uint8_t *src, size_t n)
{
  uint8_t local[1024];
  size_t len = sizeof local;
  uint8_t *r = u8_normalize (UNINORM_NFC, src, n, local, &len);
  if (!r)
    return BP_ENOMEM;  /* the input is well formed, so only ENOMEM remains */
  int rc = bp_buf_append (dst, r, len);
  if (r != local)
    free (r);
  return rc;
}

int
bp_nfc_append (struct bp_buf *dst, const uint8_t *src, size_t n, int at_end,
               size_t *consumed)
{
  size_t i = 0;
  size_t seg = 0;     /* start of the current segment: a safe point */
  size_t copied = 0;  /* SRC[copied..seg) is clean and not yet appended */
  int dirty = 0;      /* the current segment holds an unstable character */
  int rc;

#define FLUSH_SEGMENT(end)                                                  \
  do                                                                        \
    {                                                                       \
      if (dirty)                                                            \
        {                                                                   \
          if ((rc = bp_buf_append (dst, src + copied, seg - copied))        \
              || (rc = normalize_segment (dst, src + seg, (end) - seg)))    \
            return rc;                                                      \
          copied = (end);                                                   \
          dirty = 0;                                                        \
        }                                                                   \
    }                                                                       \
  while (0)

  while (i < n)
    {
      uint8_t c = src[i];
      if (c < 0x80)
        {
          FLUSH_SEGMENT (i);
          seg = i++;
          continue;
        }
      size_t len = bp_utf8_seqlen (src + i, n - i);
      if (!len)
        {
          if (!at_end && bp_utf8_is_partial (src + i, n - i))
            break;
          /* An invalid byte: a barrier on both sides, copied as it is.  */
          FLUSH_SEGMENT (i);
          seg = ++i;
          continue;
        }
      uint32_t cp = bp_utf8_decode (src + i, len);
      if (bp_nfc_is_stable_starter (cp))
        {
          FLUSH_SEGMENT (i);
          seg = i;
        }
      else
        dirty = 1;
      i += len;
    }

  size_t end;
  if (at_end)
    {
      FLUSH_SEGMENT (n);
      end = n;
    }
  else
    end = seg;  /* what follows may still combine with SRC[seg..] */
  if (copied < end && (rc = bp_buf_append (dst, src + copied, end - copied)))
    return rc;
  *consumed = end;
  return 0;
#undef FLUSH_SEGMENT
}
