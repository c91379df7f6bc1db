/* SPDX-License-Identifier: Apache-2.0 */
/* bp-stats' report writers: the statistics of lib/stats written as
   aligned text with '#' bar charts (stats-text.c), as one JSON object
   (stats-json.c), or as a gnuplot script (stats-plot.c).  They belong
   to bp-stats alone, not to the library: the library computes, the
   program words and lays out.

   Ownership: everything is borrowed; the writers allocate only for the
   time of a call.  */
#ifndef BP_STATS_REPORT_H
#define BP_STATS_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "countstats.h"
#include "modelstats.h"

/* How to write a report.  */
struct bp_stats_layout
{
  size_t top;           /* entries in each list of pieces or keys */
  size_t bar_width;     /* the longest bar of a chart, per column */
};

/* The percentiles of tokens per document the reports give, in per mille
   (bp_dochist_percentiles), and their names.  */
#define BP_STATS_NPCT 4
#define BP_STATS_PCT_PERMILLE { 500, 900, 950, 990 }
#define BP_STATS_PCT_NAMES { "p50", "p90", "p95", "p99" }

/* Write the report R to F as text or as one JSON object (the keys are
   listed in bp-stats(1)).  Returns 0, BP_EIO (F's error; errno tells)
   or BP_ENOMEM.  */
int bp_stats_write_text (FILE *f, const struct bp_stats_report *r,
                         const struct bp_stats_layout *l);
int bp_stats_write_json (FILE *f, const struct bp_stats_report *r,
                         const struct bp_stats_layout *l);

/* Write R, which must have text, to F as a gnuplot script with its data
   (see bp-stats(1)).  Returns as bp_stats_write_text.  */
int bp_stats_write_plot (FILE *f, const struct bp_stats_report *r);

/* The same for the N count-file summaries C[i], one column each.  */
int bp_stats_write_counts_text (FILE *f, const struct bp_stats_counts *c,
                                size_t n, const struct bp_stats_layout *l);
int bp_stats_write_counts_json (FILE *f, const struct bp_stats_counts *c,
                                size_t n);

#endif /* BP_STATS_REPORT_H */
