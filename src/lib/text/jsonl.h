/* SPDX-License-Identifier: Apache-2.0 */
/* Documents inside JSON Lines corpora (DESIGN.md section 1.0): the string
   member at a path of names (KEY, "text" by default, "meta.content" for
   a nested one) in the JSON object on each line.

   The extractor is a push parser written for this one purpose.  It is
   fed a line in pieces of any size, checks as it goes that the line is
   JSON (RFC 8259), skips every value it does not need without building
   it, and decodes only the member's string, which it appends to a
   caller's buffer as it is read.  Its memory is a bit per level of
   nesting, whatever the line holds: a 20-million-element array beside
   the text costs nothing, and the text itself is never held whole.

   What the text is, byte for byte (bytepiece-formats(5) says the same):
   - escapes are decoded, surrogate pairs to their character;
   - a lone \udc80..\udcff stands for the byte 0x80..0xff (Python's
     "surrogateescape": bp-decode --jsonl writes every byte that is not
     part of well-formed UTF-8 so, which makes the pair a round trip);
   - any other lone surrogate becomes its three-byte generalised UTF-8
     form (ED A0 80 for \ud800, as Python's "surrogatepass" writes it),
     bytes that are not well-formed UTF-8 and pass through bytepiece
     unchanged, so nothing is lost;
   - raw bytes in a string are taken as they are, well-formed UTF-8 or
     not (DESIGN.md 1.1: invalid UTF-8 is ordinary input), the same
     bytes a surrogateescape reader would hand to the JSON parser;
   - when a name occurs twice in an object, the first one is the member
     (the one that can be streamed); the others are only checked.

   Ownership: bp_jsonl_new returns a new extractor, freed with
   bp_jsonl_free, which borrows its path.  Text is appended to a caller's
   bp_buf.  */
#ifndef BP_JSONL_H
#define BP_JSONL_H

#include <stddef.h>
#include <stdint.h>

struct bp_buf;
struct bp_error;
struct bp_jsonpath;

/* How a line ended.  */
enum bp_jsonl_result
{
  BP_JSONL_BLANK,     /* nothing but white space (space, TAB, CR) */
  BP_JSONL_TEXT,      /* the member is a string: the buffer has its text */
  BP_JSONL_NO_TEXT,   /* JSON, but no string member at the path */
  BP_JSONL_INVALID    /* not JSON */
};

struct bp_jsonl;

/* A new extractor of the member at PATH (borrowed; it must outlive the
   extractor), or NULL if out of memory.  */
struct bp_jsonl *bp_jsonl_new (const struct bp_jsonpath *path);

void bp_jsonl_free (struct bp_jsonl *j);

/* Begin a new line.  */
void bp_jsonl_start (struct bp_jsonl *j);

/* Scan the next N bytes of the line (without its LF; a LF would be white
   space to JSON), appending what they hold of the member's text to OUT.
   Returns 0; BP_EFORMAT when the line has turned out not to be JSON, with
   ERR's detail saying where (nothing more need be fed: the rest is
   ignored); or BP_ENOMEM.  The text is never longer than what was fed
   of the line so far.  */
int bp_jsonl_feed (struct bp_jsonl *j, const void *in, size_t n,
                   struct bp_buf *out, struct bp_error *err);

/* Has the member's string begun?  From then on everything appended is
   its text, and the line is a document unless it turns out not to be
   JSON.  */
int bp_jsonl_found (const struct bp_jsonl *j);

/* The line has ended: say what it was.  For BP_JSONL_NO_TEXT and
   BP_JSONL_INVALID, ERR (if not NULL) gets code BP_EFORMAT and a detail
   saying why, line 0 for the caller to fill.  */
enum bp_jsonl_result bp_jsonl_end (struct bp_jsonl *j, struct bp_error *err);

/* The extractor in one call, for a whole LINE (LEN bytes, no LF): append
   to OUT the text of the member that KEY (as bp_jsonpath_parse reads
   it) names.  Returns 1 when the line is a document, 0 when it is blank,
   BP_EFORMAT with ERR's detail when it is anything else (not JSON, no
   string member; OUT is then as it was), BP_EINVAL for a bad KEY, or
   BP_ENOMEM.  */
int bp_jsonl_extract (const void *line, size_t len, const char *key,
                      struct bp_buf *out, struct bp_error *err);

#endif /* BP_JSONL_H */
