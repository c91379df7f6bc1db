#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Progress reports on a terminal 40 columns wide (issue 15): no line of
# the report is wider than the terminal, since a line that wraps leaves
# its wrapped part behind at every update; the stages after the reading
# (merges of sorted runs, pruning for each size) have their own line;
# and a summary stays at the end.  The programs run in a pseudo-terminal
# made by script(1), sized with stty; ttywidth cuts what the terminal
# was sent into the lines it showed, with their columns.
. "${srcdir:-.}/init.sh"

command -v script > /dev/null 2>&1 || skip "no script command (bsdutils)"
command -v stty > /dev/null 2>&1 || skip "no stty command"
ttywidth=$BP_BINDIR/tests/ttywidth
test -x "$ttywidth" || framework_failure "no $ttywidth"

po=$(cd "$srcdir/../po" && pwd)/zh_CN.po || framework_failure "no po/"
cd "$tmp" || framework_failure "cannot enter $tmp"
corpus_for t1 4000
long=a-corpus-with-a-name-too-long-for-a-narrow-terminal.txt
cp "$corpus" "$long" || framework_failure "cp"
mkdir runs || framework_failure "mkdir"

# on_tty COLS COMMAND: run the shell command COMMAND with its standard
# error on a terminal COLS columns wide (its standard output is the
# command's to redirect); the lines the terminal showed go to shown.
on_tty ()
{
  script -q -c "stty cols $1 rows 24; $2; echo \$? > status" /dev/null \
    < /dev/null > raw 2> script.err \
    || framework_failure "script failed: $(cat script.err)"
  test "$(cat status)" = 0 || bad "$2 failed on a terminal: $(cat raw)"
  "$ttywidth" < raw > shown || framework_failure "ttywidth failed"
}

# fits COLS WHAT: every line of the report fits in COLS - 1 columns (a
# message, written once, may wrap).
fits ()
{
  awk -F '\t' -v max="$1" '$1 >= max && $2 !~ /^bp-[a-z]+: / { bad = 1; print }
                           END { exit bad }' shown > wide \
    || bad "$2: lines wider than $1 columns: $(cat wide)"
}

# shows PATTERN WHAT: a line shown matches the extended regex PATTERN
# (after its columns and TAB).
shows ()
{
  cut -f 2- shown | grep -E -e "$1" > /dev/null \
    || bad "$2: no line matches '$1'; shown: $(cut -f 2- shown)"
}

# last PATTERN WHAT: the last line shown, the summary, matches PATTERN.
last ()
{
  tail -n 1 shown | cut -f 2- | grep -E -e "$1" > /dev/null \
    || bad "$2: the last line is not '$1': $(tail -n 3 shown)"
}

time='[0-9]+:[0-9][0-9]'
size='[0-9.]+ [kMG]?B'

# Counting in a small budget: the reading with its file name cut at the
# start (its end says which file it is), each merge of runs, the final
# merge, then the summary.
on_tty 40 "bp-count -j 2 -n 6 -S 64K -T runs $long > counts"
fits 40 "bp-count -S 64K"
shows "^\.\.\.[^ ]*\.txt: [0-9]+%" "bp-count -S 64K (the reading)"
shows "^merging [0-9]+ sorted runs: [0-9]+%" "bp-count -S 64K (merges)"
last "^$size counted in $time, $size/s" "bp-count -S 64K"
ls runs | grep . > /dev/null && bad "bp-count -S 64K left runs: $(ls runs)"

# Wide, the same run shows everything in full.
on_tty 200 "bp-count -j 2 -n 6 -S 64K -T runs $long > counts2"
fits 200 "bp-count, 200 columns"
shows "^$long: [0-9]+%, $size of $size" "bp-count, 200 columns"
last "^$size counted in $time, $size/s, [0-9]+ sorted runs\$" \
  "bp-count, 200 columns"
compare counts counts2 || bad "the counts depend on the width"
bp-count -q -j 2 -n 6 $long > counts3 || bad "bp-count -q failed"
compare counts counts3 || bad "the counts depend on the progress report"

# The other stages of training: the n-gram model, the pieces, and
# pruning, whose every size has its stages.
bp-prune -q -k 2 counts > ngram.model || framework_failure "bp-prune -k 2"
on_tty 40 "bp-count -m ngram.model $long > pieces"
fits 40 "bp-count -m"
last "^$size counted in $time" "bp-count -m"
on_tty 40 "bp-prune -k 2 -v 580,300 -o vocab pieces"
fits 40 "bp-prune -v"
shows "^reading the piece counts" "bp-prune -v"
shows "^size 300: (pruning [0-9]+ pieces|recounting, round [0-9]+)" \
  "bp-prune -v (a stage of size 300)"
# The sizes the counts could not reach are said after the summary
# (bp-prune(1)); the summary is the last line of the report.
grep -v "$(printf '\t')bp-prune: " shown > report.shown
tail -n 1 report.shown | cut -f 2- | grep -E -e "^2 models made in $time\$" \
  > /dev/null || bad "bp-prune -v: the summary is not last: $(cat shown)"
on_tty 40 "bp-prune -k 2 counts > ngram2.model"
fits 40 "bp-prune -k"
last "^the n-gram model made in $time\$" "bp-prune -k"
compare ngram.model ngram2.model || bad "the n-gram model differs"

# Encoding, decoding, statistics: the reading, then the summary.
on_tty 40 "bp-encode -m vocab.580 $long > ids"
fits 40 "bp-encode"
last "^$size encoded in $time, $size/s\$" "bp-encode"
on_tty 40 "bp-decode -m vocab.580 ids > text"
fits 40 "bp-decode"
last "^$size decoded in $time, $size/s\$" "bp-decode"
on_tty 40 "bp-stats -m vocab.580 $long > report"
fits 40 "bp-stats"
last "^$size read in $time, $size/s\$" "bp-stats"

# A count file that stops the run: the message on a line of its own, and
# no summary.
printf 'no header\n' > bad.counts
on_tty 40 "bp-count --merge counts bad.counts > merged || true"
fits 40 "bp-count --merge"
last "^bp-count: bad\.counts:1: " "bp-count --merge of a bad file"

# The same in a UTF-8 locale, where the file name and the messages may
# hold wide characters: Chinese, with the catalogue of the build.
loc=
for l in C.UTF-8 C.utf8 en_US.UTF-8; do
  if test "$(LC_ALL=$l locale charmap 2> /dev/null)" = UTF-8; then
    loc=$l
    break
  fi
done
mo=$tmp/locale/zh_CN/LC_MESSAGES/bytepiece.mo
mkdir -p "$tmp/locale/zh_CN/LC_MESSAGES"
# The catalogue make built, unless the .po is newer (as in i18n.sh).
gmo=$BP_BINDIR/po/zh_CN.gmo
if test -f "$gmo" && ! test "$po" -nt "$gmo"; then
  cp "$gmo" "$mo"
elif command -v msgfmt > /dev/null 2>&1; then
  msgfmt -o "$mo" "$po"
fi
if test -n "$loc" && test -f "$mo" \
   && grep '^#define ENABLE_NLS 1' "$BP_BINDIR/config.h" > /dev/null; then
  wide=语料库的一个很长很长的文件名-corpus.txt
  cp "$corpus" "$wide" || framework_failure "cp"
  export LC_ALL=$loc LANGUAGE=zh_CN BP_LOCALEDIR=$tmp/locale
  on_tty 40 "bp-count -j 2 -n 6 -S 64K -T runs $wide > counts4"
  fits 40 "bp-count in Chinese"
  shows "^…" "bp-count in Chinese (the name cut with an ellipsis)"
  on_tty 40 "bp-prune -k 2 -v 580,300 -o vocab pieces"
  fits 40 "bp-prune in Chinese"
  export LC_ALL=C
  unset LANGUAGE BP_LOCALEDIR
  compare counts counts4 || bad "the counts depend on the language"
fi

finish
