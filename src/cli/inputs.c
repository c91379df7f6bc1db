/* Reading the FILE operands; see inputs.h.  */
#include <config.h>
#include "inputs.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "chunkrun.h"
#include "cli.h"
#include "error.h"
#include "progress.h"
#include "readprog.h"

int
bp_inputs_read (char *const *files, int nfiles, int stop_on_io,
                struct bp_progress *prog, bp_input_reader read, void *ctx,
                struct bp_error *err)
{
  static char *const stdin_only[] = { (char *) "-" };
  const struct bp_read_progress progress = { bp_progress_bytes, prog };
  int status = 0;

  if (nfiles == 0)
    {
      files = stdin_only;
      nfiles = 1;
    }
  for (int i = 0; i < nfiles; i++)
    bp_progress_expect (prog, bp_progress_path_size (files[i]));

  for (int i = 0; i < nfiles; i++)
    {
      const char *name = files[i];
      int is_stdin = strcmp (name, "-") == 0;
      int rc;
      bp_progress_begin (prog, name);
      int fd = is_stdin ? STDIN_FILENO : open (name, O_RDONLY | O_CLOEXEC);
      if (fd < 0)
        rc = bp_error_errno (err, errno);
      else
        {
          rc = read (ctx, fd, &progress, err);
          if (!is_stdin)
            close (fd);
        }
      if (rc == 0)
        continue;
      if (err->where != BP_AT_INPUT || err->code == BP_ENOMEM)
        return rc;   /* not the input's fault: the caller's to say */
      bp_progress_end (prog);
      bp_diag_error (name, err);
      status = 1;
      if (err->code != BP_EIO || stop_on_io)
        break;
    }
  return status;
}

struct chunkrun_input
{
  struct bp_chunkrun *r;
  struct bp_chunker *ch;
};

static int
read_chunks (void *ctx, int fd, const struct bp_read_progress *progress,
             struct bp_error *err)
{
  struct chunkrun_input *in = ctx;
  return bp_chunkrun_read (in->r, in->ch, fd, progress, err);
}

int
bp_inputs_chunkrun (char *const *files, int nfiles, struct bp_progress *prog,
                    struct bp_chunkrun *r, struct bp_chunker *ch,
                    struct bp_error *err)
{
  struct chunkrun_input in = { r, ch };
  return bp_inputs_read (files, nfiles, 0, prog, read_chunks, &in, err);
}
