#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# gnuplot draws every script bp-stats --plot writes, without a warning:
# several models of the same size, names with quotes, underscores and
# bytes outside UTF-8, one document, only empty documents.  Skips when
# gnuplot is not installed (it is needed only to draw; stats-planning.sh
# checks the script's data without it).
. "${srcdir:-.}/init.sh"

command -v gnuplot > /dev/null 2>&1 || skip "gnuplot is not installed"
data=$(cd "$srcdir/data" && pwd) || framework_failure "no $srcdir/data"
cd "$tmp" || framework_failure "cannot enter $tmp"
cp "$data/good-tiny.model" tiny.model && cp "$data/good-tiny.json" tiny.json \
  && cp tiny.model "$(printf 'a"b_c^{x}\377.model')" \
  || framework_failure "cannot copy the models"
odd=$(printf 'a"b_c^{x}\377.model')

awk 'BEGIN { for (i = 0; i < 500; i++) {
               for (j = 0; j < i % 37; j++) printf "the abc \344\270\255 "
               print "" } }' > lines.txt
printf 'the abc aaaa he\n' > one.txt
printf '\n\n\n' > empty.txt

# draw NAME BP-STATS-ARGS...: bp-stats --plot=NAME.gp, then gnuplot.
draw ()
{
  name=$1
  shift
  bp-stats --plot="$name.gp" "$@" > /dev/null 2> err \
    || { bad "$name: bp-stats $* failed: $(cat err)"; return; }
  gnuplot "$name.gp" > "$name.svg" 2> err
  status=$?
  test $status = 0 || bad "$name: gnuplot failed ($status): $(cat err)"
  test -s err && bad "$name: gnuplot warned: $(cat err)"
  head -n 1 "$name.svg" | grep '^<?xml' > /dev/null \
    && grep '</svg>' "$name.svg" > /dev/null \
    || bad "$name: gnuplot drew no SVG"
}

draw three -l -m tiny.model -m tiny.json -m "$odd" lines.txt
draw one-doc -m tiny.model one.txt
draw empty -l -m tiny.model empty.txt
draw files -m tiny.model -m tiny.json lines.txt one.txt empty.txt
# The curves are the models'.
grep -c 'tiny.json' three.svg > /dev/null || bad "no curve named tiny.json"

finish
