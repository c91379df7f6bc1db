/* SPDX-License-Identifier: Apache-2.0 */
/* jsonl-probe: a test helper that runs each line of standard input
   through the --jsonl extractor (src/lib/text/jsonl.h) for the member
   KEY and prints what it found, one line each: "text HEX" (the member's
   bytes in hex), "blank", "none" (JSON without a string member) or
   "invalid" (not JSON).  Each line is fed in pieces of sizes drawn from
   SEED (the second argument, 0: whole), so that tests/jsonl-oracle.sh
   checks the streaming too.  */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>

#include "buf.h"
#include "error.h"
#include "jsonl.h"
#include "jsonpath.h"

int
main (int argc, char **argv)
{
  if (argc != 3)
    {
      fputs ("usage: jsonl-probe KEY SEED < LINES\n", stderr);
      return 2;
    }
  unsigned seed = (unsigned) strtoul (argv[2], NULL, 10);
  struct bp_jsonpath path;
  struct bp_error err = { 0 };
  if (bp_jsonpath_parse (argv[1], &path, &err))
    {
      fprintf (stderr, "jsonl-probe: %s\n", err.detail);
      return 2;
    }
  struct bp_jsonl *j = bp_jsonl_new (&path);
  struct bp_buf text = { 0 };
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  if (!j)
    return 1;
  while ((n = getline (&line, &cap, stdin)) >= 0)
    {
      size_t len = (size_t) n;
      if (len && line[len - 1] == '\n')
        len--;
      bp_jsonl_start (j);
      text.len = 0;
      for (size_t at = 0; at < len;)
        {
          size_t k = seed ? 1 + (size_t) rand_r (&seed) % 7 : len;
          if (k > len - at)
            k = len - at;
          int rc = bp_jsonl_feed (j, line + at, k, &text, &err);
          if (rc == BP_ENOMEM)
            return 1;
          if (rc)
            break;
          at += k;
        }
      switch (bp_jsonl_end (j, &err))
        {
        case BP_JSONL_TEXT:
          fputs ("text ", stdout);
          for (size_t i = 0; i < text.len; i++)
            printf ("%02x", text.data[i]);
          putchar ('\n');
          break;
        case BP_JSONL_BLANK:
          puts ("blank");
          break;
        case BP_JSONL_NO_TEXT:
          puts ("none");
          break;
        case BP_JSONL_INVALID:
          puts ("invalid");
          break;
        }
    }
  free (line);
  bp_buf_free (&text);
  bp_jsonl_free (j);
  bp_jsonpath_free (&path);
  return ferror (stdout) ? 1 : 0;
}
