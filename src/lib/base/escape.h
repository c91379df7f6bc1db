/* SPDX-License-Identifier: Apache-2.0 */
/* Byte escaping, the one way every byte string is written as a field of a
   bytepiece text file (DESIGN.md section 2): "\\", "\t", "\n", "\r"; other C0
   controls, DEL and every byte that is not part of a well-formed UTF-8
   sequence as "\xhh" in lower case; everything else literal, so Chinese
   and English stay readable.  Escaping is exactly reversible, and an
   escaped field never holds a TAB, LF, CR or other ASCII whitespace other
   than the space character.

   Ownership: arguments are borrowed; nothing here allocates except by
   growing a caller's struct bp_buf.  */
#ifndef BP_ESCAPE_H
#define BP_ESCAPE_H

#include <stddef.h>
#include <stdint.h>

struct bp_buf;

/* The most bytes bp_escape can write for N input bytes.  */
#define BP_ESCAPE_MAX(n) ((n) * 4)

/* Escape the N bytes at SRC into DST, which has room for BP_ESCAPE_MAX (N)
   bytes.  Returns the number of bytes written (no NUL is added).  If
   SPACE is nonzero, the space character is escaped too, as "\x20" (the
   token layout of bp-encode --format=pieces, where spaces separate
   pieces).  */
size_t bp_escape (const uint8_t *src, size_t n, char *dst, int space);

/* Append the escaped form of SRC to B.  Returns 0 or BP_ENOMEM.  */
int bp_escape_append (struct bp_buf *b, const uint8_t *src, size_t n,
                      int space);

/* Unescape the N bytes at SRC into DST, which has room for N bytes
   (unescaping never lengthens).  Accepts "\xhh" for any byte in either
   case, and any byte other than '\\' literally.  Returns the number of
   bytes written, or -1 on a malformed escape, with *BAD (if not NULL) set
   to its offset in SRC.  */
long bp_unescape (const char *src, size_t n, uint8_t *dst, size_t *bad);

/* Quoting input in a message.  A message that copies input bytes as they
   are can break a line (a LF in a JSON key), be cut (a NUL in an id) or
   send control sequences to the terminal (an ESC in a model header); a
   message quotes input in its escaped form instead, as the text formats
   write it, and only its first bytes: BP_QUOTE_INPUT of them, unless
   the message has a reason to show more.  */
#define BP_QUOTE_INPUT 40
#define BP_QUOTE_SIZE(max) (BP_ESCAPE_MAX (max) + 4)

/* Write to DST (BP_QUOTE_SIZE (MAX) bytes) the escaped form of SRC (N
   bytes), cut after at most MAX bytes of SRC at a character boundary and
   then followed by "..." if SRC is longer, and a NUL.  Returns DST, for
   use as an argument of bp_error_set:
     char q[BP_QUOTE_SIZE (BP_QUOTE_INPUT)];
     bp_error_set (err, BP_EFORMAT, line, _("invalid id '%s'"),
                   bp_escape_quote (q, BP_QUOTE_INPUT, tok, len));  */
const char *bp_escape_quote (char *dst, size_t max, const void *src,
                             size_t n);

/* Is SRC (N bytes) exactly what bp_escape (…, 0) writes for the bytes it
   stands for?  Count files rely on canonical keys for their sort order.  */
int bp_escape_is_canonical (const char *src, size_t n);

#endif /* BP_ESCAPE_H */
