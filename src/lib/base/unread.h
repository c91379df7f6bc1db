/* SPDX-License-Identifier: Apache-2.0 */
/* Giving back bytes read from a stream: how a reader looks at the start
   of an input that cannot seek (a pipe, a <(...) file) to tell what kind
   of file it is, then hands the whole input to the reader of that kind.

   Ownership: bp_unread_open returns a new stream, closed with fclose,
   which does not close REST; REST is borrowed and must stay open until
   then.  The bytes are copied.  */
#ifndef BP_UNREAD_H
#define BP_UNREAD_H

#include <stddef.h>
#include <stdio.h>

/* A stream that reads the N bytes BYTES, then what is left of REST.  A
   read error of REST is one of the new stream (ferror, errno).  Returns
   NULL if out of memory.  */
FILE *bp_unread_open (const void *bytes, size_t n, FILE *rest);

#endif /* BP_UNREAD_H */
