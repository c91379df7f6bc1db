/* SPDX-License-Identifier: Apache-2.0 */
/* What the libFuzzer targets of tests/fuzz share: checks that stay on in
   every build, inputs as descriptors and streams, the reference NFC the
   oracles compare with, and a small model.

   Each target defines LLVMFuzzerTestOneInput.  Linked with libFuzzer
   (make fuzz, configure --enable-fuzz) it is fuzzed; linked with
   replay.c it runs every seed of tests/fuzz/corpus/TARGET, which is how
   make check keeps the seeds as regression tests.  A target reports a
   finding by aborting (FUZZ_CHECK, or a sanitizer), never by returning.

   Ownership: what fuzz_model returns is the caller's (bp_model_free);
   descriptors and streams are described with their functions.  */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct bp_buf;
struct bp_error;
struct bp_model;

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* Abort with the file, line and condition unless COND holds.  Not
   assert (): NDEBUG must not turn an oracle off.  */
#define FUZZ_CHECK(cond)                                                    \
  ((cond) ? (void) 0 : fuzz_fail (__FILE__, __LINE__, #cond))

_Noreturn void fuzz_fail (const char *file, int line, const char *what);

/* A descriptor that reads the N bytes at DATA from the start: one of a
   few memory files (SLOT 0..7), reused from call to call.  It stays
   open; the next call with the same SLOT replaces its contents.  */
int fuzz_fd (int slot, const void *data, size_t n);

/* A stream that reads the N bytes at DATA (through slot SLOT of
   fuzz_fd); the caller fcloses it.  */
FILE *fuzz_stream (int slot, const void *data, size_t n);

/* Append to OUT the text S (N bytes) normalised as DESIGN.md section 1.1
   says: each stretch of well-formed UTF-8 to NFC by libunistring's
   u8_normalize, every byte that is not part of well-formed UTF-8 as it
   is.  The oracle for the normalising paths.  */
void fuzz_nfc (const uint8_t *s, size_t n, struct bp_buf *out);

/* Check the message of a failure: one line of text for a terminal (no
   control character, well-formed UTF-8), whatever the input held.  */
void fuzz_check_message (const struct bp_error *err);

/* A model with every single byte and a few longer pieces that overlap
   (ASCII words, Chinese, a decomposed and a composed accent, LF runs),
   counts chosen so that the longer pieces win.  */
struct bp_model *fuzz_model (void);

/* A small deterministic generator for the choices a target derives
   from its input (split points, sizes).  */
static inline uint32_t
fuzz_next (uint64_t *state)
{
  *state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
  return (uint32_t) (*state >> 33);
}

#endif /* FUZZ_H */
