/* SPDX-License-Identifier: Apache-2.0 */
/* The kinds of pieces and keys bp-stats reports: ASCII, CJK, other UTF-8
   and partial UTF-8, told apart by the bytes a piece holds.

   Characters are counted the way the rest of bytepiece counts them
   (chunk.h): a well-formed UTF-8 sequence is one character, and so is
   each byte that is not part of one.

   Ownership: arguments are borrowed; nothing is allocated.  */
#ifndef BP_PIECEKIND_H
#define BP_PIECEKIND_H

#include <stddef.h>
#include <stdint.h>

/* What a piece is made of.  Each class holds the pieces all of whose
   characters are of that class; a piece that mixes classes (ASCII with
   CJK: "\xe7\x9a\x84 ", ASCII with Latin-1: "caf\xc3\xa9") is OTHER.  */
enum bp_piece_kind
{
  BP_KIND_ASCII,    /* only bytes 0x00..0x7F */
  BP_KIND_CJK,      /* well-formed UTF-8, every character CJK (bp_is_cjk) */
  BP_KIND_OTHER,    /* well-formed UTF-8, neither of the above */
  BP_KIND_PARTIAL,  /* some byte not part of a well-formed sequence */
  BP_NKINDS
};

/* The name of KIND in reports and JSON keys: "ascii", "cjk", "other",
   "partial".  */
const char *bp_piece_kind_name (enum bp_piece_kind kind);

/* Is CP a CJK character: in a CJK Unified Ideographs block (U+4E00..9FFF,
   extension A U+3400..4DBF, and the Supplementary and Tertiary
   Ideographic Planes U+20000..3FFFF, which hold extensions B to I and the
   compatibility supplement), the CJK Compatibility Ideographs
   (U+F900..FAFF), the CJK radicals, strokes and description characters
   (U+2E80..2FDF, U+2FF0..2FFF, U+31C0..31EF), CJK Symbols and
   Punctuation (U+3000..303F), kana (U+3040..30FF, U+31F0..31FF,
   U+1AFF0..1B16F), Bopomofo (U+3100..312F, U+31A0..31BF), Kanbun
   (U+3190..319F), Hangul (U+1100..11FF, U+3130..318F, U+A960..A97F,
   U+AC00..D7FF), Enclosed CJK Letters and Months and CJK Compatibility
   (U+3200..33FF), CJK Compatibility Forms (U+FE30..FE4F), or Halfwidth
   and Fullwidth Forms (U+FF00..FFEF)?  */
int bp_is_cjk (uint32_t cp);

/* The class of the N >= 1 bytes at P.  */
enum bp_piece_kind bp_piece_classify (const uint8_t *p, size_t n);

#endif /* BP_PIECEKIND_H */
