/* SPDX-License-Identifier: Apache-2.0 */
/* json-get: a test helper that parses the JSON object on standard input
   with jansson and prints the value at each PATH argument on a line of
   its own, so that shell tests can check bp-stats --json.  A path is
   keys and array indices separated by dots ("models.0.tokens"); a value
   is printed as JSON (compact; integers and strings as they are, reals
   with six decimals), a string without its quotes.  Exit status 0, or 1
   if the input is not JSON or a path leads nowhere (with a message).  */
#include <config.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *
walk (json_t *v, const char *path)
{
  char *copy = strdup (path);
  if (!copy)
    return NULL;
  char *save = NULL;
  for (char *step = strtok_r (copy, ".", &save); step && v;
       step = strtok_r (NULL, ".", &save))
    {
      if (json_is_array (v))
        {
          char *end;
          unsigned long i = strtoul (step, &end, 10);
          v = *end ? NULL : json_array_get (v, i);
        }
      else
        v = json_object_get (v, step);
    }
  free (copy);
  return v;
}

int
main (int argc, char **argv)
{
  json_error_t e;
  json_t *root = json_loadf (stdin, 0, &e);
  int status = 0;

  if (!root)
    {
      fprintf (stderr, "json-get: line %d: %s\n", e.line, e.text);
      return 1;
    }
  if (!json_is_object (root))
    {
      fprintf (stderr, "json-get: not an object\n");
      json_decref (root);
      return 1;
    }
  for (int i = 1; i < argc; i++)
    {
      json_t *v = walk (root, argv[i]);
      if (!v)
        {
          fprintf (stderr, "json-get: no %s\n", argv[i]);
          status = 1;
          continue;
        }
      if (json_is_string (v))
        fwrite (json_string_value (v), 1, json_string_length (v), stdout);
      else if (json_is_real (v))
        printf ("%.6f", json_real_value (v));
      else
        {
          char *s = json_dumps (v, JSON_COMPACT | JSON_ENCODE_ANY);
          if (s)
            fputs (s, stdout);
          free (s);
        }
      putchar ('\n');
    }
  json_decref (root);
  return status;
}
