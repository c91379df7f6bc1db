/* SPDX-License-Identifier: Apache-2.0 */
/* How far the library's long operations got, for a progress report: the
   library shows nothing itself, it calls back, and the caller words and
   shows what it is told.

   Reading an input: FN is called now and then with CTX and the bytes
   read from the input so far, and once at its end.

   The stages after the reading (writing a count file, merging spilled
   runs, pruning) each say what they are and how much work they hold
   when they begin, how much of it is done now and then, and when they
   end.  A stage may begin inside another (a merge of runs while a table
   is spilled); the outer one goes on when the inner one ends.  The
   callbacks may come from any thread, including two at once (a worker
   that merges runs while the calling thread reads): the callee
   serialises them.

   Ownership: plain structs; the contexts are the caller's.  */
#ifndef BP_READPROG_H
#define BP_READPROG_H

#include <stddef.h>
#include <stdint.h>

struct bp_read_progress
{
  void (*fn) (void *ctx, uint64_t bytes);
  void *ctx;
};

/* What a stage does; ITEMS, TOTAL and the rest of struct bp_stage say
   how much.  */
enum bp_stage_kind
{
  BP_STAGE_COMBINE,   /* merging ITEMS spilled runs into one while
                         counting goes on (the budget of -S); bytes of the
                         runs */
  BP_STAGE_SPILL,     /* writing what the tables hold as sorted runs,
                         since it does not fit in memory; windows or
                         entries */
  BP_STAGE_ADD,       /* adding up the tables of ITEMS threads into one;
                         entries */
  BP_STAGE_WRITE,     /* writing a count file of ITEMS records from
                         memory (0: not known); records or entries */
  BP_STAGE_MERGE,     /* merging ITEMS runs or count files into the
                         output; bytes of them read */
  BP_STAGE_DROP,      /* pruning (DESIGN.md 1.5): re-segmenting the ITEMS
                         pieces dropped, for the vocabulary of SIZE (0:
                         those of step 2, before any size); their bytes */
  BP_STAGE_SETTLE     /* pruning, step 3: re-segmenting the ITEMS pieces
                         kept, round PASS (from 1), for SIZE as above;
                         their bytes */
};

struct bp_stage
{
  enum bp_stage_kind kind;
  uint64_t items;     /* how many things the stage works on */
  uint64_t total;     /* the units of work, 0 if not known */
  int bytes;          /* the units are bytes */
  size_t size;        /* pruning: the vocabulary size, or 0 */
  unsigned pass;      /* pruning: the round of step 3, or 0 */
};

struct bp_stage_progress
{
  void (*begin) (void *ctx, const struct bp_stage *s);
  void (*advance) (void *ctx, uint64_t done);   /* units done so far */
  void (*end) (void *ctx);
  void *ctx;
};

/* Calls that do nothing when P is NULL, for the library's use.  */
static inline void
bp_stage_begin (const struct bp_stage_progress *p, const struct bp_stage *s)
{
  if (p && p->begin)
    p->begin (p->ctx, s);
}

static inline void
bp_stage_advance (const struct bp_stage_progress *p, uint64_t done)
{
  if (p && p->advance)
    p->advance (p->ctx, done);
}

static inline void
bp_stage_end (const struct bp_stage_progress *p)
{
  if (p && p->end)
    p->end (p->ctx);
}

#endif /* BP_READPROG_H */
