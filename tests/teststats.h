/* SPDX-License-Identifier: Apache-2.0 */
/* What the unit tests of lib/stats and of bp-stats' report writers
   (check_stats, check_statsreport) share: a small count file (read
   through testcounts.h's MEM_IN) and the fixture of a report on a small
   model after a short text.  Everything is static, so a test uses what
   it needs.  */
#ifndef BP_TESTSTATS_H
#define BP_TESTSTATS_H

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chunk.h"
#include "error.h"
#include "model.h"
#include "modelstats.h"
#include "testcounts.h"
#include "tokenstats.h"
#include "unigram.h"

static const char counts_file[]
  = "#bytepiece-counts 1 kind=pieces order=6 min_count=2 ensure_unicode=1 "
    "normalize=nfc isolate_digits=0\n"
    "\\n\t5\n"
    "a\t7\n"
    "ab\t5\n"
    "b\t7\n"
    "\xe4\xb8\xad\t1\n"
    "\xe4\xb8\xad\xe6\x96\x87\t2\n";

/* A model of the 256 single bytes (count 1 each), "ab" (count 50) and
   "中" (count 20).  */
static inline struct bp_model *
small_model (void)
{
  static uint8_t bytes[256];
  const uint8_t *pieces[258];
  size_t lens[258];
  uint64_t counts[258];
  for (int i = 0; i < 256; i++)
    {
      bytes[i] = (uint8_t) i;
      pieces[i] = &bytes[i];
      lens[i] = 1;
      counts[i] = 1;
    }
  pieces[256] = (const uint8_t *) "ab";
  lens[256] = 2;
  counts[256] = 50;
  pieces[257] = (const uint8_t *) "\xe4\xb8\xad";
  lens[257] = 3;
  counts[257] = 20;
  struct bp_model_params p = { 6, 2, 36, 1, 0, 1 };
  struct bp_model *m = bp_model_new (258, pieces, lens, counts, &p);
  ck_assert_ptr_nonnull (m);
  return m;
}

/* The report on SMALL_MODEL after the text "abab中\n" (whose tokens are
   ab ab 中 \n), fed as a chunk in two spans that cut the 中.  */
struct fixture
{
  struct bp_model *m;
  struct bp_unigram *u;
  struct bp_stats_report r;
};

static inline void
fixture_make (struct fixture *fx)
{
  struct bp_error err = { 0 };
  fx->m = small_model ();
  fx->u = bp_unigram_new (fx->m, &err);
  ck_assert_ptr_nonnull (fx->u);
  memset (&fx->r, 0, sizeof fx->r);
  fx->r.nmodels = 1;
  fx->r.model = calloc (1, sizeof *fx->r.model);
  ck_assert_ptr_nonnull (fx->r.model);
  ck_assert_int_eq (bp_stats_model_init (&fx->r.model[0], "small \"m\"",
                                         fx->m), 0);

  const struct bp_unigram *u = fx->u;
  struct bp_stats_acc *a = bp_stats_acc_new (1, &u);
  ck_assert_ptr_nonnull (a);
  static const char text[] = "abab\xe4\xb8\xad\n";
  ck_assert_int_eq (bp_stats_acc_span (a, (const uint8_t *) text, 5, 0, 1),
                    0);
  ck_assert_int_eq (bp_stats_acc_span (a, (const uint8_t *) text + 5, 3,
                                       BP_SPAN_CHUNK_END | BP_SPAN_DOC_END,
                                       0), 0);
  /* A document with no chunk (an empty line in --lines mode).  */
  ck_assert_int_eq (bp_stats_acc_span (a, (const uint8_t *) "", 0,
                                       BP_SPAN_DOC_END, 1), 0);
  ck_assert_int_eq (bp_stats_acc_add_to (a, &fx->r), 0);
  bp_stats_acc_free (a);
}

static inline void
fixture_free (struct fixture *fx)
{
  bp_stats_model_free (&fx->r.model[0]);
  free (fx->r.model);
  bp_unigram_free (fx->u);
  bp_model_free (fx->m);
}

#endif /* BP_TESTSTATS_H */
