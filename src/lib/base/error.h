/* How library functions report failure: a negative BP_E* code, with the
   details (errno, line number, a short message) in a struct bp_error that
   the program turns into a GNU-style diagnostic.

   Ownership: struct bp_error is a plain value; nothing in it is allocated.  */
#ifndef BP_ERROR_H
#define BP_ERROR_H

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

struct bp_error
{
  int code;           /* one of enum bp_errcode */
  int errnum;         /* errno for BP_EIO and BP_ENOMEM, else 0 */
  uint64_t line;      /* 1-based line of the input, or 0 if none applies */
  char detail[256];   /* untranslated-free text, already translated by _() */
};

/* Fill ERR (if not NULL) and return CODE, so a caller can write
   'return bp_error_set (err, BP_EFORMAT, line, _("bad count"));'.  */
int bp_error_set (struct bp_error *err, int code, uint64_t line,
                  const char *fmt, ...)
  __attribute__ ((format (printf, 4, 5)));

/* Record an errno-based failure (BP_EIO, or BP_ENOMEM if ERRNUM is ENOMEM).  */
int bp_error_errno (struct bp_error *err, int errnum);

/* Clear ERR to "no error".  */
void bp_error_clear (struct bp_error *err);

#endif /* BP_ERROR_H */
