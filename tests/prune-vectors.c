/* SPDX-License-Identifier: Apache-2.0 */
/* For every training case of ../shared/vectors/train, bp_prune_vocab turns
   the reference's piece counts into exactly the reference's models
   (DESIGN.md section 1.5), byte for byte, with one thread and with
   several.  Skips (77) when the vectors are absent.

   Usage: prune-vectors [-j THREADS] [-n RUNS] [CASE]...
   With no CASE, every case t1..t5; -j runs only that thread count (the
   default checks 1 and 3); -n repeats each run (for profiling).  The
   elapsed time of each run is printed for information only.  */
#include <config.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "error.h"
#include "escape.h"
#include "model.h"
#include "prune.h"

enum { EXIT_SKIP = 77, EXIT_HARD = 99 };

static const char *shared;

static void
framework (const char *what, const char *path)
{
  fprintf (stderr, "ERROR: %s %s: %s\n", what, path, strerror (errno));
  exit (EXIT_HARD);
}

/* The whole file PATH in *LEN bytes (malloc'd).  */
static char *
slurp (const char *path, size_t *len)
{
  FILE *f = fopen (path, "rb");
  struct bp_buf b = { 0 };
  char tmp[65536];
  size_t got;

  if (!f)
    framework ("cannot open", path);
  while ((got = fread (tmp, 1, sizeof tmp, f)) > 0)
    if (bp_buf_append (&b, tmp, got))
      framework ("out of memory reading", path);
  if (ferror (f))
    framework ("cannot read", path);
  fclose (f);
  if (bp_buf_putc (&b, 0))
    framework ("out of memory reading", path);
  *len = b.len - 1;
  return (char *) b.data;
}

struct params
{
  uint64_t min_count;
  size_t max_piece_length;
  size_t sizes[16];
  size_t nsizes;
};

/* The training parameters of case DIR from its params.txt.  */
static void
read_params (const char *dir, struct params *p)
{
  char path[8192];
  size_t len;
  snprintf (path, sizeof path, "%s/params.txt", dir);
  char *text = slurp (path, &len);
  char *save = NULL;
  int seen = 0;

  memset (p, 0, sizeof *p);
  for (char *line = strtok_r (text, "\n", &save); line;
       line = strtok_r (NULL, "\n", &save))
    {
      if (strncmp (line, "min_count=", 10) == 0)
        p->min_count = strtoull (line + 10, NULL, 10), seen |= 1;
      else if (strncmp (line, "max_piece_length=", 17) == 0)
        p->max_piece_length = strtoull (line + 17, NULL, 10), seen |= 2;
      else if (strncmp (line, "vocab_sizes=", 12) == 0)
        {
          char *s = line + 12, *end;
          for (;;)
            {
              size_t v = strtoull (s, &end, 10);
              if (end == s)
                break;
              p->sizes[p->nsizes++] = v;
              if (*end != ',' || p->nsizes == 16)
                break;
              s = end + 1;
            }
          if (p->nsizes)
            seen |= 4;
        }
    }
  free (text);
  if (seen != 7)
    {
      fprintf (stderr, "ERROR: %s lacks a parameter\n", path);
      exit (EXIT_HARD);
    }
}

/* The records "escaped-piece TAB count" of DIR/pieces.counts.gz: their
   bytes go to *BYTES, and *PIECES (N of them) point into it.  */
static struct bp_piece_count *
read_pieces (const char *dir, struct bp_buf *bytes, size_t *n)
{
  char cmd[4200];
  snprintf (cmd, sizeof cmd, "gzip -dc '%s/pieces.counts.gz'", dir);
  FILE *f = popen (cmd, "r");
  char *line = NULL;
  size_t cap = 0, np = 0, ncap = 0;
  ssize_t len;
  struct bp_piece_count *pc = NULL;
  size_t *off = NULL;

  if (!f)
    framework ("cannot run", cmd);
  while ((len = getline (&line, &cap, f)) > 0)
    {
      if (line[len - 1] == '\n')
        len--;
      char *tab = memrchr (line, '\t', (size_t) len);
      if (!tab)
        {
          fprintf (stderr, "ERROR: %s: bad record %zu\n", cmd, np + 1);
          exit (EXIT_HARD);
        }
      if (np == ncap)
        {
          ncap = ncap ? 2 * ncap : 4096;
          pc = realloc (pc, ncap * sizeof *pc);
          off = realloc (off, ncap * sizeof *off);
          if (!pc || !off)
            framework ("out of memory in", cmd);
        }
      size_t klen = (size_t) (tab - line);
      if (bp_buf_grow (bytes, klen))
        framework ("out of memory in", cmd);
      long got = bp_unescape (line, klen, bytes->data + bytes->len, NULL);
      char *end;
      errno = 0;
      pc[np].count = strtoull (tab + 1, &end, 10);
      if (got <= 0 || errno || end != line + len)
        {
          fprintf (stderr, "ERROR: %s: bad record %zu\n", cmd, np + 1);
          exit (EXIT_HARD);
        }
      off[np] = bytes->len;
      pc[np].len = (size_t) got;
      bytes->len += (size_t) got;
      np++;
    }
  free (line);
  if (pclose (f) != 0)
    framework ("failed:", cmd);
  for (size_t i = 0; i < np; i++)
    pc[i].bytes = bytes->data + off[i];
  free (off);
  *n = np;
  return pc;
}

/* Model M's records as bp_model_write_text writes them, without the
   header line: the layout of the vectors' model.V.txt.  */
static char *
records (const struct bp_model *m, size_t *len)
{
  char *text = NULL;
  FILE *f = open_memstream (&text, len);
  struct bp_buf esc = { 0 };

  if (!f)
    framework ("cannot open", "a memory stream");
  for (size_t i = 0; i < m->n; i++)
    {
      size_t plen;
      const uint8_t *piece = bp_model_piece (m, i, &plen);
      esc.len = 0;
      if (bp_escape_append (&esc, piece, plen, 0))
        framework ("out of memory in", "records");
      fprintf (f, "%zu\t", i + BP_ID_FIRST_PIECE);
      fwrite (esc.data, 1, esc.len, f);
      fprintf (f, "\t%" PRIu64 "\n", m->count[i]);
    }
  bp_buf_free (&esc);
  if (fclose (f))
    framework ("cannot write", "a memory stream");
  return text;
}

/* Compare model M with the file EXPECTED; report the first line that
   differs.  Returns 0 if they are equal.  */
static int
compare (const struct bp_model *m, const char *expected, const char *what)
{
  size_t glen, elen;
  char *got = records (m, &glen);
  char *exp = slurp (expected, &elen);
  int rc = 0;

  if (glen != elen || memcmp (got, exp, glen) != 0)
    {
      size_t i = 0, line = 1, start = 0;
      while (i < glen && i < elen && got[i] == exp[i])
        if (got[i++] == '\n')
          line++, start = i;
      int ge = (int) strcspn (got + start, "\n");
      int ee = (int) strcspn (exp + start, "\n");
      fprintf (stderr,
               "FAIL: %s: line %zu differs\n  expected: %.*s\n  got:      "
               "%.*s\n", what, line, ee, exp + start, ge, got + start);
      rc = 1;
    }
  free (got);
  free (exp);
  return rc;
}

static double
now (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

/* Run case NAME with THREADS threads, RUNS times.  Returns 0 if every
   model matches.  */
static int
run_case (const char *name, const int *threads, int nthreads, int runs)
{
  char dir[4096];
  struct params p;
  struct bp_buf bytes = { 0 };
  size_t n;
  int fail = 0;

  snprintf (dir, sizeof dir, "%s/vectors/train/%s", shared, name);
  read_params (dir, &p);
  struct bp_piece_count *pc = read_pieces (dir, &bytes, &n);

  for (int t = 0; t < nthreads; t++)
    for (int r = 0; r < runs; r++)
      {
        struct bp_prune_params pp = { .min_count = p.min_count,
                                      .max_piece_length = p.max_piece_length,
                                      .threads = threads[t] };
        struct bp_model *models[16];
        struct bp_error err;
        double t0 = now ();
        int rc = bp_prune_vocab (pc, n, &pp, p.sizes, p.nsizes, models, &err);
        double t1 = now ();
        if (rc)
          {
            fprintf (stderr, "FAIL: %s: bp_prune_vocab returned %d (%s)\n",
                     name, rc, err.detail);
            fail = 1;
            continue;
          }
        printf ("%s: %zu pieces in, -j%d: %.3f s\n", name, n, threads[t],
                t1 - t0);
        /* MODELS[k] is for the k-th largest size.  */
        size_t sorted[16];
        memcpy (sorted, p.sizes, p.nsizes * sizeof *sorted);
        for (size_t i = 1; i < p.nsizes; i++)
          for (size_t j = i; j > 0 && sorted[j - 1] < sorted[j]; j--)
            {
              size_t x = sorted[j];
              sorted[j] = sorted[j - 1];
              sorted[j - 1] = x;
            }
        for (size_t k = 0; k < p.nsizes; k++)
          {
            char path[4200], what[128];
            snprintf (path, sizeof path, "%s/model.%zu.txt", dir, sorted[k]);
            snprintf (what, sizeof what, "%s size %zu -j%d", name, sorted[k],
                      threads[t]);
            if (r == 0)
              {
                if (compare (models[k], path, what))
                  fail = 1;
                else
                  printf ("%s: %zu pieces, equal\n", what, models[k]->n);
              }
            bp_model_free (models[k]);
          }
      }
  free (pc);
  bp_buf_free (&bytes);
  return fail;
}

int
main (int argc, char **argv)
{
  static const char *const all[] = { "t1", "t2", "t3", "t4", "t5" };
  int threads[2] = { 1, 3 }, nthreads = 2, runs = 1, opt, fail = 0;
  char path[4096];

  while ((opt = getopt (argc, argv, "j:n:")) != -1)
    switch (opt)
      {
      case 'j':
        threads[0] = atoi (optarg);
        nthreads = 1;
        break;
      case 'n':
        runs = atoi (optarg);
        break;
      default:
        fprintf (stderr, "usage: %s [-j THREADS] [-n RUNS] [CASE]...\n",
                 argv[0]);
        return EXIT_HARD;
      }

  shared = getenv ("BP_SHARED");
  if (!shared)
    shared = "../shared";
  snprintf (path, sizeof path, "%s/vectors/train", shared);
  if (access (path, R_OK | X_OK) != 0)
    {
      printf ("SKIP: reference vectors not found in %s\n", shared);
      return EXIT_SKIP;
    }

  if (optind < argc)
    for (int i = optind; i < argc; i++)
      fail |= run_case (argv[i], threads, nthreads, runs);
  else
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
      fail |= run_case (all[i], threads, nthreads, runs);
  return fail;
}
