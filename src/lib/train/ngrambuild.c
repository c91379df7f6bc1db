/* SPDX-License-Identifier: Apache-2.0 */
/* Building the n-gram model from n-gram counts (DESIGN.md section 1.3,
   BytePiece's Trainer.prune_ngrams); see ngrammodel.h.  */
#include <config.h>
#include "ngrammodel.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "counts.h"
#include "error.h"
#include "escape.h"
#include "ngramkey.h"
#include "system.h"

struct kept
{
  size_t off, len;          /* the escaped key in the arena */
  uint64_t count;
  uint64_t line;
};

struct single
{
  char esc[4];
  size_t len;
};

static int
cmp_single (const void *a, const void *b)
{
  const struct single *x = a, *y = b;
  return bp_counts_cmp (x->esc, x->len, y->esc, y->len);
}

/* Packed keys of KW words (ngramkey.h), for qsort_r.  */
static int
cmp_words (const void *a, const void *b, void *kw)
{
  return bp_ngram_words_cmp (a, b, *(const size_t *) kw);
}

/* Is the packed key K among the N sorted keys of KW words V?  */
static int
has_key (const uint64_t *v, size_t n, size_t kw, const uint64_t *k)
{
  size_t lo = 0, hi = n;
  while (lo < hi)
    {
      size_t mid = lo + (hi - lo) / 2;
      int c = bp_ngram_words_cmp (v + mid * kw, k, kw);
      if (c == 0)
        return 1;
      if (c < 0)
        lo = mid + 1;
      else
        hi = mid;
    }
  return 0;
}

/* A kept n-gram whose prefix is not kept makes a model that cannot be
   read: its log-probability needs the prefix's count.  Counts that
   bp-count wrote never have one (a prefix occurs at least as often as
   the n-gram, so it is kept whenever the n-gram is); other counts may,
   and are refused here rather than by the step that reads the model.
   Single bytes are all kept.  The keys are packed in the words of
   ORDER (one up to BP_PACKED_ORDER).  Returns 0, BP_EFORMAT or
   BP_ENOMEM.  */
static int
check_prefixes (const uint8_t *arena, const struct kept *kept, size_t n,
                int order, struct bp_error *err)
{
  size_t kw = BP_NGRAM_WORDS (order);
  uint64_t *keys = malloc ((n ? n : 1) * kw * sizeof *keys);
  uint64_t prefix[BP_NGRAM_WORDS (BP_MAX_ORDER)];
  uint8_t raw[BP_MAX_ORDER + 1];
  int rc = 0;

  if (!keys)
    return bp_error_errno (err, ENOMEM);
  for (size_t i = 0; i < n; i++)
    {
      long len = bp_unescape ((const char *) arena + kept[i].off, kept[i].len,
                              raw, NULL);
      bp_ngram_pack_words (raw, (size_t) len, kw, keys + i * kw);
    }
  qsort_r (keys, n, kw * sizeof *keys, cmp_words, &kw);
  for (size_t i = 0; i < n && !rc; i++)
    {
      long len = bp_unescape ((const char *) arena + kept[i].off, kept[i].len,
                              raw, NULL);
      bp_ngram_pack_words (raw, (size_t) len - 1, kw, prefix);
      if (len > 2 && !has_key (keys, n, kw, prefix))
        {
          char q[BP_QUOTE_SIZE (BP_QUOTE_INPUT)];
          rc = bp_error_set (err, BP_EFORMAT, kept[i].line,
                             _("n-gram '%s' is kept but not its prefix "
                               "(counted less often than the n-gram)"),
                             bp_escape_quote (q, BP_QUOTE_INPUT, raw,
                                              (size_t) len));
        }
    }
  free (keys);
  return rc;
}

int
bp_ngram_model_build (struct bp_counts_reader *r, uint64_t min_count,
                      FILE *out, struct bp_error *err)
{
  const struct bp_counts_header *in = bp_counts_reader_header (r);
  struct bp_buf arena = { 0 }, ob = { 0 };
  struct kept *kept = NULL;
  size_t nkept = 0, cap = 0;
  uint8_t seen[256] = { 0 };
  struct bp_counts_record rec;
  int rc;

  if (in->kind != BP_COUNTS_NGRAMS)
    return bp_error_set (err, BP_EFORMAT, 1,
                         _("expected n-gram counts (kind=ngrams), not "
                           "kind=%s"), bp_counts_kind_name (in->kind));
  if (in->order > BP_MAX_ORDER)
    return bp_error_set (err, BP_EFORMAT, 1,
                         _("order=%d is above %d, the highest order of an "
                           "n-gram model"), in->order, BP_MAX_ORDER);

  while ((rc = bp_counts_reader_next (r, &rec, err)) > 0)
    {
      if (rec.len == 1)
        seen[rec.key[0]] = 1;
      else if (rec.count < min_count)
        continue;
      if (BP_ARRAY_RESERVE (kept, cap, nkept + 1, 4096))
        goto nomem;
      kept[nkept] = (struct kept) { arena.len, rec.esc_len, rec.count,
                                    rec.line };
      if (bp_buf_append (&arena, rec.esc, rec.esc_len))
        goto nomem;
      nkept++;
    }
  if (rc < 0
      || (rc = check_prefixes (arena.data, kept, nkept, in->order, err)))
    goto done;

  /* The single bytes the counts lack, in escaped order.  */
  struct single missing[256];
  size_t nmissing = 0;
  for (int b = 0; b < 256; b++)
    if (!seen[b])
      {
        uint8_t byte = (uint8_t) b;
        missing[nmissing].len = bp_escape (&byte, 1, missing[nmissing].esc, 0);
        nmissing++;
      }
  qsort (missing, nmissing, sizeof *missing, cmp_single);

  struct bp_counts_header h = *in;
  h.kind = BP_COUNTS_NGRAM_MODEL;
  h.min_count = min_count;
  if (ckd_add (&h.total, h.total, (uint64_t) nmissing))
    {
      rc = bp_error_set (err, BP_ERANGE, 1, "%s",
                         _("the total overflows 64 bits"));
      goto done;
    }
  if ((rc = bp_counts_header_write (out, &h, err)))
    goto done;

  size_t i = 0, j = 0;
  while (i < nkept || j < nmissing)
    {
      const char *ke = i < nkept ? (const char *) arena.data + kept[i].off
                                 : NULL;
      int take_kept = j == nmissing
                      || (i < nkept && bp_counts_cmp (ke, kept[i].len,
                                                      missing[j].esc,
                                                      missing[j].len) < 0);
      const char *e = take_kept ? ke : missing[j].esc;
      size_t elen = take_kept ? kept[i].len : missing[j].len;
      uint64_t count = take_kept ? kept[i].count : 1;
      if (take_kept)
        i++;
      else
        j++;
      if (bp_buf_grow (&ob, elen + 22))
        goto nomem;
      memcpy (ob.data + ob.len, e, elen);
      ob.len += elen;
      ob.len += (size_t) sprintf ((char *) ob.data + ob.len, "\t%llu\n",
                                  (unsigned long long) count);
      if (ob.len >= (1 << 16))
        {
          if (fwrite (ob.data, 1, ob.len, out) != ob.len)
            goto write_error;
          ob.len = 0;
        }
    }
  if ((ob.len && fwrite (ob.data, 1, ob.len, out) != ob.len) || ferror (out))
    goto write_error;
  rc = 0;
  goto done;

nomem:
  rc = bp_error_errno (err, ENOMEM);
  goto done;
write_error:
  rc = bp_error_errno (err, errno);
  bp_error_at_output (err);
done:
  free (kept);
  bp_buf_free (&arena);
  bp_buf_free (&ob);
  return rc;
}
