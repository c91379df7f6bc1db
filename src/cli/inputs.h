/* The FILE operands of a program, read one after the other the same way
   by every program, as coreutils does: "-" (or no operand at all) is
   standard input, the sizes are announced to the progress report first,
   a file that cannot be opened or read is reported and the next one
   follows, and bad data is reported and stops the run.  Part of the
   programs' command-line support, like cli.h: it writes diagnostics.  */
#ifndef BP_INPUTS_H
#define BP_INPUTS_H

struct bp_chunker;
struct bp_chunkrun;
struct bp_error;
struct bp_progress;
struct bp_read_progress;

/* Read the input open on FD, telling PROGRESS of the bytes read.  Returns
   0, or a negative BP_E* code with ERR filled (ERR's where says what
   failed: the input, or something else).  */
typedef int (*bp_input_reader) (void *ctx, int fd,
                                const struct bp_read_progress *progress,
                                struct bp_error *err);

/* Call READ with each of FILES[0..NFILES), opened read-only, or with
   standard input if NFILES is 0.  What goes wrong with an input is
   reported: a file that cannot be opened or read ("PROG: FILE:
   strerror"), after which the next file follows unless STOP_ON_IO; bad
   data ("PROG: FILE:LINE: ..."), which stops the run.  A failure that is
   not an input's (ERR's where is the output or a temporary file; memory)
   stops the run and is left to the caller.  Returns 0 if every input was
   read; 1 if something was reported; or the negative code of a failure
   left to the caller, with ERR filled.  */
int bp_inputs_read (char *const *files, int nfiles, int stop_on_io,
                    struct bp_progress *prog, bp_input_reader read,
                    void *ctx, struct bp_error *err);

/* bp_inputs_read, each input read through the chunker CH into the run R
   (bp_chunkrun_read), going on after a file that cannot be read.  */
int bp_inputs_chunkrun (char *const *files, int nfiles,
                        struct bp_progress *prog, struct bp_chunkrun *r,
                        struct bp_chunker *ch, struct bp_error *err);

#endif /* BP_INPUTS_H */
