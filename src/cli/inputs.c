/* Reading the FILE operands; see inputs.h.  */
#include <config.h>
#include "inputs.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "error.h"
#include "progress.h"

int
bp_inputs_read (char *const *files, int nfiles, int stop_on_io,
                struct bp_progress *prog, bp_input_reader read, void *ctx,
                int *failed)
{
  static char *const stdin_only[] = { (char *) "-" };

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
      struct bp_error err = { 0 };
      int rc;
      int fd = is_stdin ? STDIN_FILENO : open (name, O_RDONLY | O_CLOEXEC);
      if (fd < 0)
        rc = bp_error_errno (&err, errno);
      else
        {
          rc = read (ctx, fd, name, prog, &err);
          if (!is_stdin)
            close (fd);
        }
      if (rc == 0)
        continue;
      if (err.code == 0)
        return rc;   /* not the input's fault: the caller's to say */
      bp_progress_end (prog);
      bp_diag_error (err.code == BP_EIO && err.detail[0] ? err.detail : name,
                     &err);
      *failed = 1;
      if (err.code != BP_EIO || stop_on_io)
        return rc;
    }
  return 0;
}
