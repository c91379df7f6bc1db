/* Fuzz target: the documents of --jsonl (jsonl.h): the string member of
   the object on a line.  The first byte picks the member's name.
   Oracles: a blank line gives nothing, anything else a document or an
   error; the document is what jansson decodes the member to; an error
   has a one-line message, whatever bytes the line holds.  */
#include <config.h>

#include <jansson.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "fuzz.h"
#include "jsonl.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static const char *const keys[] = { "text", "content", "", "a\"b" };
  if (size < 1)
    return 0;
  const char *key = keys[data[0] & 3];
  const char *line = (const char *) data + 1;
  size_t len = size - 1;
  if (memchr (line, '\n', len))
    return 0;  /* the chunker cuts lines at LF: never given one */

  struct bp_buf out = { 0 };
  struct bp_error err = { 0 };
  int rc = bp_jsonl_extract (line, len, key, &out, &err);
  int blank = 1;
  for (size_t i = 0; i < len; i++)
    if (line[i] != ' ' && line[i] != '\t' && line[i] != '\r')
      blank = 0;
  FUZZ_CHECK ((rc == 0) == blank);
  if (rc < 0)
    {
      FUZZ_CHECK (rc == BP_EFORMAT);
      FUZZ_CHECK (out.len == 0);
      fuzz_check_message (&err);
    }
  else if (rc == 1)
    {
      json_t *root = json_loadb (line, len, JSON_ALLOW_NUL, NULL);
      FUZZ_CHECK (root != NULL);
      json_t *m = json_object_get (root, key);
      FUZZ_CHECK (m && json_is_string (m));
      FUZZ_CHECK (json_string_length (m) == out.len);
      FUZZ_CHECK (out.len == 0
                  || memcmp (json_string_value (m), out.data, out.len) == 0);
      json_decref (root);
    }
  bp_buf_free (&out);
  return 0;
}
