/* SPDX-License-Identifier: Apache-2.0 */
/* Progress reports for long runs, on one line of standard error
   rewritten in place: what is being done, how far it got, the rate and
   the time left.  By default only when standard error is a terminal;
   --progress forces it (one line every ten seconds on a file or pipe),
   --quiet silences it.  Never on a pipe by default, so logs stay clean.

   On a terminal the line is fitted to its width (TIOCGWINSZ, else
   $COLUMNS, else 80 columns), dropping the rate, then the amounts, then
   shortening the name, so that it never wraps: a wrapped line would be
   left behind at every update.  At the end a one-line summary stays,
   what was done, how much and how long it took (as dd and tqdm leave
   theirs).

   What is shown is a stack: reading the inputs at the bottom, and on it
   the stages the program or the library (readprog.h) begin, each with
   its own percentage and time left; the top one is shown.  The library
   may report from worker threads: every function here serialises.

   This is part of the programs' command-line support, like cli.h: it
   writes to stderr and reads the environment.  Ownership: the caller's
   struct; nothing else is allocated.  */
#ifndef BP_PROGRESS_H
#define BP_PROGRESS_H

#include <stddef.h>
#include <stdint.h>

#include "readprog.h"

enum bp_progress_mode
{
  BP_PROGRESS_AUTO,   /* when stderr is a terminal */
  BP_PROGRESS_ON,     /* --progress */
  BP_PROGRESS_OFF     /* --quiet */
};

/* A stage being shown: its label (already worded) and how far it got.  */
struct bp_progress_level
{
  char label[160];
  int name;             /* the label is a file name: shorten its start */
  uint64_t done, total; /* total 0: not known */
  int bytes;            /* the units are bytes */
  double start;
};

/* The deepest stack of stages shown; deeper ones are counted, not
   shown.  */
#define BP_PROGRESS_DEPTH 4

/* Words the library's stage S into BUF (SIZE bytes), for the program.  */
typedef void (*bp_progress_words) (const struct bp_stage *s, char *buf,
                                   size_t size);

struct bp_progress
{
  int on;
  int tty;              /* rewrite one line in place */
  double start, last;   /* monotonic seconds */
  int finished;         /* the summary is written: nothing more */
  uint64_t total;       /* bytes of all inputs expected, 0 if unknown */
  uint64_t base;        /* bytes done before the current input */
  struct bp_progress_level level[BP_PROGRESS_DEPTH];  /* [0]: reading */
  int depth;            /* stages on the reading, shown or not */
  bp_progress_words words;
  struct bp_stage_progress stages;   /* what the library is given */
};

/* Set P up for MODE.  */
void bp_progress_init (struct bp_progress *p, enum bp_progress_mode mode);

/* Expect TOTAL more bytes in all; call once per input with its size
   before its bytes are reported (0 if unknown: a pipe).  */
void bp_progress_expect (struct bp_progress *p, uint64_t total);

/* The size of the regular file PATH ("-" or anything else: 0).  */
uint64_t bp_progress_path_size (const char *path);

/* Begin the input WHAT (its name, copied): DONE in later calls counts
   from here.  */
void bp_progress_begin (struct bp_progress *p, const char *what);

/* DONE bytes of the current input are done; the line is rewritten at
   most five times a second.  */
void bp_progress_update (struct bp_progress *p, uint64_t done);

/* bp_progress_update for the library's struct bp_read_progress
   (readprog.h), its context a struct bp_progress.  */
void bp_progress_bytes (void *p, uint64_t done);

/* Push a stage of the program, LABEL (copied), of TOTAL units (0: not
   known; then the time it has taken is shown), bytes if BYTES.  */
void bp_progress_push (struct bp_progress *p, const char *label,
                       uint64_t total, int bytes);

/* DONE units of the top stage are done.  */
void bp_progress_advance (struct bp_progress *p, uint64_t done);

/* bp_progress_advance for a struct bp_read_progress: its context a
   struct bp_progress.  */
void bp_progress_advance_bytes (void *p, uint64_t done);

/* The top stage is over: the one below it is shown again.  */
void bp_progress_pop (struct bp_progress *p);

/* The library's stages, worded by WORDS, pushed and popped on P: pass
   the result (owned by P) to the library.  NULL if P is off.  */
const struct bp_stage_progress *bp_progress_stages (struct bp_progress *p,
                                                    bp_progress_words words);

/* The seconds since bp_progress_init.  */
double bp_progress_elapsed (const struct bp_progress *p);

/* The bytes of every input done so far.  */
uint64_t bp_progress_bytes_done (const struct bp_progress *p);

/* BYTES as people read them (B, kB, MB, GB: powers of 1000), and SECS
   as M:SS or H:MM:SS, in BUF (at least 32 bytes).  */
const char *bp_progress_size (char *buf, double bytes);
const char *bp_progress_time (char *buf, double secs);

/* Erase the line, if one is shown: before a message, or when the run
   fails.  The next update shows it again.  */
void bp_progress_end (struct bp_progress *p);

/* The run is over: replace the line by a summary that stays, WHAT then
   the NMORE figures MORE (on a terminal, as many as its width holds).
   Nothing is shown after it.  Nothing if P is off.  */
void bp_progress_done (struct bp_progress *p, const char *what,
                       const char *const *more, size_t nmore);

/* bp_progress_done with FMT worded with the bytes of the inputs and the
   time taken (its two %s, in that order), then the rate, then MORE if
   not NULL.  */
void bp_progress_summary (struct bp_progress *p, const char *fmt,
                          const char *more);

/* Erase the line of whichever progress report is on the screen (bp_diag
   calls it before each message).  */
void bp_progress_hide (void);

#endif /* BP_PROGRESS_H */
