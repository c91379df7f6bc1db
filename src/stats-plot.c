/* SPDX-License-Identifier: Apache-2.0 */
/* bp-stats --plot: a gnuplot script that draws what a training run is
   planned with, its data inline, so that one file is the whole picture:
   the tokens per document at every percentile of the documents (the
   context length that holds a given share of them), and, across the
   models of a run, bytes per token and the share of single-byte tokens
   against vocabulary size.  gnuplot is not needed to write it, only to
   draw it; the script draws SVG on standard output unless a terminal
   was chosen before it (bp-stats(1) shows the commands).  See
   stats-report.h.  */
#include <config.h>
#include "stats-report.h"

#include <stdlib.h>

#include "dochist.h"
#include "error.h"
#include "model.h"
#include "utf8.h"

/* The percentiles of the curve, in per mille: every percent, and the
   tail in finer steps, where long documents are.  */
static const unsigned curve[] = {
  0,   10,  20,  30,  40,  50,  60,  70,  80,  90,  100, 110, 120, 130,
  140, 150, 160, 170, 180, 190, 200, 210, 220, 230, 240, 250, 260, 270,
  280, 290, 300, 310, 320, 330, 340, 350, 360, 370, 380, 390, 400, 410,
  420, 430, 440, 450, 460, 470, 480, 490, 500, 510, 520, 530, 540, 550,
  560, 570, 580, 590, 600, 610, 620, 630, 640, 650, 660, 670, 680, 690,
  700, 710, 720, 730, 740, 750, 760, 770, 780, 790, 800, 810, 820, 830,
  840, 850, 860, 870, 880, 890, 900, 910, 920, 930, 940, 950, 960, 970,
  980, 990, 995, 999, 1000
};
#define NCURVE (sizeof curve / sizeof curve[0])

/* NAME as a quoted string of a gnuplot data block: a double quote
   becomes a single one, and a control or a byte outside well-formed
   UTF-8 a question mark, so that no name can end the string, the line
   or the block.  */
static void
quoted_name (FILE *f, const char *name)
{
  const uint8_t *p = (const uint8_t *) name;
  size_t n = 0;
  while (p[n])
    n++;
  putc ('"', f);
  for (size_t i = 0; i < n;)
    {
      size_t len = bp_utf8_seqlen (p + i, n - i);
      if (len > 1)
        fwrite (p + i, 1, len, f);
      else
        putc (!len || p[i] < 0x20 || p[i] == 0x7f ? '?'
              : p[i] == '"'                       ? '\''
                                                  : p[i], f);
      i += len ? len : 1;
    }
  putc ('"', f);
}

/* A ratio A / B with DECIMALS decimals (times SCALE), or NaN, which
   gnuplot leaves out of a plot.  */
static void
number (FILE *f, uint64_t a, uint64_t b, int decimals, double scale)
{
  if (b)
    fprintf (f, "%.*f", decimals, (double) a / (double) b * scale);
  else
    fputs ("NaN", f);
}

static int
finish (FILE *f)
{
  return ferror (f) ? BP_EIO : 0;
}

/* The range of an axis from LO to HI, widened when they are equal
   (gnuplot warns about an empty range).  */
static void
xrange (FILE *f, double lo, double hi)
{
  if (lo < hi)
    fputs ("set xrange [*:*]\n", f);
  else
    fprintf (f, "set xrange [%.6g:%.6g]\n", lo / 2, hi * 2);
}

/* A panel with nothing to plot: its axes and WHY in the middle.  */
static void
empty_panel (FILE *f, const char *why)
{
  fprintf (f,
           "set label 1 \"%s\" at graph 0.5, 0.5 center\n"
           "plot NaN notitle\n"
           "unset label 1\n\n", why);
}

int
bp_stats_write_plot (FILE *f, const struct bp_stats_report *r)
{
  size_t nc = r->nmodels;
  uint64_t (*pct)[NCURVE] = calloc (nc ? nc : 1, sizeof *pct);
  size_t *order = calloc (nc ? nc : 1, sizeof *order);
  if (!pct || !order)
    {
      free (pct);
      free (order);
      return BP_ENOMEM;
    }

  /* The extent of each panel, for ranges gnuplot need not guess.  */
  uint64_t lo = 0, hi = 0;
  double bpt_max = 0, single_max = 0;
  size_t vocab_lo = 0, vocab_hi = 0;
  for (size_t c = 0; c < nc; c++)
    {
      const struct bp_stats_model *s = &r->model[c];
      if (bp_dochist_percentiles (&s->per_doc, curve, NCURVE, pct[c]))
        {
          free (pct);
          free (order);
          return BP_ENOMEM;
        }
      for (size_t k = 0; k < NCURVE; k++)
        if (pct[c][k] && (!lo || pct[c][k] < lo))
          lo = pct[c][k];
      if (s->per_doc.max > hi)
        hi = s->per_doc.max;
      if (s->tokens)
        {
          double bpt = (double) r->text.bytes / (double) s->tokens;
          double single = (double) bp_stats_model_single_byte (s)
                          / (double) s->tokens * 100;
          bpt_max = bpt > bpt_max ? bpt : bpt_max;
          single_max = single > single_max ? single : single_max;
        }
      size_t v = bp_model_vocab (s->model);
      vocab_lo = !c || v < vocab_lo ? v : vocab_lo;
      vocab_hi = v > vocab_hi ? v : vocab_hi;
      /* Increasing vocabulary, the command line's order among equals.  */
      size_t j = c;
      for (; j > 0 && bp_model_vocab (r->model[order[j - 1]].model) > v; j--)
        order[j] = order[j - 1];
      order[j] = c;
    }

  fprintf (f,
           "# bp-stats --plot: tokens per document, and bytes per token "
           "and single-byte\n"
           "# tokens against vocabulary size, for %zu model%s on one text "
           "of %llu documents.\n"
           "#   gnuplot THIS-FILE > stats.svg\n"
           "#   gnuplot -e 'set terminal pngcairo size 1200,900' THIS-FILE "
           "> stats.png\n"
           "if (GPVAL_TERM eq \"unknown\") \\\n"
           "  set terminal svg size 1200,900 dynamic background "
           "rgb \"white\"\n"
           "set termoption noenhanced\n\n",
           nc, nc == 1 ? "" : "s", (unsigned long long) r->text.documents);

  fputs ("# Tokens per document at each percentile of the documents: the "
         "percentile,\n"
         "# then a column per model, in the order of the command line.\n"
         "$per_doc << EOD\npercent", f);
  for (size_t c = 0; c < nc; c++)
    {
      putc (' ', f);
      quoted_name (f, r->model[c].name);
    }
  putc ('\n', f);
  for (size_t k = 0; k < NCURVE; k++)
    {
      fprintf (f, "%u.%u", curve[k] / 10, curve[k] % 10);
      for (size_t c = 0; c < nc; c++)
        if (r->model[c].per_doc.docs)
          fprintf (f, " %llu", (unsigned long long) pct[c][k]);
        else
          fputs (" NaN", f);
      putc ('\n', f);
    }
  fputs ("EOD\n\n", f);

  fputs ("# A row per model, in increasing vocabulary size: the size (ids),"
         " bytes per\n"
         "# token, single-byte tokens (%), tokens, the model.\n"
         "$by_vocab << EOD\n", f);
  for (size_t i = 0; i < nc; i++)
    {
      const struct bp_stats_model *s = &r->model[order[i]];
      fprintf (f, "%zu ", bp_model_vocab (s->model));
      number (f, r->text.bytes, s->tokens, 3, 1);
      putc (' ', f);
      number (f, bp_stats_model_single_byte (s), s->tokens, 2, 100);
      fprintf (f, " %llu ", (unsigned long long) s->tokens);
      quoted_name (f, s->name);
      putc ('\n', f);
    }
  fputs ("EOD\n\n", f);

  fputs ("set multiplot title \"What the tokenizers make of the text\"\n"
         "set grid\n"
         "set origin 0, 0.45\nset size 1, 0.5\n"
         "set title \"Tokens per document (the context length that holds a "
         "share of the documents)\"\n"
         "set xlabel \"tokens per document\"\n"
         "set ylabel \"documents with at most that many tokens (%)\"\n"
         "set yrange [0:100]\n"
         "set key bottom right\n", f);
  /* A logarithmic axis holds documents of every length, but not 0.  A
     panel without a point says so rather than plot nothing (gnuplot
     5.4 fails, or crashes in a multiplot, on data with no valid
     point).  */
  if (hi)
    {
      fputs ("set logscale x\n", f);
      xrange (f, (double) lo, (double) hi);
      fputs ("plot for [i=2:*] $per_doc using "
             "(column(i) > 0 ? column(i) : NaN):1 \\\n"
             "  with steps linewidth 2 title columnheader(i)\n"
             "unset logscale x\n\n", f);
    }
  else
    {
      fputs ("set xrange [0:1]\n", f);
      empty_panel (f, "no document has a token");
    }

  fputs ("set origin 0, 0\nset size 0.5, 0.45\n"
         "set title \"Bytes per token against vocabulary size\"\n"
         "set xlabel \"vocabulary size (ids)\"\n"
         "set ylabel \"bytes per token\"\n"
         "set logscale x 2\n"
         "unset key\n", f);
  xrange (f, (double) vocab_lo, (double) vocab_hi);
  fprintf (f, "set yrange [0:%.3f]\n", bpt_max > 0 ? bpt_max * 1.25 : 1);
  if (bpt_max > 0)
    fputs ("plot $by_vocab using 1:2 with linespoints linewidth 2 "
           "pointtype 7, \\\n"
           "  '' using 1:2:5 with labels offset 0, 1\n\n", f);
  else
    empty_panel (f, "no tokens");

  fputs ("set origin 0.5, 0\n"
         "set title \"Single-byte tokens against vocabulary size\"\n"
         "set ylabel \"single-byte tokens (%)\"\n", f);
  fprintf (f, "set yrange [0:%.2f]\n", single_max > 0 ? single_max * 1.25
                                                      : 1);
  if (bpt_max > 0)
    fputs ("plot $by_vocab using 1:3 with linespoints linewidth 2 "
           "pointtype 7, \\\n"
           "  '' using 1:3:5 with labels offset 0, 1\n", f);
  else
    empty_panel (f, "no tokens");
  fputs ("unset multiplot\n", f);

  free (pct);
  free (order);
  return finish (f);
}
