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

static int
cmp_u64 (const void *a, const void *b)
{
  uint64_t x = *(const uint64_t *) a, y = *(const uint64_t *) b;
  return x < y ? -1 : x > y;
}

/* A kept n-gram whose prefix is not kept makes a model that cannot be
   read: its log-probability needs the prefix's count.  Counts that
   bp-count wrote never have one (a prefix occurs at least as often as
   the n-gram, so it is kept whenever the n-gram is); other counts may,
   and are refused here rather than by the step that reads the model.
   Single bytes are all kept.  Returns 0, BP_EFORMAT or BP_ENOMEM.  */
static int
check_prefixes (const uint8_t *arena, const struct kept *kept, size_t n,
                struct bp_error *err)
{
  uint64_t *keys = malloc ((n ? n : 1) * sizeof *keys);
  uint8_t raw[BP_MAX_ORDER + 1];
  int rc = 0;

  if (!keys)
    return bp_error_errno (err, ENOMEM);
  for (size_t i = 0; i < n; i++)
    {
      long len = bp_unescape ((const char *) arena + kept[i].off, kept[i].len,
                              raw, NULL);
      keys[i] = bp_ngram_pack (raw, (size_t) len);
    }
  qsort (keys, n, sizeof *keys, cmp_u64);
  for (size_t i = 0; i < n && !rc; i++)
    {
      long len = bp_unescape ((const char *) arena + kept[i].off, kept[i].len,
                              raw, NULL);
      uint64_t prefix = bp_ngram_pack (raw, (size_t) len - 1);
      if (len > 2 && !bsearch (&prefix, keys, n, sizeof *keys, cmp_u64))
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

  while ((rc = bp_counts_reader_next (r, &rec, err)) > 0)
    {
      if (rec.len == 1)
        seen[rec.key[0]] = 1;
      else if (rec.count < min_count)
        continue;
      if (nkept == cap)
        {
          size_t ncap = cap ? 2 * cap : 4096;
          struct kept *k = realloc (kept, ncap * sizeof *k);
          if (!k)
            goto nomem;
          kept = k;
          cap = ncap;
        }
      kept[nkept] = (struct kept) { arena.len, rec.esc_len, rec.count,
                                    rec.line };
      if (bp_buf_append (&arena, rec.esc, rec.esc_len))
        goto nomem;
      nkept++;
    }
  if (rc < 0 || (rc = check_prefixes (arena.data, kept, nkept, err)))
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
