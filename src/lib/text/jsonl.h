/* Documents inside JSON Lines corpora: the string member KEY of the
   object on one line, the way most language-model corpora are shipped.

   Ownership: arguments are borrowed; the text is appended to a caller's
   bp_buf.  */
#ifndef BP_JSONL_H
#define BP_JSONL_H

#include <stddef.h>
#include <stdint.h>

struct bp_buf;
struct bp_error;

/* Parse LINE (LEN bytes, no LF) as a JSON object and append the bytes of
   its string member KEY to OUT.  Returns 1 when a document was appended,
   0 when the line is blank (only spaces, tabs or a CR: skipped), or
   BP_EFORMAT with ERR's detail saying why (not JSON, not an object, no
   such member, not a string), or BP_ENOMEM.  ERR's line is left 0 for
   the caller to fill.  */
int bp_jsonl_extract (const char *line, size_t len, const char *key,
                      struct bp_buf *out, struct bp_error *err);

#endif /* BP_JSONL_H */
