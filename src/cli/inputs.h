/* The FILE operands of a program, read one after the other the same way
   by every program: "-" (or no operand at all) is standard input, the
   sizes are announced to the progress report first, and failures are
   reported the GNU way.  Part of the programs' command-line support, like
   cli.h: it writes diagnostics.  */
#ifndef BP_INPUTS_H
#define BP_INPUTS_H

struct bp_error;
struct bp_progress;

/* Read the input open on FD, named NAME.  Returns 0, or a negative code:
   with ERR filled when the input is at fault (reported by
   bp_inputs_read), with ERR clear when it is not (left to the caller).  */
typedef int (*bp_input_reader) (void *ctx, int fd, const char *name,
                                struct bp_progress *prog,
                                struct bp_error *err);

/* Call READ with each of FILES[0..NFILES), opened read-only, or with
   standard input if NFILES is 0.  A file that cannot be opened, or that
   fails with an I/O error, is reported ("PROG: FILE: strerror"; an I/O
   error whose detail names another file, a temporary one, names that one
   instead); then, unless STOP_ON_IO, the next file follows.  Bad data is
   reported ("PROG: FILE:LINE: ...") and stops the run.  *FAILED is set
   when something was reported.  Returns 0 when every operand was tried,
   or the code of the failure that stopped the run.  */
int bp_inputs_read (char *const *files, int nfiles, int stop_on_io,
                    struct bp_progress *prog, bp_input_reader read,
                    void *ctx, int *failed);

#endif /* BP_INPUTS_H */
