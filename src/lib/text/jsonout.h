/* SPDX-License-Identifier: Apache-2.0 */
/* Documents written as JSON Lines (bp-decode --jsonl): each document one
   object on a line, its text the string member at a path of names
   (jsonpath.h; "meta.content" gives {"meta":{"content":"..."}}), the
   form that bp-encode --jsonl reads back (jsonl.h).

   The text is written as Python's json.dumps (ensure_ascii=False,
   compact separators) writes it: '"' and '\' escaped, control
   characters as \b \f \n \r \t or \u00XX, every other well-formed UTF-8
   character as it is.  A byte that is not part of well-formed UTF-8
   (Unicode table 3-7) is written \udc80..\udcff, the lone surrogate of
   Python's "surrogateescape", which the extractor reads back as that
   byte: any bytes make a line that gives them back, and Python reads it
   with errors="surrogateescape".

   A document is written as its bytes come, in pieces of any size; the
   writer holds at most the 3 bytes of a character cut between pieces.

   Ownership: a struct bp_jsonout is a plain value that borrows its path
   (which must outlive it); output is appended to a caller's bp_buf.  */
#ifndef BP_JSONOUT_H
#define BP_JSONOUT_H

#include <stddef.h>
#include <stdint.h>

struct bp_buf;
struct bp_jsonpath;

struct bp_jsonout
{
  const struct bp_jsonpath *path;
  uint8_t pend[4];   /* the start of a character cut between pieces */
  size_t npend;
  int open;          /* a document was begun and not ended */
};

/* A writer of documents at PATH.  */
void bp_jsonout_init (struct bp_jsonout *w, const struct bp_jsonpath *path);

/* Append to OUT the N bytes of TEXT, the next piece of a document (begun
   by the first piece, or by bp_jsonout_end if there is none).  Returns 0
   or BP_ENOMEM.  */
int bp_jsonout_text (struct bp_jsonout *w, const void *text, size_t n,
                     struct bp_buf *out);

/* End the document: append the rest of its line to OUT, its LF
   included.  A document with no text is "".  Returns 0 or BP_ENOMEM.  */
int bp_jsonout_end (struct bp_jsonout *w, struct bp_buf *out);

#endif /* BP_JSONOUT_H */
