/* SPDX-License-Identifier: Apache-2.0 */
/* The FILE operands of a program, read one after the other the same way
   by every program, as coreutils does: the operands on the command line,
   or the names listed in the file of --files-from (one a line) or
   --files0-from (each ended by a NUL), as in du, wc and sort; "-" (or no
   operand at all) is standard input; the sizes are announced to the
   progress report first; a file that cannot be opened or read is
   reported and the next one follows (the status is 1 at the end); bad
   data is reported and stops the run.  Part of the programs'
   command-line support, like cli.h: it writes diagnostics and exits on
   usage errors.

   Ownership: struct bp_inputs owns the names read from a list, until
   bp_inputs_free; operands from the command line are borrowed.  */
#ifndef BP_INPUTS_H
#define BP_INPUTS_H

#include <stddef.h>
#include <stdint.h>

struct bp_chunker;
struct bp_chunkrun;
struct bp_cli_options;
struct bp_error;
struct bp_progress;
struct bp_read_progress;

struct bp_inputs
{
  char **names;       /* names[0..n) */
  size_t n;
  const char *list;   /* the list (--files-from), or NULL */
  int listed;         /* from a list: N may be 0, and then nothing is read
                         (no operand means standard input otherwise) */
  int bad;            /* the list had bad entries, reported: the status
                         will be 1 */
  unsigned char *unopened;  /* unopened[i]: names[i] could not be opened */
  int of_text;        /* set by the caller: the inputs are text, and a
                         file of compressed data is warned of
                         (wrongfile.h); bp_inputs_chunkrun sets it */
  char *text;         /* the list's bytes, which NAMES point into */
};

/* Fill IN with the FILE operands ARGV[FIRST..ARGC), or with the names of
   the list O->files_from (-: standard input) when --files-from or
   --files0-from was given: then an operand is a usage error, and so is
   a list that cannot be read (reported, exit 1).  An empty name in the
   list, or "-" in a list read from standard input, is reported ("PROG:
   LIST:N: ...") and left out, and the run's status will be 1.  */
void bp_inputs_init (struct bp_inputs *in, const struct bp_cli_options *o,
                     int argc, char **argv, int first);

void bp_inputs_free (struct bp_inputs *in);

/* The name of the input numbered I (from 0; "-" for standard input,
   which is input 0 when there are no names and no list).  */
const char *bp_inputs_name (const struct bp_inputs *in, size_t i);

/* Read the input open on FD, the INPUT-th of the names (from 0), telling
   PROGRESS of the bytes read.  Returns 0, or a negative BP_E* code with
   ERR filled (ERR's where says what failed: the input, or something
   else); or 1 when it succeeded and took FD over (it closes it, now or
   later).  */
typedef int (*bp_input_reader) (void *ctx, size_t input, int fd,
                                const struct bp_read_progress *progress,
                                struct bp_error *err);

/* Call READ with each input of IN, opened read-only (standard input if
   there is none and IN is not a list).  What goes wrong with an input is
   reported: a file that cannot be opened or read ("PROG: FILE:
   strerror"), after which the next file follows (unless the process
   has no descriptor left: then the run stops); bad data ("PROG:
   FILE:LINE: ..."), which stops the run.  A failure that is not an
   input's (ERR's where is the output or a temporary file; memory) stops
   the run and is left to the caller.  Returns 0 if every input was read
   (and the list had no bad entry); 1 if something was reported; or the
   negative code of a failure left to the caller, with ERR filled.  */
int bp_inputs_read (struct bp_inputs *in, struct bp_progress *prog,
                    bp_input_reader read, void *ctx, struct bp_error *err);

/* bp_inputs_read, each input read through the chunker CH into the run R
   (bp_chunkrun_read).  */
int bp_inputs_chunkrun (struct bp_inputs *in, struct bp_progress *prog,
                        struct bp_chunkrun *r, struct bp_chunker *ch,
                        struct bp_error *err);

/* Say on stderr how many --jsonl lines --skip-invalid skipped (N), if
   any, and why the first (FIRST: its line, and its input as the chunker
   numbers them: of those opened, from 0).  */
void bp_inputs_report_skipped (const struct bp_inputs *in, uint64_t n,
                               const struct bp_error *first);

#endif /* BP_INPUTS_H */
