/* SPDX-License-Identifier: Apache-2.0 */
/* Writing a model in the form asked for; see export.h.  */
#include <config.h>
#include "export.h"

#include <errno.h>
#include <string.h>

#include "error.h"
#include "model.h"
#include "system.h"

int
bp_export_format (const char *name, enum bp_export_format *fmt)
{
  static const char *const names[] = { "text", "json", "hf", "spm" };
  for (size_t i = 0; i < BP_ARRAY_SIZE (names); i++)
    if (strcmp (name, names[i]) == 0)
      {
        *fmt = (enum bp_export_format) i;
        return 0;
      }
  return -1;
}

int
bp_export (FILE *f, const struct bp_model *m, enum bp_export_format fmt,
           struct bp_error *err)
{
  int rc;
  switch (fmt)
    {
    case BP_EXPORT_HF:
      return bp_export_hf (f, m, err);
    case BP_EXPORT_SPM:
      return bp_export_spm (f, m, err);
    case BP_EXPORT_JSON:
      rc = bp_model_write_json (f, m);
      break;
    default:
      rc = bp_model_write_text (f, m);
      break;
    }
  if (rc == BP_ENOMEM)
    return bp_error_set (err, BP_ENOMEM, 0, "%s", "");
  return rc ? bp_error_errno (err, errno ? errno : EIO) : 0;
}
