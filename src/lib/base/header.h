/* SPDX-License-Identifier: Apache-2.0 */
/* The header line of bytepiece's text files (DESIGN.md section 2): count
   files and text models both open with "#MAGIC VERSION KEY=VALUE...",
   tokens separated by spaces.  This is the one tokenizer of that line;
   each file kind (counts.c, model.c) knows its own magic and fields.
   Also the decimal numbers those files hold.

   Everything here works on (pointer, length): a NUL byte is an ordinary
   byte of a token.  Ownership: tokens point into the caller's line.  */
#ifndef BP_HEADER_H
#define BP_HEADER_H

#include <stddef.h>
#include <stdint.h>

/* The tokens of a header line, read one after the other.  */
struct bp_header
{
  const char *line;
  size_t len, pos;
};

/* Does LINE (LEN bytes, its LF removed) start with the token MAGIC, that
   is MAGIC followed by a space or the end of the line?  */
int bp_header_is (const char *line, size_t len, const char *magic);

/* Start reading the tokens of LINE (LEN bytes, its LF removed) after the
   MAGIC it starts with (bp_header_is said so).  */
void bp_header_start (struct bp_header *h, const char *line, size_t len,
                      const char *magic);

/* The next token: returns 1 with *TOK and *N set, or 0 at the end of the
   line.  Runs of spaces separate tokens.  */
int bp_header_token (struct bp_header *h, const char **tok, size_t *n);

/* A KEY=VALUE token split at its first '='.  */
struct bp_header_field
{
  const char *key, *val;
  size_t klen, vlen;
};

/* Split the token TOK (N bytes) into F.  Returns 0, or -1 if it has no
   '='.  */
int bp_header_field (const char *tok, size_t n, struct bp_header_field *f);

/* Is S (N bytes) exactly the string LIT?  */
int bp_header_tok_is (const char *s, size_t n, const char *lit);

/* Parse the decimal number S (N bytes): digits only, no sign, no leading
   zero (except "0" itself), at most UINT64_MAX.  Returns 0 with *V set,
   or -1.  The numbers of headers and records are all written so.  */
int bp_header_u64 (const char *s, size_t n, uint64_t *v);

#endif /* BP_HEADER_H */
