/* SPDX-License-Identifier: Apache-2.0 */
/* The path of a member in JSON Lines (--jsonl=KEY): names separated by
   dots, outermost first ("meta.content" is the member "content" of the
   member "meta"), in which "\." stands for a dot inside a name and "\\"
   for a backslash.  bp-encode, bp-count and bp-stats read the member at
   the path (jsonl.h); bp-decode --jsonl writes it (jsonout.h).

   Ownership: bp_jsonpath_parse fills a caller's struct, whose memory
   bp_jsonpath_free releases.  */
#ifndef BP_JSONPATH_H
#define BP_JSONPATH_H

#include <stddef.h>
#include <stdint.h>

struct bp_error;

/* One name of a path, unescaped: (pointer, length).  */
struct bp_jsonpath_name
{
  const uint8_t *data;
  size_t len;
};

/* N names, and KEY as it was written (for messages), with END[I] the
   length of KEY up to the end of name I.  */
struct bp_jsonpath
{
  struct bp_jsonpath_name *name;
  size_t *end;
  size_t n;
  char *key;
  uint8_t *bytes;
};

/* Parse KEY (a NUL-terminated command-line argument) into PATH.  A name
   may be empty ("" is the one name "", "a." the names "a" and "").
   Returns 0, BP_EINVAL with ERR's detail saying what is wrong (a
   backslash followed by anything but '.' or '\'), or BP_ENOMEM.  */
int bp_jsonpath_parse (const char *key, struct bp_jsonpath *path,
                       struct bp_error *err);

void bp_jsonpath_free (struct bp_jsonpath *path);

#endif /* BP_JSONPATH_H */
