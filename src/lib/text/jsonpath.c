/* SPDX-License-Identifier: Apache-2.0 */
/* Member paths of --jsonl=KEY; see jsonpath.h.  */
#include <config.h>
#include "jsonpath.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "system.h"

int
bp_jsonpath_parse (const char *key, struct bp_jsonpath *path,
                   struct bp_error *err)
{
  size_t len = strlen (key), n = 1;
  memset (path, 0, sizeof *path);

  for (size_t i = 0; i < len; i++)
    if (key[i] == '\\')
      {
        if (i + 1 == len || (key[i + 1] != '.' && key[i + 1] != '\\'))
          return bp_error_set (err, BP_EINVAL, 0,
                               _("a backslash must be followed by '.' or "
                                 "'\\' in a member path"));
        i++;
      }
    else if (key[i] == '.')
      n++;

  path->name = calloc (n, sizeof *path->name);
  path->end = calloc (n, sizeof *path->end);
  path->bytes = malloc (len + 1);
  path->key = malloc (len + 1);
  if (!path->name || !path->end || !path->bytes || !path->key)
    {
      bp_jsonpath_free (path);
      return bp_error_errno (err, ENOMEM);
    }
  memcpy (path->key, key, len + 1);

  size_t k = 0, out = 0;
  path->name[0].data = path->bytes;
  for (size_t i = 0; i <= len; i++)
    if (i == len || key[i] == '.')
      {
        path->name[k].len = (size_t) (path->bytes + out - path->name[k].data);
        path->end[k++] = i;
        if (i < len)
          path->name[k].data = path->bytes + out;
      }
    else if (key[i] == '\\')
      path->bytes[out++] = (uint8_t) key[++i];
    else
      path->bytes[out++] = (uint8_t) key[i];
  path->n = n;
  return 0;
}

void
bp_jsonpath_free (struct bp_jsonpath *path)
{
  free (path->name);
  free (path->end);
  free (path->bytes);
  free (path->key);
  memset (path, 0, sizeof *path);
}
