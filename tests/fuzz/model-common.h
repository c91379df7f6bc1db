/* SPDX-License-Identifier: Apache-2.0 */
/* The oracles the two model targets share (fuzz-model-text.c,
   fuzz-model-json.c): a model read is written back in both forms and
   read again unchanged, and the automaton finds each of its pieces.  */
#ifndef FUZZ_MODEL_COMMON_H
#define FUZZ_MODEL_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "fuzz.h"
#include "automaton.h"
#include "model.h"

/* Are the pieces and counts of A and B the same?  */
static void
same_pieces (const struct bp_model *a, const struct bp_model *b)
{
  FUZZ_CHECK (a->n == b->n && a->total == b->total
              && a->max_len == b->max_len);
  for (size_t i = 0; i < a->n; i++)
    {
      size_t la, lb;
      const uint8_t *pa = bp_model_piece (a, i, &la);
      const uint8_t *pb = bp_model_piece (b, i, &lb);
      FUZZ_CHECK (la == lb && memcmp (pa, pb, la) == 0);
      FUZZ_CHECK (a->count[i] == b->count[i]);
    }
}

/* Write M with WRITE and read it back with READ: the same model.  */
static void
round_trip (const struct bp_model *m,
            int (*write) (FILE *, const struct bp_model *),
            int (*read) (FILE *, struct bp_model **, struct bp_error *),
            int same_params)
{
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream (&text, &len);
  FUZZ_CHECK (f != NULL);
  FUZZ_CHECK (write (f, m) == 0);
  FUZZ_CHECK (fclose (f) == 0);

  struct bp_model *back = NULL;
  struct bp_error err = { 0 };
  f = fuzz_stream (1, text, len);
  FUZZ_CHECK (read (f, &back, &err) == 0);
  fclose (f);
  same_pieces (m, back);
  if (same_params)
    {
      const struct bp_model_params *x = &m->params, *y = &back->params;
      FUZZ_CHECK (x->order == y->order && x->min_count == y->min_count
                  && x->max_piece_length == y->max_piece_length
                  && x->ensure_unicode == y->ensure_unicode
                  && x->isolate_digits == y->isolate_digits
                  && x->normalize == y->normalize);
    }
  bp_model_free (back);
  free (text);
}

/* Everything a model read must satisfy.  */
static void
check_model (const struct bp_model *m)
{
  uint64_t total = 0, max = 0;
  size_t max_len = 0;
  for (size_t i = 0; i < m->n; i++)
    {
      size_t len;
      bp_model_piece (m, i, &len);
      FUZZ_CHECK (len > 0 && m->count[i] > 0);
      total += m->count[i];
      max = m->count[i] > max ? m->count[i] : max;
      max_len = len > max_len ? len : max_len;
    }
  FUZZ_CHECK (total == m->total && max_len == m->max_len);

  struct bp_error err = { 0 };
  struct bp_automaton *mt = bp_automaton_new (m, &err);
  FUZZ_CHECK (mt != NULL);
  for (size_t i = 0; i < m->n; i++)
    {
      size_t len;
      const uint8_t *p = bp_model_piece (m, i, &len);
      FUZZ_CHECK (bp_automaton_find (mt, p, len) == (int32_t) i);
    }
  bp_automaton_free (mt);

  round_trip (m, bp_model_write_text, bp_model_read_text, 1);
  /* JSON's integers are signed 64-bit: larger counts cannot go there.  */
  if (max <= INT64_MAX)
    round_trip (m, bp_model_write_json, bp_model_read_json, 0);
}

/* The body of both targets: READ the input as a model; check what it
   gives, or the message of its refusal.  */
static int
model_target (const uint8_t *data, size_t size,
              int (*read) (FILE *, struct bp_model **, struct bp_error *))
{
  struct bp_model *m = NULL;
  struct bp_error err = { 0 };
  FILE *f = fuzz_stream (0, data, size);
  int rc = read (f, &m, &err);
  fclose (f);
  if (rc)
    {
      FUZZ_CHECK (rc == BP_EFORMAT && m == NULL);
      fuzz_check_message (&err);
      return 0;
    }
  check_model (m);
  bp_model_free (m);
  return 0;
}

#endif /* FUZZ_MODEL_COMMON_H */
