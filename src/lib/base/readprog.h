/* How far reading an input got, for a progress report: the library
   shows nothing itself, it calls back.  FN is called now and then with
   CTX and the bytes read from the input so far, and once at its end.

   Ownership: a plain struct; the context is the caller's.  */
#ifndef BP_READPROG_H
#define BP_READPROG_H

#include <stdint.h>

struct bp_read_progress
{
  void (*fn) (void *ctx, uint64_t bytes);
  void *ctx;
};

#endif /* BP_READPROG_H */
