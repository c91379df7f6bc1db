/* SPDX-License-Identifier: Apache-2.0 */
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

/* Write the UTF-8 of CP (a scalar value) to U; returns its length.  */
static size_t
utf8_encode (uint32_t cp, uint8_t *u)
{
  if (cp < 0x80)
    {
      u[0] = (uint8_t) cp;
      return 1;
    }
  if (cp < 0x800)
    {
      u[0] = (uint8_t) (0xC0 | cp >> 6);
      u[1] = (uint8_t) (0x80 | (cp & 0x3F));
      return 2;
    }
  if (cp < 0x10000)
    {
      u[0] = (uint8_t) (0xE0 | cp >> 12);
      u[1] = (uint8_t) (0x80 | ((cp >> 6) & 0x3F));
      u[2] = (uint8_t) (0x80 | (cp & 0x3F));
      return 3;
    }
  u[0] = (uint8_t) (0xF0 | cp >> 18);
  u[1] = (uint8_t) (0x80 | ((cp >> 12) & 0x3F));
  u[2] = (uint8_t) (0x80 | ((cp >> 6) & 0x3F));
  u[3] = (uint8_t) (0x80 | (cp & 0x3F));
  return 4;
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
  size_t inlen = utf8_encode (cp, in), outlen = sizeof out;
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

/* A stretch of text with no stable starter longer than this is
   normalised a run at a time (normalize.h).  */
enum { NFC_LONG = 1 << 16 };

/* The run-at-a-time normaliser.  NFC is the canonical decomposition,
   then the canonical order (each run of combining marks sorted by
   combining class, stably), then the canonical composition (each mark
   that no earlier mark of the same or a higher class separates from the
   last starter merges with it if they have a primary composite; a
   starter merges with the last starter only if nothing is between
   them).  So a run - a starter and the marks after it - is final when
   the next starter comes, except for the starter itself when all its
   marks merged into it: the next starter may still merge with it.

   A run of a million marks is written out a step at a time: a call
   writes at most about LONG_SEGMENT bytes of it, and takes no more input
   until it is out (bp_nfc_busy), so that its output never sits in memory
   beside it.  */

/* Append the UTF-8 of CP (a scalar value) to B.  */
static int
put_cp (struct bp_buf *b, uint32_t cp)
{
  uint8_t u[4];
  return bp_buf_append (b, u, utf8_encode (cp, u));
}

/* The full canonical decomposition of CP into OUT (room for MAX), as
   libunistring gives one level of it.  Returns its length.  */
static size_t
decompose (uint32_t cp, uint32_t *out, size_t max)
{
  ucs4_t d[UC_DECOMPOSITION_MAX_LENGTH];
  int k = uc_canonical_decomposition (cp, d);
  if (k < 0)
    {
      out[0] = cp;
      return 1;
    }
  size_t n = 0;
  for (int j = 0; j < k && n < max; j++)
    n += decompose (d[j], out + n, max - n);
  return n;
}

/* The next mark of S's marks at *AT, with its class; 0 at the end.  */
static int
next_mark (const struct bp_nfc *s, size_t *at, uint32_t *cp, int *ccc)
{
  if (*at >= s->marks.len)
    return 0;
  size_t len = bp_utf8_seqlen (s->marks.data + *at, s->marks.len - *at);
  *cp = bp_utf8_decode (s->marks.data + *at, len);
  *ccc = uc_combining_class (*cp);
  *at += len;
  return 1;
}

static int
has_class (const struct bp_nfc *s, int c)
{
  return (s->classes[c >> 6] >> (c & 63)) & 1;
}

static int
was_composed (const struct bp_nfc *s, size_t off)
{
  for (size_t k = 0; k < s->ncomposed; k++)
    if (s->composed[k] == off)
      return 1;
  return 0;
}

static void
clear_marks (struct bp_nfc *s)
{
  s->marks.len = 0;
  memset (s->classes, 0, sizeof s->classes);
  s->nmarks = s->ncomposed = 0;
}

/* Compose the starter with the marks of its run, in the canonical order:
   class by class, each mark while none of its class stayed before it.  */
static int
compose_run (struct bp_nfc *s)
{
  if (!s->have_starter || !s->marks.len)
    return 0;
  for (int c = 1; c < 256; c++)
    {
      if (!has_class (s, c))
        continue;
      size_t at = 0, off = 0;
      uint32_t cp;
      int ccc;
      while (next_mark (s, &at, &cp, &ccc))
        {
          if (ccc == c && !was_composed (s, off))
            {
              ucs4_t comp = uc_composition (s->starter, cp);
              if (!comp)
                break;  /* the rest of this class is blocked */
              s->starter = comp;
              if (BP_ARRAY_RESERVE (s->composed, s->composed_cap,
                                    s->ncomposed + 1, 8))
                return BP_ENOMEM;
              s->composed[s->ncomposed++] = off;
            }
          off = at;
        }
    }
  return 0;
}

/* Write out more of the marks being flushed, class by class from where
   the last step stopped, until about LIMIT bytes are written.  Returns 1
   if some are left, 0 when all are out, or BP_ENOMEM.  */
static int
flush_step (struct bp_nfc *s, struct bp_buf *dst, size_t limit)
{
  size_t start = dst->len;
  int rc;
  if (!s->flushing)
    return 0;
  for (; s->flush_class < 256; s->flush_class++, s->flush_off = 0)
    {
      if (!has_class (s, s->flush_class))
        continue;
      size_t at = s->flush_off, off = at;
      uint32_t cp;
      int ccc;
      while (next_mark (s, &at, &cp, &ccc))
        {
          if (ccc == s->flush_class && !was_composed (s, off))
            {
              if ((rc = bp_buf_append (dst, s->marks.data + off, at - off)))
                return rc;
              if (dst->len - start >= limit)
                {
                  s->flush_off = at;
                  return 1;
                }
            }
          off = at;
        }
    }
  clear_marks (s);
  s->flushing = 0;
  return 0;
}

/* Begin writing out the run: its starter, then its marks.  */
static int
start_flush (struct bp_nfc *s, struct bp_buf *dst, size_t limit)
{
  int rc;
  if (s->have_starter && (rc = put_cp (dst, s->starter)))
    return rc;
  s->have_starter = 0;
  s->flushing = 1;
  s->flush_class = 1;
  s->flush_off = 0;
  return flush_step (s, dst, limit);
}

/* The text goes on with D, a character of a decomposition.  Returns 1 if
   a run is still being written out (no more text until it is), 0, or
   BP_ENOMEM.  */
static int
feed_one (struct bp_nfc *s, struct bp_buf *dst, uint32_t d, size_t limit)
{
  int ccc = uc_combining_class (d);
  int rc;
  if (ccc)
    {
      s->classes[ccc >> 6] |= (uint64_t) 1 << (ccc & 63);
      s->nmarks++;
      return put_cp (&s->marks, d);
    }
  if ((rc = compose_run (s)))
    return rc;
  if (s->have_starter && s->ncomposed == s->nmarks)
    {
      /* Nothing is left between the two starters.  */
      clear_marks (s);
      ucs4_t comp = uc_composition (s->starter, d);
      if (comp)
        {
          s->starter = comp;
          return 0;
        }
    }
  rc = start_flush (s, dst, limit);
  s->starter = d;
  s->have_starter = 1;
  return rc;
}

/* Feed what is left of the decomposition being fed.  Returns as
   feed_one.  */
static int
feed_rest (struct bp_nfc *s, struct bp_buf *dst, size_t limit)
{
  while (s->rest_at < s->nrest)
    {
      int rc = feed_one (s, dst, s->rest[s->rest_at++], limit);
      if (rc)
        return rc;
    }
  return 0;
}

/* The text goes on with the character CP.  Returns as feed_one.  */
static int
feed (struct bp_nfc *s, struct bp_buf *dst, uint32_t cp, size_t limit)
{
  s->nrest = decompose (cp, s->rest, sizeof s->rest / sizeof *s->rest);
  s->rest_at = 0;
  return feed_rest (s, dst, limit);
}

/* The stretch ends here (a safe point, or the end of the text): write out
   the last run.  Returns as feed_one.  */
static int
finish (struct bp_nfc *s, struct bp_buf *dst, size_t limit)
{
  int rc = compose_run (s);
  if (!rc)
    rc = start_flush (s, dst, limit);
  s->finishing = rc == 1;
  if (!rc)
    s->streaming = 0;
  return rc;
}

/* Go on writing out a run, then with the text fed but not yet taken, and
   end the stretch if it was ending.  Returns as feed_one.  */
static int
resume (struct bp_nfc *s, struct bp_buf *dst, size_t limit)
{
  int rc = flush_step (s, dst, limit);
  if (!rc)
    rc = feed_rest (s, dst, limit);
  if (!rc && s->finishing)
    {
      s->finishing = 0;
      s->streaming = 0;
    }
  return rc;
}

int
bp_nfc_busy (const struct bp_nfc *s)
{
  return s->flushing || s->rest_at < s->nrest;
}

void
bp_nfc_reset (struct bp_nfc *s)
{
  s->streaming = s->finishing = s->flushing = 0;
  s->have_starter = 0;
  s->nrest = s->rest_at = 0;
  clear_marks (s);
}

void
bp_nfc_free (struct bp_nfc *s)
{
  bp_buf_free (&s->marks);
  free (s->composed);
  s->composed = NULL;
  s->composed_cap = 0;
  bp_nfc_reset (s);
}

/* bp_nfc_stream, and bp_nfc_append when S is NULL (no state: an unstable
   stretch stays unconsumed until its end).  */
static int
nfc_core (struct bp_nfc *s, struct bp_buf *dst, const uint8_t *src,
          size_t n, int at_end, size_t *consumed)
{
  size_t long_segment = s && s->long_segment ? s->long_segment : NFC_LONG;
  size_t i = 0;
  size_t seg = 0;     /* start of the current segment: a safe point */
  size_t copied = 0;  /* SRC[copied..seg) is clean and not yet appended */
  int dirty = 0;      /* the current segment holds an unstable character */
  int rc;

  *consumed = 0;
  if (s && s->streaming && (rc = resume (s, dst, long_segment)))
    return rc < 0 ? rc : 0;
  int streaming = s && s->streaming;

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
      size_t len = 1;
      uint32_t cp = c;
      int safe = 1;     /* a safe point: ASCII, invalid, stable starter */
      if (c >= 0x80)
        {
          len = bp_utf8_seqlen (src + i, n - i);
          if (!len)
            {
              if (!at_end && bp_utf8_is_partial (src + i, n - i))
                break;
              len = 0;  /* an invalid byte */
            }
          else
            {
              cp = bp_utf8_decode (src + i, len);
              safe = bp_nfc_is_stable_starter (cp);
            }
        }

      if (streaming)
        {
          if (!safe)
            {
              rc = feed (s, dst, cp, long_segment);
              if (rc < 0)
                return rc;
              i += len;
              if (rc)
                break;  /* a run is being written out */
              continue;
            }
          /* A safe point ends the stretch.  */
          if ((rc = finish (s, dst, long_segment)))
            {
              if (rc < 0)
                return rc;
              break;
            }
          streaming = 0;
          seg = copied = i;
          dirty = 0;
        }

      if (len == 0)
        {
          /* An invalid byte: a barrier on both sides, copied as it is.  */
          FLUSH_SEGMENT (i);
          seg = ++i;
          continue;
        }
      if (safe)
        {
          FLUSH_SEGMENT (i);
          seg = i;
          i += len;
          continue;
        }
      dirty = 1;
      i += len;
      if (s && i - seg > long_segment)
        {
          /* Too long to hold: normalise it a run at a time from here.
             Its runs so far are short: they were shorter than the
             limit.  */
          if ((rc = bp_buf_append (dst, src + copied, seg - copied)))
            return rc;
          for (size_t k = seg; k < i; k += len)
            {
              len = bp_utf8_seqlen (src + k, i - k);
              rc = feed (s, dst, bp_utf8_decode (src + k, len), SIZE_MAX);
              if (rc < 0)
                return rc;
            }
          streaming = 1;
          seg = copied = i;
          dirty = 0;
        }
    }

  size_t end;
  if (streaming)
    {
      /* Everything up to I is in the run normaliser.  */
      if (i == n && at_end && !bp_nfc_busy (s))
        {
          if ((rc = finish (s, dst, long_segment)) < 0)
            return rc;
          streaming = rc == 1;  /* until the last run is out */
        }
      end = copied = i;
    }
  else if (at_end)
    {
      FLUSH_SEGMENT (n);
      end = n;
    }
  else
    end = seg;  /* what follows may still combine with SRC[seg..] */
  if (copied < end && (rc = bp_buf_append (dst, src + copied, end - copied)))
    return rc;
  if (s)
    s->streaming = streaming;
  *consumed = end;
  return 0;
#undef FLUSH_SEGMENT
}

int
bp_nfc_stream (struct bp_nfc *s, struct bp_buf *dst, const uint8_t *src,
               size_t n, int at_end, size_t *consumed)
{
  return nfc_core (s, dst, src, n, at_end, consumed);
}

int
bp_nfc_append (struct bp_buf *dst, const uint8_t *src, size_t n, int at_end,
               size_t *consumed)
{
  return nfc_core (NULL, dst, src, n, at_end, consumed);
}
