/* SPDX-License-Identifier: Apache-2.0 */
/* Fuzz target: reading tokenizer models in BytePiece's JSON form (model.h,
   DESIGN.md section 2).  Oracles (model-common.h): a model read has
   positive counts that add up to its total, unique pieces the automaton
   finds, and reads back the same from what either writer makes of it; a
   file refused has a one-line message.  */
#include <config.h>

#include "model-common.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  return model_target (data, size, bp_model_read_json);
}
