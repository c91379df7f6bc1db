/* Filling struct bp_error; see error.h.  */
#include <config.h>
#include "error.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int
bp_error_set (struct bp_error *err, int code, uint64_t line,
              const char *fmt, ...)
{
  if (err)
    {
      va_list ap;
      err->code = code;
      err->errnum = code == BP_ENOMEM ? ENOMEM : 0;
      err->line = line;
      va_start (ap, fmt);
      vsnprintf (err->detail, sizeof err->detail, fmt, ap);
      va_end (ap);
    }
  return code;
}

int
bp_error_errno (struct bp_error *err, int errnum)
{
  int code = errnum == ENOMEM ? BP_ENOMEM : BP_EIO;
  if (err)
    {
      err->code = code;
      err->errnum = errnum;
      err->line = 0;
      err->detail[0] = '\0';
    }
  return code;
}

void
bp_error_clear (struct bp_error *err)
{
  if (err)
    memset (err, 0, sizeof *err);
}
