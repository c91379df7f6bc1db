/* SPDX-License-Identifier: Apache-2.0 */
/* The kinds of pieces; see piecekind.h.  */
#include <config.h>
#include "piecekind.h"

#include "system.h"
#include "utf8.h"

const char *
bp_piece_kind_name (enum bp_piece_kind kind)
{
  static const char *const name[BP_NKINDS] = { "ascii", "cjk", "other",
                                               "partial" };
  return kind < BP_NKINDS ? name[kind] : "?";
}

/* The ranges of bp_is_cjk, in increasing order (see piecekind.h for what
   each block is).  */
static const struct
{
  uint32_t lo, hi;
} cjk_ranges[] = {
  { 0x1100, 0x11FF },   /* Hangul Jamo */
  { 0x2E80, 0x2FDF },   /* CJK Radicals Supplement, Kangxi Radicals */
  { 0x2FF0, 0x303F },   /* Ideographic Description, CJK Symbols and Punct. */
  { 0x3040, 0x33FF },   /* kana, Bopomofo, Hangul Compatibility Jamo,
                           Kanbun, strokes, Enclosed CJK, CJK Compatibility */
  { 0x3400, 0x4DBF },   /* CJK Unified Ideographs Extension A */
  { 0x4E00, 0x9FFF },   /* CJK Unified Ideographs */
  { 0xA960, 0xA97F },   /* Hangul Jamo Extended-A */
  { 0xAC00, 0xD7FF },   /* Hangul Syllables, Hangul Jamo Extended-B */
  { 0xF900, 0xFAFF },   /* CJK Compatibility Ideographs */
  { 0xFE30, 0xFE4F },   /* CJK Compatibility Forms */
  { 0xFF00, 0xFFEF },   /* Halfwidth and Fullwidth Forms */
  { 0x1AFF0, 0x1B16F }, /* Kana Extended-B, Supplement, Extended-A, Small */
  { 0x20000, 0x3FFFF }, /* the Supplementary and Tertiary Ideographic
                           Planes: extensions B to I, compatibility */
};

int
bp_is_cjk (uint32_t cp)
{
  if (cp < cjk_ranges[0].lo)
    return 0;
  for (size_t i = 0; i < BP_ARRAY_SIZE (cjk_ranges); i++)
    if (cp <= cjk_ranges[i].hi)
      return cp >= cjk_ranges[i].lo;
  return 0;
}

enum bp_piece_kind
bp_piece_classify (const uint8_t *p, size_t n)
{
  int ascii = 1, cjk = 1;
  size_t i = 0;

  while (i < n)
    {
      if (p[i] < 0x80)
        {
          cjk = 0;
          i++;
          continue;
        }
      size_t len = bp_utf8_seqlen (p + i, n - i);
      if (!len)
        return BP_KIND_PARTIAL;
      ascii = 0;
      if (cjk && !bp_is_cjk (bp_utf8_decode (p + i, len)))
        cjk = 0;
      i += len;
    }
  return ascii ? BP_KIND_ASCII : cjk ? BP_KIND_CJK : BP_KIND_OTHER;
}

