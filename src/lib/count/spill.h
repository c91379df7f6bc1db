/* SPDX-License-Identifier: Apache-2.0 */
/* Counting beyond memory (DESIGN.md section 4): when a count table would
   pass its memory budget, its content is written as a sorted run, a
   count file in a temporary file, and the table is emptied; at the end
   all runs are added up by the k-way merge (countmerge.h) into the
   output.  This module keeps the runs: it makes their files (through
   the caller's struct bp_tempfiles, which may remove them when the
   program is interrupted: the library installs no signal handler),
   merges them into one whenever there are too many to keep open, and
   merges them into the output.  What goes into a run, and when, is the
   tables' business (ngramcount.h, strcount.h).

   The runs are count files with the header the spill was made with
   (total 0): the merge reads them back with the checking reader.  Since
   counts add, a key may be in any number of runs, and a run may hold a
   part of a table; the merge's sums are the table's counts.

   Thread-safe: several threads may write runs at the same time.

   Ownership: bp_spill_new returns a new spill, freed with bp_spill_free,
   which removes every file it made.  Arguments are borrowed.  */
#ifndef BP_SPILL_H
#define BP_SPILL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "counts.h"

struct bp_error;
struct bp_spill;
struct bp_stage_progress;

/* Where and how temporary files are made: the caller's to say (the
   command-line layer registers them for removal on signals and at exit;
   tempfile.h there has functions of these types).  */
struct bp_tempfiles
{
  const char *dir;   /* the directory of the files */
  /* Make a new empty file in DIR, its name PREFIX and a few random
     characters, open for reading and writing.  Returns its descriptor
     with the name in *PATH (to free with free after REMOVE), or -1 with
     errno set.  */
  int (*create) (const char *dir, const char *prefix, char **path);
  /* Remove the file PATH made by CREATE.  Returns 0, or -1 with errno
     set.  */
  int (*remove) (const char *path);
};

/* A spill keeping its runs in files made by T (copied; its directory
   must outlive the spill), each a count file with the header H (copied).
   Nothing is created yet.  Returns NULL if out of memory.  */
struct bp_spill *bp_spill_new (const struct bp_tempfiles *t,
                               const struct bp_counts_header *h);

void bp_spill_free (struct bp_spill *s);

/* Tell P (readprog.h; borrowed, NULL for nothing) how far merges get:
   each merge of runs into one is a stage BP_STAGE_COMBINE, the merge
   into the output one BP_STAGE_MERGE, both in bytes of the runs read.
   A merge into one runs in the thread that ended a run.  */
void bp_spill_progress (struct bp_spill *s, const struct bp_stage_progress *p);

/* Start a run: make its file, write the header, and set up *W to write
   its records (sorted by escaped key, each key once).  Returns 0, or
   BP_EIO (errno in ERR, about the temporary file or its directory),
   BP_ENOMEM.  */
int bp_spill_begin (struct bp_spill *s, struct bp_counts_writer *w,
                    struct bp_error *err);

/* Finish the run W was set up for by bp_spill_begin (W is freed): it
   joins the runs to merge.  If there are then more runs than the merge
   keeps open, they are first merged into one.  Returns 0 or BP_EIO,
   BP_ENOMEM, BP_ERANGE (a count overflowed), as bp_spill_begin.  */
int bp_spill_end (struct bp_spill *s, struct bp_counts_writer *w,
                  struct bp_error *err);

/* Give up a run begun with bp_spill_begin, after the failure in ERR:
   its file is removed and W freed.  A write error on W (BP_EIO about the
   output) is made about the run's file.  Returns ERR's code.  */
int bp_spill_abandon (struct bp_spill *s, struct bp_counts_writer *w,
                      struct bp_error *err);

/* The number of runs written so far (those merged into others
   included).  */
uint64_t bp_spill_runs (const struct bp_spill *s);

/* Merge every run into F as one count file with the header H (its
   records the sums).  Returns 0 or a negative code as bp_spill_begin:
   about the output if writing F failed, else about a run.  */
int bp_spill_merge (struct bp_spill *s, const struct bp_counts_header *h,
                    FILE *f, struct bp_error *err);

#endif /* BP_SPILL_H */
