/* SPDX-License-Identifier: Apache-2.0 */
/* Filling struct bp_error; see error.h.  */
#include <config.h>
#include "error.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* The fields every failure sets, the others left as they are (clearing
   the whole struct would write its file name on every error).  */
static void
reset (struct bp_error *err, int code, int errnum, uint64_t line)
{
  err->code = code;
  err->errnum = errnum;
  err->line = line;
  err->where = BP_AT_INPUT;
  err->input = 0;
  err->file[0] = '\0';
  err->detail[0] = '\0';
}

int
bp_error_set (struct bp_error *err, int code, uint64_t line,
              const char *fmt, ...)
{
  if (err)
    {
      va_list ap;
      reset (err, code, code == BP_ENOMEM ? ENOMEM : 0, line);
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
    reset (err, code, errnum ? errnum : EIO, 0);
  return code;
}

int
bp_error_at_input (struct bp_error *err, size_t input)
{
  if (!err)
    return 0;
  err->where = BP_AT_INPUT;
  err->input = input;
  return err->code;
}

int
bp_error_at_output (struct bp_error *err)
{
  if (!err)
    return 0;
  err->where = BP_AT_OUTPUT;
  return err->code;
}

int
bp_error_at_temp (struct bp_error *err, const char *path)
{
  if (!err)
    return 0;
  err->where = BP_AT_TEMP;
  snprintf (err->file, sizeof err->file, "%s", path);
  return err->code;
}

void
bp_error_clear (struct bp_error *err)
{
  if (err)
    reset (err, 0, 0, 0);
}
