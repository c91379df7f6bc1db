/* SPDX-License-Identifier: Apache-2.0 */
/* The replay driver: runs a fuzz target over files, without libFuzzer,
   so that every seed is a regression test in make check with any
   compiler (and under make check-sanitize and check-valgrind).

   Usage: TARGET [FILE-OR-DIRECTORY]...  With no operand it replays
   $srcdir/fuzz/corpus/NAME, NAME being its own file name: that is how
   make check runs it.  Each input is copied to a buffer of exactly its
   size, so that AddressSanitizer sees a read past its end.  An empty
   corpus is an error (exit 99): a seed directory that went missing must
   not pass silently.  */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static const char *progname;

static _Noreturn void
die (const char *what, const char *name)
{
  fprintf (stderr, "%s: %s: %s: %s\n", progname, what, name,
           strerror (errno));
  exit (99);
}

/* Run the target on the file NAME.  */
static void
replay_file (const char *name)
{
  FILE *f = fopen (name, "rb");
  if (!f)
    die ("cannot open", name);
  size_t cap = 1 << 16, len = 0;
  uint8_t *buf = malloc (cap);
  if (!buf)
    die ("cannot read", name);
  for (;;)
    {
      len += fread (buf + len, 1, cap - len, f);
      if (len < cap)
        break;
      uint8_t *nb = realloc (buf, cap *= 2);
      if (!nb)
        die ("cannot read", name);
      buf = nb;
    }
  if (ferror (f))
    die ("cannot read", name);
  fclose (f);

  uint8_t *exact = malloc (len ? len : 1);
  if (!exact)
    die ("cannot read", name);
  memcpy (exact, buf, len);
  free (buf);
  LLVMFuzzerTestOneInput (exact, len);
  free (exact);
}

static int
cmp_names (const void *a, const void *b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* Run the target on NAME, a file or every file of a directory (in name
   order, for reproducible logs).  Returns the number of inputs.  */
static size_t
replay (const char *name)
{
  struct stat st;
  if (stat (name, &st) != 0)
    die ("cannot stat", name);
  if (!S_ISDIR (st.st_mode))
    {
      replay_file (name);
      return 1;
    }

  DIR *d = opendir (name);
  if (!d)
    die ("cannot open", name);
  char **names = NULL;
  size_t n = 0, cap = 0;
  struct dirent *e;
  while ((e = readdir (d)))
    {
      if (e->d_name[0] == '.')
        continue;
      if (n == cap)
        {
          cap = cap ? 2 * cap : 64;
          char **nn = realloc (names, cap * sizeof *nn);
          if (!nn)
            die ("cannot list", name);
          names = nn;
        }
      size_t len = strlen (name) + strlen (e->d_name) + 2;
      if (!(names[n] = malloc (len)))
        die ("cannot list", name);
      snprintf (names[n++], len, "%s/%s", name, e->d_name);
    }
  closedir (d);
  qsort (names, n, sizeof *names, cmp_names);
  for (size_t i = 0; i < n; i++)
    {
      replay_file (names[i]);
      free (names[i]);
    }
  free (names);
  return n;
}

int
main (int argc, char **argv)
{
  const char *slash = strrchr (argv[0], '/');
  progname = slash ? slash + 1 : argv[0];
  size_t n = 0;

  if (argc > 1)
    for (int i = 1; i < argc; i++)
      n += replay (argv[i]);
  else
    {
      const char *srcdir = getenv ("srcdir");
      size_t len = strlen (srcdir ? srcdir : ".") + strlen (progname) + 32;
      char *dir = malloc (len);
      if (!dir)
        die ("cannot allocate", progname);
      snprintf (dir, len, "%s/fuzz/corpus/%s", srcdir ? srcdir : ".",
                progname);
      n = replay (dir);
      free (dir);
    }
  if (n == 0)
    {
      fprintf (stderr, "%s: no input to replay\n", progname);
      return 99;
    }
  printf ("%s: %zu inputs replayed\n", progname, n);
  return 0;
}
