#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# -o onto a FIFO or a device writes to it in place.  Renaming a temporary
# file over it, as is right for regular files, would replace the FIFO, or
# turn /dev/null into a regular file when run as root (it did).
. "${srcdir:-.}/init.sh"

mkfifo "$tmp/fifo" 2> /dev/null || skip "cannot make a FIFO"

# A reader for the FIFO; bp-decode's open for writing waits for it.
cat "$tmp/fifo" > "$tmp/got" &
reader=$!
printf 'a b \\x20c\n' > "$tmp/pieces"
bp-decode -f pieces -o "$tmp/fifo" "$tmp/pieces" 2> "$tmp/err" \
  || bad "bp-decode -o FIFO failed: $(cat "$tmp/err")"
if test -p "$tmp/fifo"; then
  wait $reader
  printf 'ab c' > "$tmp/exp"
  compare "$tmp/exp" "$tmp/got" || bad "the FIFO's reader got the wrong bytes"
else
  bad "bp-decode -o replaced the FIFO with a regular file"
  kill $reader 2> /dev/null
  wait $reader 2> /dev/null
fi
ls -a "$tmp" | grep -q '^\.fifo\.' && bad "a temporary file was left behind"
finish
