/* SPDX-License-Identifier: Apache-2.0 */
/* The metadata of token files; see tokmeta.h.  */
#include <config.h>
#include "tokmeta.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "model.h"
#include "system.h"

static const char *const layouts[] = { "u16", "u32", "megatron" };

static const char *
layout_name (enum bp_tokfmt fmt)
{
  return fmt == BP_FMT_U16 ? layouts[0] : fmt == BP_FMT_U32 ? layouts[1]
         : fmt == BP_FMT_MEGATRON ? layouts[2] : "?";
}

/* The hex digits of the fingerprint FP (the first N bytes), at OUT.  */
static void
hex (char *out, const uint8_t *fp, int n)
{
  for (int i = 0; i < n; i++)
    sprintf (out + 2 * i, "%02x", fp[i]);
}

int
bp_tokmeta_write (FILE *f, const struct bp_tokmeta *meta)
{
  char fp[2 * BP_SHA256_SIZE + 1];
  hex (fp, meta->fingerprint, BP_SHA256_SIZE);
  const char *dtype = meta->layout == BP_FMT_U16 ? "uint16"
                      : meta->layout == BP_FMT_U32 ? "uint32"
                      : meta->int32 ? "int32" : "uint16";
  fprintf (f,
           "{\n"
           "  \"format\": \"bytepiece-tokens\",\n"
           "  \"version\": 1,\n"
           "  \"layout\": \"%s\",\n"
           "  \"dtype\": \"%s\",\n"
           "  \"byte_order\": \"little\",\n"
           "  \"model\": {\n"
           "    \"fingerprint\": \"sha256:%s\",\n"
           "    \"vocab\": %" PRIu64 "\n"
           "  },\n"
           "  \"documents\": %" PRIu64 ",\n"
           "  \"ids\": %" PRIu64 "\n"
           "}\n",
           layout_name (meta->layout), dtype, fp, meta->vocab,
           meta->documents, meta->ids);
  return ferror (f) ? BP_EIO : 0;
}

/* The member NAME of OBJ as a count (a JSON integer >= 0) in *V.  */
static int
get_count (json_t *obj, const char *name, uint64_t *v)
{
  json_t *j = json_object_get (obj, name);
  if (!json_is_integer (j) || json_integer_value (j) < 0)
    return -1;
  *v = (uint64_t) json_integer_value (j);
  return 0;
}

static int
hexval (int c)
{
  return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
         : -1;
}

int
bp_tokmeta_read (FILE *f, struct bp_tokmeta *meta, struct bp_error *err)
{
  /* A metadata file is a few hundred bytes: anything much larger is
     not one, and is not read whole.  */
  enum { MAX = 1 << 16 };
  char *text = malloc (MAX);
  if (!text)
    return bp_error_errno (err, ENOMEM);
  size_t len = fread (text, 1, MAX, f);
  if (ferror (f))
    {
      int e = errno;
      free (text);
      return bp_error_errno (err, e);
    }
  if (len == MAX)
    {
      free (text);
      return bp_error_set (err, BP_EFORMAT, 0, "%s",
                           _("too large for the metadata of token ids"));
    }
  json_error_t jerr;
  json_t *root = json_loadb (text, len, 0, &jerr);
  free (text);
  if (!root)
    return bp_error_set (err, BP_EFORMAT, (uint64_t) jerr.line,
                         _("not JSON: %s"), jerr.text);

  int rc = BP_EFORMAT;
  const char *what = N_("not the metadata of token ids "
                        "(no \"format\": \"bytepiece-tokens\")");
  json_t *model = json_object_get (root, "model");
  const char *format = json_string_value (json_object_get (root, "format"));
  const char *layout = json_string_value (json_object_get (root, "layout"));
  const char *dtype = json_string_value (json_object_get (root, "dtype"));
  const char *fp = json_string_value (json_object_get (model, "fingerprint"));
  uint64_t version;
  memset (meta, 0, sizeof *meta);
  if (!format || strcmp (format, "bytepiece-tokens") != 0)
    goto done;
  what = N_("a version of the metadata other than 1");
  if (get_count (root, "version", &version) || version != 1)
    goto done;
  what = N_("a \"layout\" other than \"u16\", \"u32\" or \"megatron\"");
  int l = 0;
  while (l < 3 && !(layout && strcmp (layout, layouts[l]) == 0))
    l++;
  if (l == 3)
    goto done;
  meta->layout = l == 0 ? BP_FMT_U16 : l == 1 ? BP_FMT_U32 : BP_FMT_MEGATRON;
  meta->int32 = dtype && strcmp (dtype, "int32") == 0;
  what = N_("no \"model\" with a \"fingerprint\" of the form "
            "\"sha256:\" and 64 hex digits");
  if (!fp || strlen (fp) != 7 + 2 * BP_SHA256_SIZE
      || memcmp (fp, "sha256:", 7) != 0)
    goto done;
  for (int i = 0; i < BP_SHA256_SIZE; i++)
    {
      int hi = hexval (fp[7 + 2 * i]), lo = hexval (fp[8 + 2 * i]);
      if (hi < 0 || lo < 0)
        goto done;
      meta->fingerprint[i] = (uint8_t) (hi << 4 | lo);
    }
  what = N_("no count \"vocab\" in \"model\", or no \"documents\" or "
            "\"ids\"");
  if (get_count (model, "vocab", &meta->vocab)
      || get_count (root, "documents", &meta->documents)
      || get_count (root, "ids", &meta->ids))
    goto done;
  rc = 0;

done:
  json_decref (root);
  if (rc)
    return bp_error_set (err, rc, 0, "%s", _(what));
  return 0;
}

int
bp_tokmeta_check (const struct bp_tokmeta *meta,
                  const struct bp_model *m, enum bp_tokfmt fmt,
                  struct bp_error *err)
{
  if (meta->layout != fmt)
    return bp_error_set (err, BP_EFORMAT, 0,
                         _("the ids are %s, not %s (--format)"),
                         layout_name (meta->layout), layout_name (fmt));
  uint8_t fp[BP_SHA256_SIZE];
  if (bp_model_fingerprint (m, fp))
    return bp_error_errno (err, ENOMEM);
  if (memcmp (fp, meta->fingerprint, sizeof fp) == 0
      && meta->vocab == bp_model_vocab (m))
    return 0;
  /* Eight bytes say which model well enough for a message.  */
  char theirs[17], ours[17];
  hex (theirs, meta->fingerprint, 8);
  hex (ours, fp, 8);
  return bp_error_set (err, BP_EFORMAT, 0,
                       _("made with another model (fingerprint %s..., %"
                         PRIu64 " ids), not with this one (%s..., %zu ids)"),
                       theirs, meta->vocab, ours, bp_model_vocab (m));
}
