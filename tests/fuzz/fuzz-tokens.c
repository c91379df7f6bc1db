/* SPDX-License-Identifier: Apache-2.0 */
/* Fuzz target: the token readers of bp-decode in every format (tokens.h,
   DESIGN.md section 1.7).  The first byte chooses the format, whether a
   model's vocabulary and pieces check what is read, and how many bytes
   each read returns; the rest is the stream.  Oracles: every id is in
   the vocabulary, every piece in the model; what was read, written
   again by the writer and read back, gives the same tokens; a failure
   has a one-line message.  */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "fuzz.h"
#include "automaton.h"
#include "model.h"
#include "tokens.h"

static struct bp_model *model;
static struct bp_automaton *matcher;

/* A token as read: an id, a piece's bytes (-1), or a line end (-2).  */
struct tok
{
  int64_t what;
  struct bp_buf bytes;
};

struct toks
{
  struct tok *v;
  size_t n, cap;
};

static void
toks_add (struct toks *t, int64_t what, const uint8_t *p, size_t len)
{
  if (t->n == t->cap)
    {
      t->cap = t->cap ? 2 * t->cap : 64;
      t->v = realloc (t->v, t->cap * sizeof *t->v);
      FUZZ_CHECK (t->v != NULL);
    }
  struct tok *k = &t->v[t->n++];
  memset (k, 0, sizeof *k);
  k->what = what;
  if (len)
    FUZZ_CHECK (bp_buf_append (&k->bytes, p, len) == 0);
}

static void
toks_free (struct toks *t)
{
  for (size_t i = 0; i < t->n; i++)
    bp_buf_free (&t->v[i].bytes);
  free (t->v);
}

/* Read the stream on FD.  Returns 1 if it read to the end, 0 after an
   error (checked here).  */
static int
read_tokens (int fd, enum bp_tokfmt fmt, size_t vocab,
             const struct bp_automaton *mt, size_t read_size, struct toks *out)
{
  struct bp_tokreader r;
  struct bp_error err = { 0 };
  int rc, joined = 0;

  bp_tokreader_init (&r, fd, fmt, vocab, mt);
  r.read_size = read_size;
  while ((rc = bp_tokreader_next (&r, &err)) > 0)
    switch (rc)
      {
      case BP_TOK_ID:
        FUZZ_CHECK (!vocab || r.id < vocab);
        toks_add (out, r.id, NULL, 0);
        joined = 0;
        break;
      case BP_TOK_BYTES:
        if (mt)
          FUZZ_CHECK (!r.in_token
                      && bp_automaton_find (mt, r.bytes.data, r.bytes.len) >= 0);
        if (joined)
          FUZZ_CHECK (bp_buf_append (&out->v[out->n - 1].bytes, r.bytes.data,
                                     r.bytes.len) == 0);
        else
          toks_add (out, -1, r.bytes.data, r.bytes.len);
        joined = r.in_token;
        break;
      case BP_TOK_EOL:
        FUZZ_CHECK (fmt == BP_FMT_IDS || fmt == BP_FMT_PIECES);
        FUZZ_CHECK (!joined);
        toks_add (out, -2, NULL, 0);
        break;
      default:
        FUZZ_CHECK (0);
      }
  bp_tokreader_free (&r);
  if (rc < 0)
    {
      FUZZ_CHECK (rc == BP_EFORMAT || rc == BP_ERANGE);
      fuzz_check_message (&err);
      return 0;
    }
  FUZZ_CHECK (!joined);
  return 1;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (!model)
    {
      struct bp_error err;
      model = fuzz_model ();
      matcher = bp_automaton_new (model, &err);
      FUZZ_CHECK (matcher != NULL);
    }
  if (size < 1)
    return 0;
  enum bp_tokfmt fmt = (enum bp_tokfmt) (data[0] & 3);
  int checked = (data[0] & 4) != 0;
  size_t read_size = 1 + (data[0] >> 3);
  size_t vocab = checked ? bp_model_vocab (model) : 0;
  const struct bp_automaton *mt = checked && fmt == BP_FMT_PIECES ? matcher
                                                                 : NULL;
  struct toks a = { 0 }, b = { 0 };

  int fd = fuzz_fd (0, data + 1, size - 1);
  read_tokens (fd, fmt, vocab, mt, read_size, &a);

  /* Write what was read (as far as it is in the model) and read it back:
     the writer's form must read as the same tokens.  */
  struct bp_tokwriter w;
  bp_tokwriter_init (&w, NULL, fmt, model);
  size_t kept = 0;
  for (size_t i = 0; i < a.n; i++, kept++)
    {
      struct tok *k = &a.v[i];
      if (k->what == -2)
        FUZZ_CHECK (bp_tokwriter_eol (&w) == 0);
      else if (k->what == -1)
        {
          int32_t p = bp_automaton_find (matcher, k->bytes.data, k->bytes.len);
          if (p < 0)
            break;
          uint32_t piece = (uint32_t) p;
          FUZZ_CHECK (bp_tokwriter_pieces (&w, &piece, 1) == 0);
        }
      else
        {
          if ((uint64_t) k->what >= bp_model_vocab (model))
            break;
          FUZZ_CHECK (bp_tokwriter_id (&w, (uint32_t) k->what) == 0);
        }
    }
  fd = fuzz_fd (1, w.buf.data, w.buf.len);
  FUZZ_CHECK (read_tokens (fd, fmt, bp_model_vocab (model),
                           fmt == BP_FMT_PIECES ? matcher : NULL,
                           read_size, &b));
  /* The writer ends no line by itself: the tokens agree one to one.  */
  FUZZ_CHECK (b.n == kept);
  for (size_t i = 0; i < kept; i++)
    {
      struct tok *x = &a.v[i], *y = &b.v[i];
      FUZZ_CHECK (x->what == y->what);
      FUZZ_CHECK (x->bytes.len == y->bytes.len);
      FUZZ_CHECK (x->bytes.len == 0
                  || memcmp (x->bytes.data, y->bytes.data, x->bytes.len) == 0);
    }

  bp_tokwriter_free (&w);
  toks_free (&a);
  toks_free (&b);
  return 0;
}
