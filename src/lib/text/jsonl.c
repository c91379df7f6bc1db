/* Extracting documents from JSON Lines; see jsonl.h.  */
#include <config.h>
#include "jsonl.h"

#include <jansson.h>

#include "buf.h"
#include "error.h"
#include "escape.h"
#include "system.h"

int
bp_jsonl_extract (const char *line, size_t len, const char *key,
                  struct bp_buf *out, struct bp_error *err)
{
  size_t i;
  json_error_t jerr;
  json_t *root, *member;
  int rc;

  for (i = 0; i < len; i++)
    if (line[i] != ' ' && line[i] != '\t' && line[i] != '\r')
      break;
  if (i == len)
    return 0;

  /* JSON_ALLOW_NUL: "\u0000" is ordinary text for us.  Messages quote
     jansson's text (which may show some of the line) and the key
     escaped.  */
  char q[BP_QUOTE_SIZE (JSON_ERROR_TEXT_LENGTH)];
  root = json_loadb (line, len, JSON_ALLOW_NUL, &jerr);
  if (!root)
    return bp_error_set (err, BP_EFORMAT, 0, _("invalid JSON: %s"),
                         bp_escape_quote (q, JSON_ERROR_TEXT_LENGTH,
                                          jerr.text, strlen (jerr.text)));
  bp_escape_quote (q, BP_QUOTE_INPUT, key, strlen (key));
  if (!json_is_object (root))
    rc = bp_error_set (err, BP_EFORMAT, 0, _("not a JSON object"));
  else if (!(member = json_object_get (root, key)))
    rc = bp_error_set (err, BP_EFORMAT, 0, _("no member \"%s\""), q);
  else if (!json_is_string (member))
    rc = bp_error_set (err, BP_EFORMAT, 0, _("member \"%s\" is not a string"),
                       q);
  else
    {
      rc = bp_buf_append (out, json_string_value (member),
                          json_string_length (member));
      if (rc == 0)
        rc = 1;
      else
        rc = bp_error_set (err, BP_ENOMEM, 0, "%s", "");
    }
  json_decref (root);
  return rc;
}
