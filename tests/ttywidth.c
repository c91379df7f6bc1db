/* SPDX-License-Identifier: Apache-2.0 */
/* ttywidth: what a program wrote to a terminal, line by line as the
   terminal showed it, with the columns each line took.  Standard input
   (what script(1) captured) is cut at every CR and LF, the escape
   sequences (ESC [ ... and a final byte) are dropped, and each line that
   is not empty is printed as "COLUMNS TAB TEXT", its columns counted
   with wcwidth in the locale of the environment, as a terminal would.
   tests/progress.sh reads it to see that no line of a progress report
   is wider than the terminal: such a line wraps, and the part that
   wrapped stays behind at each update.  */
#include <config.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

static char line[1 << 16];
static size_t len;

static void
put_line (void)
{
  mbstate_t st;
  size_t i = 0;
  int cols = 0;
  if (len == 0)
    return;
  memset (&st, 0, sizeof st);
  while (i < len)
    {
      wchar_t wc;
      size_t k = mbrtowc (&wc, line + i, len - i, &st);
      int w = 1;
      if (k == (size_t) -1 || k == (size_t) -2 || k == 0)
        {
          k = 1;
          memset (&st, 0, sizeof st);
        }
      else if ((w = wcwidth (wc)) < 0)
        w = 1;
      cols += w;
      i += k;
    }
  printf ("%d\t%.*s\n", cols, (int) len, line);
  len = 0;
}

int
main (void)
{
  int c;
  setlocale (LC_ALL, "");
  while ((c = getchar ()) != EOF)
    {
      if (c == '\r' || c == '\n')
        put_line ();
      else if (c == 033)
        {
          /* ESC [ parameters, then the final byte (0x40..0x7e).  */
          if ((c = getchar ()) == '[')
            while ((c = getchar ()) != EOF && (c < 0x40 || c > 0x7e))
              ;
        }
      else if (len < sizeof line)
        line[len++] = (char) c;
    }
  put_line ();
  return ferror (stdout) ? EXIT_FAILURE : EXIT_SUCCESS;
}
