/* SPDX-License-Identifier: Apache-2.0 */
/* Memory budgets: the one place that owns a limit on memory and hands it
   out (DESIGN.md section 4).  The limit comes from the command line
   (bp-count -S SIZE, parsed as sort -S does) or from the machine
   (bp_budget_default); counting splits it into equal shares, one per
   worker (bp_budget_share), and each count table reserves what it holds
   from its share and spills to temporary files rather than pass it.
   What an escaped-key sort of a spill costs is keysort.h's
   BP_KEYSORT_BYTES, which the tables reserve room for.

   Ownership: a struct bp_budget is a plain value; nothing is
   allocated.  A budget is used by one thread.  */
#ifndef BP_BUDGET_H
#define BP_BUDGET_H

#include <stddef.h>
#include <stdint.h>

struct bp_budget
{
  size_t limit;      /* bytes; 0: no limit */
  size_t used;       /* reserved so far */
};

/* The least memory a share gets, whatever the budget.  */
#define BP_BUDGET_MIN_SHARE ((size_t) 128 << 10)

/* Parse ARG: a decimal number, then optionally a unit: b for bytes, K
   (the default, as in sort), M, G, T or P for powers of 1024 (either
   case), or % for a percentage of the physical memory.  Returns 0 with
   the bytes in *BYTES, BP_EINVAL (not such a size, or % when the
   physical memory is unknown), or BP_ERANGE (more than a size_t holds).  */
int bp_budget_parse (const char *arg, size_t *bytes);

/* The physical memory in bytes, or 0 if unknown.  */
size_t bp_budget_physical (void);

/* The default limit of counting: half of the physical memory, and no
   more than half of what the address space and data limits (ulimit -v,
   -d) allow; 0 (no limit) when none of these is known.  */
size_t bp_budget_default (void);

/* A budget of LIMIT bytes (0: no limit), nothing reserved.  */
static inline struct bp_budget
bp_budget_of (size_t limit)
{
  return (struct bp_budget) { limit, 0 };
}

/* One of N equal shares of B's limit (N >= 1), at least
   BP_BUDGET_MIN_SHARE; no limit if B has none.  Nothing reserved.  */
struct bp_budget bp_budget_share (const struct bp_budget *b, size_t n);

/* Would reserving MORE bytes pass B's limit?  Never without a limit.  */
static inline int
bp_budget_over (const struct bp_budget *b, size_t more)
{
  return b->limit && (b->used > b->limit || more > b->limit - b->used);
}

/* The bytes left before B's limit (SIZE_MAX without a limit).  */
static inline size_t
bp_budget_room (const struct bp_budget *b)
{
  if (!b->limit)
    return SIZE_MAX;
  return b->used < b->limit ? b->limit - b->used : 0;
}

/* Reserve N bytes of B, or give them back.  */
static inline void
bp_budget_reserve (struct bp_budget *b, size_t n)
{
  b->used += n;
}

static inline void
bp_budget_release (struct bp_budget *b, size_t n)
{
  b->used = n < b->used ? b->used - n : 0;
}

/* Add budget B to SUM: the limits and what is reserved (a sum of
   shares, when the workers' tables are put together).  */
static inline void
bp_budget_add (struct bp_budget *sum, const struct bp_budget *b)
{
  sum->limit += b->limit;
  sum->used += b->used;
}

#endif /* BP_BUDGET_H */
