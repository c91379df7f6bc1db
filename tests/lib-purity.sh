#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The library's rule (HACKING, src/lib/README), checked on what the
# compiler made of it rather than on the sources: no object of
# src/lib/libbp.a prints, ends the program, handles signals, reads the
# environment or changes the state of the process (no reference to
# stderr, exit, atexit, signal, getenv, umask, setlocale and the like);
# and the library needs nothing from the command-line layer (src/cli)
# or the programs, only the C library (libc, libm, pthreads),
# libunistring and jansson.
. "${srcdir:-.}/init.sh"

command -v nm > /dev/null || skip "nm is not installed"
command -v ldd > /dev/null || skip "ldd is not installed"
top=$BP_BINDIR
lib=$top/src/lib/libbp.a
for f in "$lib" "$top/src/cli/libbpcli.a"; do
  test -f "$f" || framework_failure "$f is not built"
done
cd "$tmp" || framework_failure "cannot enter $tmp"

# OBJECT SYMBOL, for every symbol an object of the library leaves
# undefined (weak ones, which may stay so, aside).
nm -A -u "$lib" > nm.out || framework_failure "nm $lib failed"
awk '$(NF-1) == "U" { n = split($1, p, ":"); print p[n - 1], $NF }' nm.out \
  | sort -u > undefined
test -s undefined || framework_failure "nm found no undefined symbol in $lib"

# 1. What only a program may do.
for sym in stderr stdout exit _exit _Exit quick_exit atexit at_quick_exit \
    abort signal sigaction sigprocmask pthread_sigmask raise kill \
    getenv secure_getenv putenv setenv unsetenv umask chdir \
    setlocale uselocale bindtextdomain textdomain \
    printf vprintf puts putchar perror error error_at_line err errx warn \
    warnx isatty; do
  awk -v s="$sym" '$2 == s { print "FAIL: " $1 " refers to " s }' \
    undefined >> forbidden
done
test -s forbidden && { cat forbidden >&2; fail=1; }

# The symbols the library defines for itself.
nm -A --defined-only "$lib" | awk 'NF >= 3 && $(NF-1) ~ /^[A-Z]$/ { print $NF }' \
  | sort -u > defined
awk '{ print $2 }' undefined | sort -u | comm -23 - defined > external

# 2. Nothing from the command-line layer or the programs.
nm -A --defined-only "$top/src/cli/libbpcli.a" "$top"/src/*.o \
  $(ls "$top"/src/*.a 2> /dev/null) 2> /dev/null \
  | awk 'NF >= 3 && $(NF-1) ~ /^[A-Z]$/ { print $NF }' | sort -u > upper
test -s upper || framework_failure "no symbol in src/cli and the programs"
comm -12 external upper > reached
if test -s reached; then
  while read -r sym; do
    awk -v s="$sym" '$2 == s { print "FAIL: " $1 " uses " s \
      ", which the command-line layer or a program defines" }' undefined >&2
  done < reached
  fail=1
fi

# 3. The rest comes from the allowed libraries, as the programs load them
# (the sanitizers' own hooks aside, for make check-sanitize).
for prog in bp-count bp-prune bp-encode bp-decode bp-stats; do
  ldd "$top/src/$prog" 2> /dev/null
done | awk '$2 == "=>" && $1 ~ /^lib(c|m|pthread|unistring|jansson|intl)\.so/ { print $3 }
  $1 ~ /^\/.*ld-linux/ { print $1 }' | sort -u > libs
test -s libs || framework_failure "ldd shows no C library"
while read -r so; do
  nm -D --defined-only "$so" | awk 'NF >= 3 { sub(/@.*/, "", $3); print $3 }'
done < libs | sort -u > allowed
comm -23 external allowed | grep -v '^__\(asan\|ubsan\|lsan\|tsan\|sanitizer\|gcov\)' \
  > foreign
if test -s foreign; then
  while read -r sym; do
    awk -v s="$sym" '$2 == s { print "FAIL: " $1 " uses " s \
      ", from no allowed library" }' undefined >&2
  done < foreign
  fail=1
fi

finish
