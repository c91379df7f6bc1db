#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# bp-decode on the command line: --help and --version, what it accepts
# between ids (any white space), --lines, the specials, the pieces form
# with and without a model, a closed pipe and -o (DESIGN.md sections 1.7
# and 5).  Bad input is in bad-input.sh, write errors in dev-full.sh and
# file-size-limit.sh.
. "${srcdir:-.}/init.sh"

data=$(cd "$srcdir/data" && pwd) || framework_failure "no $srcdir/data"
model=$data/good-tiny.model
cd "$tmp" || framework_failure "cannot enter $tmp"

# decodes EXPECTED ARGS...: bp-decode ARGS succeeds, says nothing on
# stderr, and writes exactly EXPECTED (printf escapes allowed).
decodes ()
{
  exp=$1
  shift
  bp-decode "$@" > out 2> err || bad "bp-decode $*: failed"
  test -s err && { bad "bp-decode $*: wrote to stderr"; cat err >&2; }
  # shellcheck disable=SC2059
  printf "$exp" > exp
  compare exp out || bad "bp-decode $*: wrong output"
}

bp-decode --help > out 2> err || bad "--help failed"
test -s err && bad "--help wrote to stderr"
head -n 1 out | grep '^Usage: bp-decode \[OPTION\]\.\.\. ' > /dev/null \
  || bad "--help does not start with its usage line"
for opt in --model --output --format --lines --help --version; do
  grep -e "$opt" out > /dev/null || bad "--help does not mention $opt"
done
bp-decode --version > out 2> err || bad "--version failed"
test -s err && bad "--version wrote to stderr"
head -n 1 out | grep '^bp-decode (bytepiece) [0-9]' > /dev/null \
  || bad "--version: wrong first line"

# Ids of good-tiny.model: 266 "the", 35 " ", 265 "abc", 259 "\n\n",
# 13 "\n", 3 NUL, 258 0xff, 264 "é".  Any white space separates ids;
# 0, 1 and 2 stand for nothing.
printf '266 35 265 259\n' > a
decodes 'the abc\n\n' -m "$model" a
printf ' \t266\t\t35 \r\n\v265\f259 \n\n' > a
decodes 'the abc\n\n' -m "$model" a
printf '1 0 266 2 2\n' > a
decodes 'the' -m "$model" a
printf '3 258 264 13' > a
decodes '\000\377\303\251\n' -m "$model" a
printf '' > a
decodes '' -m "$model" a
decodes '' -m "$model" -l a
# Leading zeros are still decimal.
printf '0266 035\n' > a
decodes 'the ' -m "$model" a
# Files are concatenated; "-" and no FILE are standard input.
printf '266' > a
printf '35' > b
decodes 'the the' -m "$model" a b a
# A file that cannot be read is reported and the next one follows, as
# in bp-encode and coreutils: the status is 1.
bp-decode -m "$model" nosuch a > out 2> err
test $? = 1 || bad "a missing file: status not 1"
printf 'the' > exp
compare exp out || bad "a missing file: the next file was not decoded"
echo "bp-decode: nosuch: No such file or directory" > exp
compare exp err || bad "a missing file: wrong message"
bp-decode -m "$model" < a > out || bad "reading stdin failed"
printf 'the' > exp
compare exp out || bad "stdin: wrong output"
bp-decode -m "$model" - b < a > out || bad "reading - failed"
printf 'the ' > exp
compare exp out || bad "-: wrong output"

# --lines: a LF after each input line, also after a last line without
# one; an empty line is an empty document.  Without --lines, line ends
# in the ids mean nothing.
printf '266 35\n\n1 265 2\n261' > a
decodes 'the \n\nabc\nab\n' -m "$model" -l a
decodes 'the abcab' -m "$model" a
printf '266 35 \r\n' > a
decodes 'the \n' -m "$model" -l a
# The binary forms: <eos> ends a line with --lines.
printf '\012\001\002\000\002\000\011\001' > a
decodes 'theabc' -m "$model" -f u16 a
decodes 'the\n\nabc\n' -m "$model" -f u16 -l a
printf '\012\001\000\000\002\000\000\000\011\001\000\000\002\000\000\000' > a
decodes 'the\nabc\n' -m "$model" -f u32 -l a

# The pieces form: with or without a model; "\x20" is a space, the
# specials are words of their own.
printf '<bos> the \\x20 abc \\n\\n <eos>\nx\\x20y <pad>\n' > a
decodes 'the abc\n\nx y' -f pieces a
decodes 'the abc\n\n\nx y\n' -f pieces -l a
decodes 'the abc\n\n\\' -f pieces - <<'EOF'
the \x20 abc \n\n \\
EOF
printf '\\xE4\\xb8\\xAD\n' > a
decodes '\344\270\255' -f pieces a
decodes '\344\270\255' -f pieces -m "$model" a

# A closed pipe ends bp-decode quietly.
awk 'BEGIN { for (i = 0; i < 200000; i++) print "266 35 265 13" }' > many
{ bp-decode -m "$model" many 2> err; } | head -n 1 > /dev/null
test -s err && { bad "a closed pipe made bp-decode write to stderr"; cat err >&2; }

# -o: the input may be the output; no temporary file is left.
printf '266 35 265\n' > same
bp-decode -m "$model" -o same same || bad "-o onto the input failed"
printf 'the abc' > exp
compare exp same || bad "-o onto the input: wrong content"
leftover=$(ls -A | grep '^\.') && bad "temporary files left behind: $leftover"

finish
