# SPDX-License-Identifier: Apache-2.0
# Sourced by every shell test (after jq's tests/setup and coreutils'
# init.sh): strict mode, the C locale, a scratch directory removed on exit,
# the programs under test first on PATH, and the helpers below.
set -u
LC_ALL=C
export LC_ALL
unset LANGUAGE

: "${srcdir:=.}"
: "${BP_BINDIR:=$(cd "$srcdir/.." && pwd)}"
PATH="$BP_BINDIR/src:$PATH"
export PATH

fail=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bptest.XXXXXX") || {
  echo "cannot make a temporary directory" >&2
  exit 99
}
trap 'rm -rf "$tmp"' 0
trap 'exit 1' HUP INT TERM

# skip REASON: this test cannot run here (exit 77, the Automake SKIP).
skip () { echo "SKIP: $*" >&2; exit 77; }

# framework_failure REASON: the test itself broke (exit 99, ERROR).
framework_failure () { echo "ERROR: $*" >&2; exit 99; }

# compare EXPECTED ACTUAL: like cmp, with a diff on failure.
compare ()
{
  if cmp -s "$1" "$2"; then
    return 0
  fi
  echo "FAIL: $1 and $2 differ" >&2
  diff -u "$1" "$2" 2>/dev/null | head -20 >&2
  return 1
}

# bad MESSAGE: record a failure and go on.
bad () { echo "FAIL: $*" >&2; fail=1; }

# The shared reference vectors, or a skip when they are absent.
require_shared ()
{
  : "${BP_SHARED:=$srcdir/../../shared}"
  test -d "$BP_SHARED/vectors" || skip "reference vectors not found in $BP_SHARED"
  shared=$BP_SHARED
}

# corpus_for CASE LINES: set corpus to the corpus of the training vector
# CASE in the shared directory, or when that is absent to gen.txt, made
# here: LINES lines of words, with Chinese, code-like lines and digits,
# and runs of up to 149 empty lines (chunk boundaries in file mode).
corpus_for ()
{
  : "${BP_SHARED:=$srcdir/../../shared}"
  corpus=$BP_SHARED/vectors/train/$1/corpus.txt
  test -f "$corpus" && return 0
  awk -v lines="$2" 'BEGIN {
    srand(7);
    split("the of and a to in is you that it he was for on are as with", w, " ");
    for (i = 0; i < lines; i++) {
      n = int(rand() * 25);
      line = "";
      for (j = 0; j < n; j++) line = line w[1 + int(rand() * 17)] " ";
      if (i % 5 == 0) line = line "\344\270\255\346\226\207" i;
      if (i % 11 == 0) line = line "\tx = f(" i ");";
      print line;
      if (i % 13 == 0) for (k = 0; k < i % 150; k++) print "";
    }
  }' > gen.txt || framework_failure "cannot make a corpus"
  corpus=gen.txt
}

# all_bytes_jsonl: write a JSON line whose member text holds every byte
# value once: 0..31 as \u00XX escapes, 32..239 raw (quote and backslash
# escaped), 240..255 as \udcXX (bytes outside UTF-8, bytepiece-formats(5)).
all_bytes_jsonl ()
{
  awk 'BEGIN {
    printf "{\"id\": 1, \"text\": \""
    for (i = 0; i < 32; i++) printf "\\u%04x", i
    for (i = 32; i < 240; i++)
      if (i == 34 || i == 92) printf "\\%c", i; else printf "%c", i
    for (i = 240; i < 256; i++) printf "\\udc%02x", i
    print "\"}" }'
}

# Finish: the Automake status.
finish () { exit $fail; }

# make check-valgrind sets BP_VALGRIND to a command prefix ("valgrind
# --error-exitcode=1 ..."): every program of $BP_BINDIR/src then runs
# under it, through wrappers put first on PATH, whatever the test.  The
# wrapper lets valgrind find the program on PATH, so that its argv[0]
# (which getopt's messages show) stays the bare name.
if test -n "${BP_VALGRIND-}"; then
  mkdir "$tmp/valgrind" || framework_failure "cannot make $tmp/valgrind"
  for prog in "$BP_BINDIR"/src/bp-*; do
    test -f "$prog" && test -x "$prog" || continue
    printf '#!/bin/sh\nPATH="%s/src:$PATH"\nexec %s %s "$@"\n' \
      "$BP_BINDIR" "$BP_VALGRIND" "${prog##*/}" \
      > "$tmp/valgrind/${prog##*/}" \
      && chmod +x "$tmp/valgrind/${prog##*/}" \
      || framework_failure "cannot write the valgrind wrapper of $prog"
  done
  PATH="$tmp/valgrind:$PATH"
  export PATH
fi
