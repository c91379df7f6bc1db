/* SPDX-License-Identifier: Apache-2.0 */
/* Well-formed UTF-8, as Unicode's Table 3-7 defines it.  Header-only: the
   escaping, normalisation and reporting modules all need the one
   definition, and none of them should depend on another for it.  */
#ifndef BP_UTF8_H
#define BP_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* The length (1..4) of the well-formed UTF-8 sequence that starts at P,
   of which N bytes are available, or 0 if none starts there (the byte at P
   is then "not part of a well-formed sequence": scanning left to right and
   stepping one byte on 0 classifies every byte unambiguously, because a
   continuation byte never starts a sequence).  N must be at least 1.  */
static inline size_t
bp_utf8_seqlen (const uint8_t *p, size_t n)
{
  uint8_t c = p[0];
  uint8_t lo = 0x80, hi = 0xBF;
  size_t len;

  if (c < 0x80)
    return 1;
  if (c < 0xC2)
    return 0;
  if (c < 0xE0)
    len = 2;
  else if (c < 0xF0)
    {
      len = 3;
      if (c == 0xE0)
        lo = 0xA0;
      else if (c == 0xED)
        hi = 0x9F;
    }
  else if (c < 0xF5)
    {
      len = 4;
      if (c == 0xF0)
        lo = 0x90;
      else if (c == 0xF4)
        hi = 0x8F;
    }
  else
    return 0;
  if (n < len || p[1] < lo || p[1] > hi)
    return 0;
  for (size_t i = 2; i < len; i++)
    if ((p[i] & 0xC0) != 0x80)
      return 0;
  return len;
}

/* The code point of the well-formed sequence of length LEN at P.  */
static inline uint32_t
bp_utf8_decode (const uint8_t *p, size_t len)
{
  switch (len)
    {
    case 1:
      return p[0];
    case 2:
      return ((uint32_t) (p[0] & 0x1F) << 6) | (p[1] & 0x3F);
    case 3:
      return ((uint32_t) (p[0] & 0x0F) << 12) | ((uint32_t) (p[1] & 0x3F) << 6)
             | (p[2] & 0x3F);
    default:
      return ((uint32_t) (p[0] & 0x07) << 18) | ((uint32_t) (p[1] & 0x3F) << 12)
             | ((uint32_t) (p[2] & 0x3F) << 6) | (p[3] & 0x3F);
    }
}

/* Is C a UTF-8 continuation byte (0x80..0xBF)?  */
static inline int
bp_utf8_is_cont (uint8_t c)
{
  return (c & 0xC0) == 0x80;
}

/* Are the N bytes at P fewer than a whole sequence, but a prefix that
   more bytes could still make well formed?  */
static inline int
bp_utf8_is_partial (const uint8_t *p, size_t n)
{
  size_t need;
  uint8_t lo = 0x80, hi = 0xBF;

  if (p[0] >= 0xC2 && p[0] < 0xE0)
    need = 2;
  else if (p[0] >= 0xE0 && p[0] < 0xF0)
    {
      need = 3;
      if (p[0] == 0xE0)
        lo = 0xA0;
      else if (p[0] == 0xED)
        hi = 0x9F;
    }
  else if (p[0] >= 0xF0 && p[0] < 0xF5)
    {
      need = 4;
      if (p[0] == 0xF0)
        lo = 0x90;
      else if (p[0] == 0xF4)
        hi = 0x8F;
    }
  else
    return 0;
  if (n >= need)
    return 0;
  if (n >= 2 && (p[1] < lo || p[1] > hi))
    return 0;
  for (size_t i = 2; i < n; i++)
    if (!bp_utf8_is_cont (p[i]))
      return 0;
  return 1;
}

#endif /* BP_UTF8_H */
