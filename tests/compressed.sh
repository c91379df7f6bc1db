#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Compressed input (issue 15): bp-count, bp-encode and bp-stats read bytes
# as the reference does, so a .gz, .xz or .zst corpus is read as its
# compressed bytes; they say so on stderr when a FILE, or standard input
# redirected from a file, starts with the magic bytes of gzip, xz or
# zstd, and go on (bytepiece(7)).  A pipe is not looked at, and text is
# not warned of.
. "${srcdir:-.}/init.sh"

data=$(cd "$srcdir/data" && pwd) || framework_failure "no $srcdir/data"
cd "$tmp" || framework_failure "cannot enter $tmp"
cp "$data/good-tiny.model" m || framework_failure "no model"

# The magic bytes, then a little of anything: the warning is about the
# start of the file alone.
printf '\037\213\010\000rest of it\n' > a.gz
printf '\3757zXZ\000rest of it\n' > a.xz
printf '\050\265\057\375rest of it\n' > a.zst
printf 'the abc\n' > text
tail='read as it is, bytes and all: decompress it first (zcat, xzcat, zstdcat; see bytepiece(7))'

for f in a.gz:gzip a.xz:xz a.zst:zstd; do
  file=${f%%:*} kind=${f#*:}
  printf '%s\n' "bp-encode: $file: $kind-compressed data, $tail" > exp
  bp-encode -m m "$file" > ids 2> err || bad "bp-encode $file failed"
  compare exp err || bad "bp-encode $file: wrong warning"
  # The bytes are encoded as they are: the same ids as through a pipe,
  # which is not looked at and gets no warning.
  cat "$file" | bp-encode -m m > ids.pipe 2> err || bad "pipe failed"
  test -s err && bad "bp-encode warned of a pipe: $(cat err)"
  compare ids ids.pipe || bad "$file: the ids differ from the pipe's"
done

# Standard input redirected from a file is a file.
printf '%s\n' "bp-count: (standard input): gzip-compressed data, $tail" > exp
bp-count -n 2 < a.gz > counts 2> err || bad "bp-count < a.gz failed"
compare exp err || bad "bp-count < a.gz: wrong warning"
printf '%s\n' "bp-stats: a.zst: zstd-compressed data, $tail" > exp
bp-stats -m m a.zst > report 2> err || bad "bp-stats a.zst failed"
compare exp err || bad "bp-stats a.zst: wrong warning"

# One warning per compressed FILE, none for text, the status 0.
bp-encode -m m text a.gz text a.xz > ids 2> err || bad "several files failed"
test "$(wc -l < err)" = 2 || bad "several files: $(cat err)"
bp-encode -m m text > ids 2> err || bad "text failed"
test -s err && bad "a warning for text: $(cat err)"

# A real gzip file, where gzip is installed: its first bytes are those.
if command -v gzip > /dev/null 2>&1; then
  gzip -c text > text.gz || framework_failure "gzip"
  printf '%s\n' "bp-encode: text.gz: gzip-compressed data, $tail" > exp
  bp-encode -m m text.gz > ids 2> err || bad "bp-encode text.gz failed"
  compare exp err || bad "bp-encode text.gz: wrong warning"
  gzip -dc text.gz | bp-encode -m m > ids 2> err || bad "zcat | bp-encode failed"
  test -s err && bad "a warning for decompressed text: $(cat err)"
fi

finish
