/* SPDX-License-Identifier: Apache-2.0 */
/* Binary heaps over arrays: the one heap of the library.  The k-way
   merge of count files (countmerge.c, which also merges the sorted runs
   of a spill, spill.c) and the top lists of bp-stats (countstats.c) keep
   their elements in a heap whose root, element 0, is the least by the
   caller's order LESS.

   The functions are inline and take the order as a function, so that a
   call with a constant LESS compiles to the loop of a heap of that type
   (the merges are hot loops); elements are moved by value, SIZE bytes
   each (at most BP_HEAP_MAX_SIZE).

   Ownership: the array is the caller's.  */
#ifndef BP_HEAP_H
#define BP_HEAP_H

#include <stddef.h>
#include <string.h>

/* Does the element at A come before the one at B?  */
typedef int (*bp_heap_less) (const void *a, const void *b);

/* The largest element a heap may hold.  */
#define BP_HEAP_MAX_SIZE 64

#define BP_HEAP_INLINE static inline __attribute__ ((always_inline))

BP_HEAP_INLINE void
bp_heap_swap (char *a, char *b, size_t size)
{
  char t[BP_HEAP_MAX_SIZE];
  memcpy (t, a, size);
  memcpy (a, b, size);
  memcpy (b, t, size);
}

/* Restore the heap H of N elements of SIZE bytes after element I became
   larger (or on building it): move it down.  */
BP_HEAP_INLINE void
bp_heap_down (void *h, size_t n, size_t size, size_t i, bp_heap_less less)
{
  char *e = h;
  for (;;)
    {
      size_t l = 2 * i + 1, m = i;
      if (l < n && less (e + l * size, e + m * size))
        m = l;
      if (l + 1 < n && less (e + (l + 1) * size, e + m * size))
        m = l + 1;
      if (m == i)
        return;
      bp_heap_swap (e + i * size, e + m * size, size);
      i = m;
    }
}

/* Restore the heap H after element I became smaller (or was appended):
   move it up.  */
BP_HEAP_INLINE void
bp_heap_up (void *h, size_t size, size_t i, bp_heap_less less)
{
  char *e = h;
  while (i > 0)
    {
      size_t parent = (i - 1) / 2;
      if (!less (e + i * size, e + parent * size))
        return;
      bp_heap_swap (e + i * size, e + parent * size, size);
      i = parent;
    }
}

/* Make the N elements of H a heap.  */
BP_HEAP_INLINE void
bp_heap_make (void *h, size_t n, size_t size, bp_heap_less less)
{
  for (size_t i = n / 2; i-- > 0;)
    bp_heap_down (h, n, size, i, less);
}

/* Remove the root of the heap H of *N elements: the last element takes
   its place.  */
BP_HEAP_INLINE void
bp_heap_pop (void *h, size_t *n, size_t size, bp_heap_less less)
{
  char *e = h;
  if (--*n)
    {
      memcpy (e, e + *n * size, size);
      bp_heap_down (h, *n, size, 0, less);
    }
}

#endif /* BP_HEAP_H */
