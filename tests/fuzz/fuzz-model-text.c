/* Fuzz target: reading tokenizer models in the text form (model.h,
   DESIGN.md section 2).  Oracles (model-common.h): a model read has
   positive counts that add up to its total, unique pieces the automaton
   finds, and reads back the same from what either writer makes of it; a
   file refused has a one-line message.  */
#include <config.h>

#include "model-common.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  struct bp_model *m = NULL;
  struct bp_error err = { 0 };
  FILE *f = fuzz_stream (0, data, size);
  int rc = bp_model_read_text (f, &m, &err);
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
