/* SPDX-License-Identifier: Apache-2.0 */
/* Progress reports on a terminal; see progress.h.  */
#include <config.h>
#include "progress.h"

#include <langinfo.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include "system.h"

/* The line on the screen belongs to the process, not to a report, and
   so do the lock that serialises the reports (there is one per program)
   and whether a line is shown: bp_progress_hide, which cli.c calls
   before every message, needs no report at hand.  */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int shown;

static double
now (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (double) ts.tv_sec + (double) ts.tv_nsec * 1e-9;
}

void
bp_progress_init (struct bp_progress *p, enum bp_progress_mode mode)
{
  memset (p, 0, sizeof *p);
  p->tty = isatty (STDERR_FILENO);
  p->on = mode == BP_PROGRESS_ON || (mode == BP_PROGRESS_AUTO && p->tty);
  /* The first report comes at once.  */
  p->start = now ();
  p->last = p->start - 1000;
  p->level[0].name = 1;
  p->level[0].bytes = 1;
  p->level[0].start = p->start;
}

uint64_t
bp_progress_path_size (const char *path)
{
  struct stat st;
  if (path[0] == '-' && path[1] == '\0')
    return 0;
  if (stat (path, &st) == 0 && S_ISREG (st.st_mode) && st.st_size > 0)
    return (uint64_t) st.st_size;
  return 0;
}

const char *
bp_progress_size (char *buf, double bytes)
{
  static const char *const unit[] = { "B", "kB", "MB", "GB", "TB" };
  int u = 0;
  while (bytes >= 999.95 && u < 4)
    {
      bytes /= 1000;
      u++;
    }
  /* Three digits at most, as in 1.23 MB, 12.3 MB, 123 MB.  */
  snprintf (buf, 32, !u || bytes >= 99.95 ? "%.0f %s"
                     : bytes >= 9.995 ? "%.1f %s" : "%.2f %s", bytes, unit[u]);
  return buf;
}

const char *
bp_progress_time (char *buf, double secs)
{
  unsigned long s = secs > 0 && secs < 1e9 ? (unsigned long) secs : 0;
  if (s < 3600)
    snprintf (buf, 32, "%lu:%02lu", s / 60, s % 60);
  else
    snprintf (buf, 32, "%lu:%02lu:%02lu", s / 3600, s / 60 % 60, s % 60);
  return buf;
}

/* ------------------------------------------------------------------ */
/* Fitting a line to the terminal.  */

/* The columns of the terminal on standard error, less one: a line that
   reaches the last column wraps on some terminals.  */
static int
line_columns (void)
{
  struct winsize ws;
  int cols = 0;
  if (ioctl (STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
    cols = ws.ws_col;
  else
    {
      const char *c = getenv ("COLUMNS");
      long v = c ? strtol (c, NULL, 10) : 0;
      cols = v > 0 && v < 10000 ? (int) v : 80;
    }
  return cols > 1 ? cols - 1 : 1;
}

/* The columns of S, and in *FIT (if not NULL) the bytes of its longest
   start within MAX columns.  A byte that is no character of the locale
   counts one column, as does a character of unknown width.  */
static int
columns (const char *s, int max, size_t *fit)
{
  mbstate_t st;
  size_t i = 0, n = strlen (s);
  int cols = 0;
  memset (&st, 0, sizeof st);
  if (fit)
    *fit = n;
  while (i < n)
    {
      wchar_t wc;
      size_t k = mbrtowc (&wc, s + i, n - i, &st);
      int w = 1;
      if (k == (size_t) -1 || k == (size_t) -2 || k == 0)
        {
          k = 1;
          memset (&st, 0, sizeof st);
        }
      else if ((w = wcwidth (wc)) < 0)
        w = 1;
      if (fit && cols + w > max && *fit == n)
        *fit = i;
      cols += w;
      i += k;
    }
  return cols;
}

/* "…" where the locale can show it.  */
static const char *
ellipsis (void)
{
  return strcmp (nl_langinfo (CODESET), "UTF-8") == 0 ? "\xe2\x80\xa6"
                                                       : "...";
}

/* Copy the label L into BUF (SIZE bytes) within MAX columns, control
   characters shown as '?': cut at its end with an ellipsis, or at its
   start for a file name, whose end says more.  Returns 0, or -1 if no
   useful part of it fits.  */
static int
fit_label (char *buf, size_t size, const struct bp_progress_level *l,
           int max)
{
  char clean[sizeof l->label];
  size_t n = strlen (l->label), fit;
  for (size_t i = 0; i <= n; i++)
    clean[i] = (unsigned char) l->label[i] < 0x20 || l->label[i] == 0x7f
               ? (l->label[i] ? '?' : '\0') : l->label[i];
  int cols = columns (clean, max, &fit);
  if (cols <= max)
    {
      snprintf (buf, size, "%s", clean);
      return 0;
    }
  const char *dots = ellipsis ();
  int room = max - columns (dots, max, NULL);
  if (room < 4)
    return -1;
  if (!l->name)
    {
      columns (clean, room, &fit);
      snprintf (buf, size, "%.*s%s", (int) fit, clean, dots);
      return 0;
    }
  /* The shortest end within ROOM columns: skip characters from the
     start until the rest fits.  */
  size_t from = 0;
  mbstate_t st;
  memset (&st, 0, sizeof st);
  while (from < n && columns (clean + from, room, NULL) > room)
    {
      size_t k = mbrlen (clean + from, n - from, &st);
      if (k == (size_t) -1 || k == (size_t) -2 || k == 0)
        {
          k = 1;
          memset (&st, 0, sizeof st);
        }
      from += k;
    }
  snprintf (buf, size, "%s%s", dots, clean + from);
  return 0;
}

/* The fields of a report, in the order they are shown.  */
enum { F_PERCENT, F_AMOUNT, F_RATE, F_LEFT, F_TIME, NFIELDS };

/* Write into LINE (SIZE bytes) LABEL followed by the fields of F that
   USE has (bit per field), within MAX columns if MAX > 0.  Returns 0, or
   -1 if it does not fit.  */
static int
compose (char *line, size_t size, const char *label, char f[][64],
         unsigned use, int max)
{
  size_t n = 0;
  int first = 1;
  if (*label)
    /* TRANSLATORS: between what is being done and how far it got, as
       in "corpus.txt: 45%".  */
    n += (size_t) snprintf (line, size, _("%s: "), label);
  for (int i = 0; i < NFIELDS && n < size; i++)
    if (use & (1u << i) && f[i][0])
      {
        /* TRANSLATORS: between two figures of a progress report, as in
           "45%, 0:10 left".  */
        n += (size_t) snprintf (line + n, size - n, "%s%s",
                                first ? "" : _(", "), f[i]);
        first = 0;
      }
  return n >= size || (max > 0 && columns (line, max, NULL) > max) ? -1 : 0;
}

/* The report of level L at time T into LINE (SIZE bytes), within MAX
   columns if MAX > 0.  */
static void
report_line (const struct bp_progress_level *l, double t, char *line,
             size_t size, int max)
{
  char f[NFIELDS][64] = { "" }, a[32], b[32];
  double secs = t - l->start;
  double done = (double) l->done, total = (double) l->total;
  double rate = secs > 0 ? done / secs : 0;

  if (l->total)
    {
      double pct = floor (100.0 * done / total);
      snprintf (f[F_PERCENT], 64, "%.0f%%", pct > 100 ? 100 : pct);
      if (l->bytes)
        /* TRANSLATORS: bytes done of bytes in all.  */
        snprintf (f[F_AMOUNT], 64, _("%s of %s"), bp_progress_size (a, done),
                  bp_progress_size (b, total));
      if (done > 0 && done < total && secs >= 1)
        /* TRANSLATORS: the time a stage still needs, M:SS or H:MM:SS.  */
        snprintf (f[F_LEFT], 64, _("%s left"),
                  bp_progress_time (a, secs * (total - done) / done));
    }
  else if (l->bytes)
    snprintf (f[F_AMOUNT], 64, "%s", bp_progress_size (a, done));
  else
    snprintf (f[F_TIME], 64, "%s", bp_progress_time (a, secs));
  if (l->bytes && secs >= 1)
    /* TRANSLATORS: a rate, bytes per second.  */
    snprintf (f[F_RATE], 64, _("%s/s"), bp_progress_size (a, rate));

  /* Drop the rate, then the amounts; then shorten the label; then drop
     it; then cut whatever is left.  */
  static const unsigned tries[] = {
    1u << F_PERCENT | 1u << F_AMOUNT | 1u << F_RATE | 1u << F_LEFT
      | 1u << F_TIME,
    1u << F_PERCENT | 1u << F_AMOUNT | 1u << F_LEFT | 1u << F_TIME,
    1u << F_PERCENT | 1u << F_LEFT | 1u << F_TIME,
    1u << F_PERCENT | 1u << F_TIME
  };
  const int ntries = (int) (sizeof tries / sizeof *tries);
  for (int i = 0; i < ntries; i++)
    if (compose (line, size, l->label, f, tries[i], max) == 0)
      return;
  unsigned last = tries[ntries - 1];
  char rest[200], label[sizeof l->label + 8];
  compose (rest, sizeof rest, "", f, last, 0);
  /* What the label may take: the columns left by the fields.  */
  compose (line, size, "x", f, last, 0);
  int room = max - (columns (line, max, NULL) - 1);
  if (room > 0 && fit_label (label, sizeof label, l, room) == 0
      && compose (line, size, label, f, last, max) == 0)
    return;
  size_t fit;
  columns (rest, max, &fit);
  snprintf (line, size, "%.*s", (int) fit, rest);
}

/* ------------------------------------------------------------------ */
/* Showing it.  Called with the lock held.  */

static struct bp_progress_level *
top (struct bp_progress *p)
{
  return &p->level[p->depth < BP_PROGRESS_DEPTH ? p->depth
                                                : BP_PROGRESS_DEPTH - 1];
}

/* Write the report now.  */
static void
draw (struct bp_progress *p, double t)
{
  char line[512];
  p->last = t;
  report_line (top (p), t, line, sizeof line, p->tty ? line_columns () : 0);
  if (p->tty)
    {
      fprintf (stderr, "\r%s\033[K", line);
      shown = 1;
    }
  else
    fprintf (stderr, "%s\n", line);
  fflush (stderr);
}

/* Write the report if it is time to: five times a second on a
   terminal, every ten seconds in a log.  */
static void
maybe_draw (struct bp_progress *p)
{
  double t = now ();
  if (t - p->last >= (p->tty ? 0.2 : 10))
    draw (p, t);
}

static void
erase (void)
{
  if (shown)
    {
      fputs ("\r\033[K", stderr);
      fflush (stderr);
    }
  shown = 0;
}

/* ------------------------------------------------------------------ */

void
bp_progress_expect (struct bp_progress *p, uint64_t total)
{
  pthread_mutex_lock (&lock);
  p->total += total;
  p->level[0].total = p->total;
  pthread_mutex_unlock (&lock);
}

void
bp_progress_begin (struct bp_progress *p, const char *what)
{
  pthread_mutex_lock (&lock);
  p->base = p->level[0].done;
  snprintf (p->level[0].label, sizeof p->level[0].label, "%s",
            strcmp (what, "-") ? what : _("(standard input)"));
  pthread_mutex_unlock (&lock);
}

void
bp_progress_update (struct bp_progress *p, uint64_t done)
{
  if (!p->on)
    return;
  pthread_mutex_lock (&lock);
  p->level[0].done = p->base + done;
  if (p->depth == 0 && !p->finished)
    maybe_draw (p);
  pthread_mutex_unlock (&lock);
}

void
bp_progress_bytes (void *p, uint64_t done)
{
  bp_progress_update (p, done);
}

void
bp_progress_push (struct bp_progress *p, const char *label, uint64_t total,
                  int bytes)
{
  if (!p->on)
    return;
  pthread_mutex_lock (&lock);
  if (++p->depth < BP_PROGRESS_DEPTH)
    {
      struct bp_progress_level *l = &p->level[p->depth];
      snprintf (l->label, sizeof l->label, "%s", label);
      l->name = 0;
      l->done = 0;
      l->total = total;
      l->bytes = bytes;
      l->start = now ();
      /* A new stage shows at once; in a log, a line with its name.  */
      if (p->finished)
        ;
      else if (p->tty)
        draw (p, l->start);
      else
        {
          fprintf (stderr, "%s\n", l->label);
          fflush (stderr);
          p->last = l->start;
        }
    }
  pthread_mutex_unlock (&lock);
}

void
bp_progress_advance (struct bp_progress *p, uint64_t done)
{
  if (!p->on)
    return;
  pthread_mutex_lock (&lock);
  if (p->depth > 0 && p->depth < BP_PROGRESS_DEPTH)
    {
      p->level[p->depth].done = done;
      if (!p->finished)
        maybe_draw (p);
    }
  pthread_mutex_unlock (&lock);
}

void
bp_progress_advance_bytes (void *p, uint64_t done)
{
  bp_progress_advance (p, done);
}

void
bp_progress_pop (struct bp_progress *p)
{
  if (!p->on)
    return;
  pthread_mutex_lock (&lock);
  if (p->depth > 0)
    p->depth--;
  pthread_mutex_unlock (&lock);
}

static void
stage_begin (void *ctx, const struct bp_stage *s)
{
  struct bp_progress *p = ctx;
  char label[sizeof p->level[0].label];
  p->words (s, label, sizeof label);
  bp_progress_push (p, label, s->total, s->bytes);
}

static void
stage_advance (void *ctx, uint64_t done)
{
  bp_progress_advance (ctx, done);
}

static void
stage_end (void *ctx)
{
  bp_progress_pop (ctx);
}

const struct bp_stage_progress *
bp_progress_stages (struct bp_progress *p, bp_progress_words words)
{
  if (!p->on)
    return NULL;
  p->words = words;
  p->stages = (struct bp_stage_progress) { stage_begin, stage_advance,
                                           stage_end, p };
  return &p->stages;
}

double
bp_progress_elapsed (const struct bp_progress *p)
{
  return now () - p->start;
}

uint64_t
bp_progress_bytes_done (const struct bp_progress *p)
{
  return p->level[0].done;
}

void
bp_progress_end (struct bp_progress *p)
{
  if (!p->on)
    return;
  pthread_mutex_lock (&lock);
  erase ();
  pthread_mutex_unlock (&lock);
}

void
bp_progress_done (struct bp_progress *p, const char *what,
                  const char *const *more, size_t nmore)
{
  char line[512];
  if (!p->on || p->finished)
    return;
  pthread_mutex_lock (&lock);
  erase ();
  /* On a terminal, what fits in its width: the last figures go first,
     then the end of WHAT.  */
  int max = p->tty ? line_columns () : 0;
  for (size_t k = nmore + 1; k-- > 0;)
    {
      size_t n = (size_t) snprintf (line, sizeof line, "%s", what);
      for (size_t i = 0; i < k && n < sizeof line; i++)
        n += (size_t) snprintf (line + n, sizeof line - n, "%s%s", _(", "),
                                more[i]);
      if (!max || columns (line, max, NULL) <= max)
        break;
    }
  size_t fit;
  if (max && columns (line, max, &fit) > max)
    {
      const char *dots = ellipsis ();
      columns (line, max - columns (dots, max, NULL), &fit);
      snprintf (line + fit, sizeof line - fit, "%s", dots);
    }
  fprintf (stderr, "%s\n", line);
  fflush (stderr);
  p->finished = 1;
  pthread_mutex_unlock (&lock);
}

void
bp_progress_summary (struct bp_progress *p, const char *fmt,
                     const char *more)
{
  char what[256], size[32], took[32], rate[32], rate_s[64];
  double secs = bp_progress_elapsed (p);
  double bytes = (double) bp_progress_bytes_done (p);
  snprintf (what, sizeof what, fmt, bp_progress_size (size, bytes),
            bp_progress_time (took, secs));
  snprintf (rate_s, sizeof rate_s, _("%s/s"),
            bp_progress_size (rate, secs > 0 ? bytes / secs : 0));
  const char *extra[] = { rate_s, more };
  bp_progress_done (p, what, extra, more ? 2 : 1);
}

void
bp_progress_hide (void)
{
  pthread_mutex_lock (&lock);
  erase ();
  pthread_mutex_unlock (&lock);
}
