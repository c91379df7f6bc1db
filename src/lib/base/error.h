/* SPDX-License-Identifier: Apache-2.0 */
/* How library functions report failure: a negative BP_E* code, with the
   details in a struct bp_error that the program turns into a GNU-style
   diagnostic.  One channel: what failed (the code), the errno of the
   call that failed, where in the data (a line), and what the failure is
   about (the input being read, which of several inputs, the output, a
   temporary file) all travel in the struct, and nowhere else.

   Ownership: struct bp_error is a plain value; nothing in it is allocated.  */
#ifndef BP_ERROR_H
#define BP_ERROR_H

#include <stddef.h>
#include <stdint.h>

enum bp_errcode
{
  BP_OK = 0,
  BP_ENOMEM = -1,     /* out of memory */
  BP_EIO = -2,        /* read or write error; errnum says which */
  BP_EFORMAT = -3,    /* malformed input data; line and detail say where */
  BP_ERANGE = -4,     /* a value out of range (an id, a count) */
  BP_EINVAL = -5      /* a parameter the caller should have checked */
};

/* What a failure is about: the program names that file in its message.  */
enum bp_where
{
  BP_AT_INPUT,        /* the input being read; INPUT says which of several */
  BP_AT_OUTPUT,       /* the output being written */
  BP_AT_TEMP          /* the temporary file FILE */
};

/* The longest temporary file name a struct bp_error keeps.  */
#define BP_ERROR_FILE_MAX 4096

struct bp_error
{
  int code;           /* one of enum bp_errcode */
  int errnum;         /* errno of the call that failed (BP_EIO and
                         BP_ENOMEM), else 0 */
  uint64_t line;      /* 1-based line of the input, or 0 if none applies */
  enum bp_where where;
  size_t input;       /* BP_AT_INPUT: which input of a call that reads
                         several (0 for the first or only one) */
  char file[BP_ERROR_FILE_MAX];  /* BP_AT_TEMP: the file's name */
  char detail[256];   /* what is wrong, already translated by _() */
};

/* Fill ERR (if not NULL) and return CODE, so a caller can write
   'return bp_error_set (err, BP_EFORMAT, line, _("bad count"));'.  The
   failure is about the input (BP_AT_INPUT, input 0).  */
int bp_error_set (struct bp_error *err, int code, uint64_t line,
                  const char *fmt, ...)
  __attribute__ ((format (printf, 4, 5)));

/* Record the failure of a call that set errno to ERRNUM: BP_EIO, or
   BP_ENOMEM if ERRNUM is ENOMEM (EIO if ERRNUM is 0).  About the input,
   as bp_error_set.  */
int bp_error_errno (struct bp_error *err, int errnum);

/* Say what the failure in ERR (if not NULL) is about: the input INPUT
   (of several), the output, or the temporary file PATH.  Each returns
   ERR's code, to end a 'return' statement where ERR cannot be NULL (0
   if it is).  */
int bp_error_at_input (struct bp_error *err, size_t input);
int bp_error_at_output (struct bp_error *err);
int bp_error_at_temp (struct bp_error *err, const char *path);

/* Clear ERR to "no error".  */
void bp_error_clear (struct bp_error *err);

#endif /* BP_ERROR_H */
