/* Amounts of memory as the command line gives them (bp-count -S SIZE,
   after sort -S), and the machine's memory for the default budget.

   Ownership: nothing is allocated.  */
#ifndef BP_MEMSIZE_H
#define BP_MEMSIZE_H

#include <stddef.h>

/* Parse ARG: a decimal number, then optionally a unit: b for bytes, K
   (the default, as in sort), M, G, T or P for powers of 1024 (either
   case), or % for a percentage of the physical memory.  Returns 0 with
   the bytes in *BYTES, BP_EINVAL (not such a size, or % when the
   physical memory is unknown), or BP_ERANGE (more than a size_t holds).  */
int bp_memsize_parse (const char *arg, size_t *bytes);

/* The physical memory in bytes, or 0 if unknown.  */
size_t bp_memsize_physical (void);

/* The default memory budget of counting: half of the physical memory,
   and no more than half of what the address space and data limits
   (ulimit -v, -d) allow; 0 (no budget) when none of these is known.  */
size_t bp_memsize_default (void);

#endif /* BP_MEMSIZE_H */
