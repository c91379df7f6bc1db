/* SPDX-License-Identifier: Apache-2.0 */
/* Fuzz target: the --jsonl extractor (jsonl.h), the member at a path in
   the object on a line.  The first byte picks the path, the second the
   sizes of the pieces the line is fed in.  Oracles: the line fed in
   pieces gives what it gives whole (result, text, message); a blank
   line is blank and nothing else is; the text is never longer than the
   line; an error has a one-line message, whatever bytes the line holds;
   and where jansson reads the line (strictly: no duplicate names, so
   that first and last agree), the result is what jansson finds at the
   path and the text what it decodes.  Jansson refuses some JSON (large
   numbers, lone surrogates, deep nesting) and reads a raw NUL as the
   end of the line: there it says nothing.  */
#include <config.h>

#include <jansson.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "fuzz.h"
#include "jsonl.h"
#include "jsonpath.h"

/* Feed LINE (LEN bytes) to J, in pieces drawn from STATE (0: whole).  */
static enum bp_jsonl_result
run (struct bp_jsonl *j, const uint8_t *line, size_t len, uint64_t state,
     struct bp_buf *out, struct bp_error *err)
{
  bp_jsonl_start (j);
  out->len = 0;
  for (size_t at = 0; at < len;)
    {
      size_t k = state ? fuzz_next (&state) % 9 : len;
      if (k > len - at)
        k = len - at;
      int rc = bp_jsonl_feed (j, line + at, k, out, err);
      FUZZ_CHECK (rc == 0 || rc == BP_EFORMAT);
      FUZZ_CHECK (out->len <= at + k);
      FUZZ_CHECK (out->len == 0 || bp_jsonl_found (j));
      if (rc)
        break;
      at += k;
    }
  return bp_jsonl_end (j, err);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static const char *const keys[] = { "text", "content", "", "a\"b",
                                      "meta.content", "a.", "\\.", "x.y.z" };
  if (size < 2)
    return 0;
  const char *key = keys[data[0] & 7];
  uint64_t state = data[1] | 1;
  const uint8_t *line = data + 2;
  size_t len = size - 2;
  if (memchr (line, '\n', len))
    return 0;  /* the chunker cuts lines at LF: never given one */

  struct bp_jsonpath path;
  FUZZ_CHECK (bp_jsonpath_parse (key, &path, NULL) == 0);
  struct bp_jsonl *j = bp_jsonl_new (&path);
  FUZZ_CHECK (j != NULL);
  struct bp_buf whole = { 0 }, parts = { 0 };
  struct bp_error err = { 0 }, perr = { 0 };
  enum bp_jsonl_result res = run (j, line, len, 0, &whole, &err);
  enum bp_jsonl_result pres = run (j, line, len, state, &parts, &perr);

  FUZZ_CHECK (res == pres);
  int blank = 1;
  for (size_t i = 0; i < len; i++)
    if (line[i] != ' ' && line[i] != '\t' && line[i] != '\r')
      blank = 0;
  FUZZ_CHECK ((res == BP_JSONL_BLANK) == blank);
  if (res == BP_JSONL_TEXT)
    {
      FUZZ_CHECK (whole.len == parts.len);
      FUZZ_CHECK (whole.len == 0
                  || memcmp (whole.data, parts.data, whole.len) == 0);
    }
  if (res == BP_JSONL_NO_TEXT || res == BP_JSONL_INVALID)
    {
      FUZZ_CHECK (err.code == BP_EFORMAT);
      FUZZ_CHECK (strcmp (err.detail, perr.detail) == 0);
      fuzz_check_message (&err);
    }

  /* The one-call form agrees.  */
  struct bp_buf one = { 0 };
  int rc = bp_jsonl_extract (line, len, key, &one, NULL);
  FUZZ_CHECK (rc == (res == BP_JSONL_TEXT ? 1
                     : res == BP_JSONL_BLANK ? 0 : BP_EFORMAT));
  FUZZ_CHECK (one.len == (rc == 1 ? whole.len : 0));

  /* Jansson takes a raw NUL for the end of its input: no oracle then.  */
  json_t *root = memchr (line, '\0', len)
                   ? NULL
                   : json_loadb ((const char *) line, len,
                                 JSON_ALLOW_NUL | JSON_DECODE_ANY
                                 | JSON_REJECT_DUPLICATES, NULL);
  if (root)
    {
      json_t *m = root;
      for (size_t i = 0; i < path.n && m; i++)
        {
          /* The names of KEYS are short and hold no NUL.  */
          char name[16];
          memcpy (name, path.name[i].data, path.name[i].len);
          name[path.name[i].len] = '\0';
          m = json_is_object (m) ? json_object_get (m, name) : NULL;
        }
      if (m && json_is_string (m))
        {
          FUZZ_CHECK (res == BP_JSONL_TEXT);
          FUZZ_CHECK (json_string_length (m) == whole.len);
          FUZZ_CHECK (whole.len == 0
                      || memcmp (json_string_value (m), whole.data,
                                 whole.len) == 0);
        }
      else
        FUZZ_CHECK (res == BP_JSONL_NO_TEXT);
      json_decref (root);
    }
  bp_buf_free (&one);
  bp_buf_free (&whole);
  bp_buf_free (&parts);
  bp_jsonl_free (j);
  bp_jsonpath_free (&path);
  return 0;
}
