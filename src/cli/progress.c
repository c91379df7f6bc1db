/* Progress reports on a terminal; see progress.h.  */
#include <config.h>
#include "progress.h"

#include <stdio.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "system.h"

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
  p->tty = isatty (STDERR_FILENO);
  p->on = mode == BP_PROGRESS_ON || (mode == BP_PROGRESS_AUTO && p->tty);
  p->what = "";
  p->total = 0;
  p->base = 0;
  p->start = p->last = now ();
  p->shown = 0;
  p->done = 0;
  p->summed = 0;
}

void
bp_progress_expect (struct bp_progress *p, uint64_t total)
{
  p->total += total;
}

void
bp_progress_begin (struct bp_progress *p, const char *what)
{
  p->base = p->done;
  p->what = what;
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

/* Sizes in the units people read: B, kB, MB, GB (powers of 1000, as the
   rates of the benchmarks).  */
static void
human (char *buf, size_t n, double bytes)
{
  static const char *const unit[] = { "B", "kB", "MB", "GB", "TB" };
  int u = 0;
  while (bytes >= 1000 && u < 4)
    {
      bytes /= 1000;
      u++;
    }
  snprintf (buf, n, u ? "%.1f %s" : "%.0f %s", bytes, unit[u]);
}

/* Start a report: on a terminal, go back to the start of the line.  */
static void
start_line (struct bp_progress *p)
{
  if (p->tty)
    fputc ('\r', stderr);
}

/* End a report: on a terminal, clear the rest of the old line and stay
   on it; elsewhere, end the line.  */
static void
finish_line (struct bp_progress *p)
{
  fputs (p->tty ? "\033[K" : "\n", stderr);
  p->shown = p->tty;
}

void
bp_progress_update (struct bp_progress *p, uint64_t done)
{
  const char *what = p->what;
  if (!p->on)
    return;
  p->done = p->base + done;
  double t = now ();
  /* A terminal line five times a second; a log line every ten seconds.  */
  if (t - p->last < (p->tty ? 0.2 : 10))
    return;
  p->last = t;
  uint64_t all = p->base + done;
  p->done = all;
  double secs = t - p->start;
  double rate = secs > 0 ? (double) all / secs : 0;
  char d[32], r[32], left[32] = "";
  human (d, sizeof d, (double) all);
  human (r, sizeof r, rate);
  if (p->total > all && rate > 0)
    {
      unsigned long s = (unsigned long) ((double) (p->total - all) / rate);
      /* TRANSLATORS: the time left, hours:minutes:seconds.  */
      snprintf (left, sizeof left, _(", %lu:%02lu:%02lu left"), s / 3600,
                s / 60 % 60, s % 60);
    }
  start_line (p);
  if (p->total)
    {
      char tot[32];
      human (tot, sizeof tot, (double) p->total);
      /* TRANSLATORS: what, done of total (percent), rate per second,
         time left.  */
      fprintf (stderr, _("%s: %s of %s (%.0f%%), %s/s%s"), what, d, tot,
               100.0 * (double) all / (double) p->total, r, left);
    }
  else
    /* TRANSLATORS: what, done, rate per second.  */
    fprintf (stderr, _("%s: %s, %s/s"), what, d, r);
  finish_line (p);
}

void
bp_progress_bytes (void *p, uint64_t done)
{
  bp_progress_update (p, done);
}

void
bp_progress_stage (struct bp_progress *p, const char *what)
{
  if (!p->on)
    return;
  start_line (p);
  fputs (what, stderr);
  finish_line (p);
  p->last = now ();
}

void
bp_progress_end (struct bp_progress *p)
{
  if (p->shown)
    fputs ("\r\033[K", stderr);
  p->shown = 0;
  if (p->on && !p->tty && p->done > p->summed)
    {
      double secs = now () - p->start;
      char d[32], r[32];
      human (d, sizeof d, (double) p->done);
      human (r, sizeof r, secs > 0 ? (double) p->done / secs : 0);
      /* TRANSLATORS: bytes, seconds, rate per second.  */
      fprintf (stderr, _("%s in %.1f s, %s/s\n"), d, secs, r);
      p->summed = p->done;
    }
}
