/* Progress reports for long runs: bytes done, rate and time left, on one
   line of standard error rewritten in place.  By default only when
   standard error is a terminal; --progress forces it, --quiet silences
   it.  Never on a pipe by default, so logs stay clean.

   This is part of the programs' command-line support, like cli.h: it
   writes to stderr.  Ownership: a plain struct, nothing allocated.  */
#ifndef BP_PROGRESS_H
#define BP_PROGRESS_H

#include <stdint.h>

enum bp_progress_mode
{
  BP_PROGRESS_AUTO,   /* when stderr is a terminal */
  BP_PROGRESS_ON,     /* --progress */
  BP_PROGRESS_OFF     /* --quiet */
};

struct bp_progress
{
  int on;
  int tty;              /* rewrite one line in place */
  const char *what;     /* what is being done, e.g. a file name */
  uint64_t total;       /* bytes expected, 0 if unknown */
  uint64_t base;        /* bytes done before the current input */
  double start, last;   /* monotonic seconds */
  int shown;            /* a line is on the screen */
  uint64_t done;        /* bytes done, all inputs */
  uint64_t summed;      /* DONE when the last totals were written */
};

/* Set P up for MODE.  */
void bp_progress_init (struct bp_progress *p, enum bp_progress_mode mode);

/* Expect TOTAL more bytes in all; call once per input with its size
   before its bytes are reported (0 if unknown: a pipe).  */
void bp_progress_expect (struct bp_progress *p, uint64_t total);

/* The size of the regular file PATH ("-" or anything else: 0).  */
uint64_t bp_progress_path_size (const char *path);

/* Begin the input WHAT (its name, borrowed until the next input): DONE
   in later calls counts from here.  */
void bp_progress_begin (struct bp_progress *p, const char *what);

/* DONE bytes of the current input are done; prints at most five times a
   second.  */
void bp_progress_update (struct bp_progress *p, uint64_t done);

/* bp_progress_update for the library's struct bp_read_progress
   (readprog.h), its context a struct bp_progress.  */
void bp_progress_bytes (void *p, uint64_t done);

/* A stage without bytes to count (a pass over a table): show its name.  */
void bp_progress_stage (struct bp_progress *p, const char *what);

/* Erase the line, if one is shown (before other messages and at the end).
   When the report goes to a log (--progress, not a terminal), write a
   last line with the totals instead.  */
void bp_progress_end (struct bp_progress *p);

#endif /* BP_PROGRESS_H */
