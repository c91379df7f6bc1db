#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Every program speaks Chinese with the zh_CN catalogue of this build:
# --help translated block by block with its options, metavariables and
# columns intact, --version, usage errors and data errors; the tables of
# bp-stats stay aligned; and what the programs write to files does not
# change with the language.  The catalogue is installed in a temporary
# directory that BP_LOCALEDIR points the programs to.
. "${srcdir:-.}/init.sh"

data=$(cd "$srcdir/data" && pwd) || framework_failure "no $srcdir/data"
po=$(cd "$srcdir/../po" && pwd) || framework_failure "no $srcdir/../po"
progs="bp-encode bp-decode bp-count bp-prune bp-stats"

test -f "$BP_BINDIR/config.h" || framework_failure "no $BP_BINDIR/config.h"
grep '^#define ENABLE_NLS 1' "$BP_BINDIR/config.h" > /dev/null \
  || skip "built without native language support (--disable-nls)"

# A UTF-8 locale: zh_CN's if the machine has it, else C.UTF-8, where
# LANGUAGE still chooses the messages (only the "C" locale ignores it).
command -v locale > /dev/null 2>&1 || skip "no locale command"
loc=
for l in zh_CN.UTF-8 zh_CN.utf8 C.UTF-8 C.utf8; do
  if test "$(LC_ALL=$l locale charmap 2> /dev/null)" = UTF-8; then
    loc=$l
    break
  fi
done
test -n "$loc" || skip "no zh_CN.UTF-8 or C.UTF-8 locale"

# The catalogue make built (gettext's po/Makefile keeps it beside the .po),
# unless the .po is newer: then compile it here.
mo=$tmp/locale/zh_CN/LC_MESSAGES/bytepiece.mo
mkdir -p "$tmp/locale/zh_CN/LC_MESSAGES" || framework_failure "mkdir"
gmo=
for g in "$BP_BINDIR/po/zh_CN.gmo" "$po/zh_CN.gmo"; do
  if test -f "$g" && ! test "$po/zh_CN.po" -nt "$g"; then
    gmo=$g
    break
  fi
done
if test -n "$gmo"; then
  cp "$gmo" "$mo" || framework_failure "cannot copy $gmo"
elif command -v msgfmt > /dev/null 2>&1; then
  msgfmt -o "$mo" "$po/zh_CN.po" || framework_failure "msgfmt failed"
else
  skip "no zh_CN.gmo is built and msgfmt is not installed"
fi

cd "$tmp" || framework_failure "cannot enter $tmp"

# zh CMD...: run CMD in Chinese.  en CMD...: in English.
zh () { BP_LOCALEDIR=$tmp/locale LANGUAGE=zh_CN LC_ALL=$loc "$@"; }
en () { LC_ALL=C "$@"; }

# The display width of the longest line of standard input, if this wc
# counts columns (GNU wc -L in a UTF-8 locale: a Chinese character is 2).
width () { LC_ALL=$loc wc -L | tr -d ' '; }
test "$(printf '\344\270\255a\n' | width)" = 3 && have_width=yes \
  || have_width=no

# columns FILE: "OPTION COLUMN" for each option line of a --help, where
# COLUMN is where its description starts.  The option part is ASCII in
# both languages, so bytes are columns.
columns ()
{
  LC_ALL=C awk 'match ($0, /^ +(-[A-Za-z0-9], )?-[^ ]+  +/) {
                  opt = substr ($0, 1, RLENGTH); gsub (/ /, "", opt)
                  print opt, RLENGTH }' "$1"
}

# options FILE: the long options a text mentions, sorted.
options () { grep -o -e '--[a-z][a-z-]*' "$1" | LC_ALL=C sort -u; }

for p in $progs; do
  # --help: Chinese, whole, aligned as the English is.
  en $p --help > en.help 2>&1 || bad "$p --help failed in English"
  zh $p --help > zh.help 2> err || bad "$p --help failed in Chinese"
  test -s err && bad "$p --help wrote to stderr in Chinese"
  head -n 1 zh.help | grep "^用法：$p " > /dev/null \
    || bad "$p --help: no Chinese usage line"
  grep '^退出状态：' zh.help > /dev/null || bad "$p --help: no exit status"
  # No line of the English text is left untranslated.
  grep -v '^$' en.help > en.lines
  if grep -Fx -f en.lines zh.help > same; then
    bad "$p --help: lines left in English:"
    cat same >&2
  fi
  options en.help > en.opts
  options zh.help > zh.opts
  compare en.opts zh.opts || bad "$p --help: option names differ"
  columns en.help > en.cols
  columns zh.help > zh.cols
  test -s en.cols || framework_failure "$p --help: no option line found"
  compare en.cols zh.cols || bad "$p --help: options or columns differ"
  if test $have_width = yes; then
    w=$(width < zh.help)
    test "$w" -le 80 || bad "$p --help: a line of $w columns in Chinese"
  fi

  # --version: the first line as in English, the rest translated.
  en $p --version > en.version || bad "$p --version failed"
  zh $p --version > zh.version || bad "$p --version failed in Chinese"
  head -n 1 en.version > en.first
  head -n 1 zh.version > zh.first
  compare en.first zh.first || bad "$p --version: first line differs"
  sed -n 2p zh.version | grep '^版权所有 (C) [0-9]' > /dev/null \
    || bad "$p --version: copyright line not translated"

  # An unknown option: getopt's complaint (the C library's words), then
  # ours, status 2.
  zh $p --frob < /dev/null > out 2> err
  status=$?
  test $status = 2 || bad "$p --frob: status $status, not 2"
  test -s out && bad "$p --frob: wrote to stdout"
  sed -n 2p err > err.2
  printf '%s\n' "请运行 '$p --help' 获取更多信息。" > exp
  compare exp err.2 || bad "$p --frob: no Chinese hint"
  test "$(wc -l < err)" = 2 || bad "$p --frob: not two lines on stderr"
done

# check STATUS EXPECTED-STDERR CMD...: run CMD in Chinese with no input.
check ()
{
  want=$1
  printf '%s\n' "$2" > exp
  shift 2
  zh "$@" < /dev/null > out 2> err
  status=$?
  test $status = "$want" || bad "$*: status $status, not $want"
  compare exp err || bad "$*: wrong diagnostics"
}

# The C library's own words for a missing file, as cat says them.
zh cat "$tmp/missing" 2> err.cat && framework_failure "cat: missing exists"
enoent=$(sed "s|^cat: $tmp/missing: ||" err.cat)

check 1 "bp-encode: $tmp/missing: $enoent" bp-encode -m "$tmp/missing"
check 2 "bp-encode: 未指定模型（请使用 -m MODEL）
请运行 'bp-encode --help' 获取更多信息。" bp-encode
check 1 "bp-encode: $data/bad-magic.model:1: 不是 bytepiece 模型" \
  bp-encode -m "$data/bad-magic.model"
check 1 "bp-decode: $data/bad-range.ids:17: id 99999 超出范围（词表大小为 271）" \
  bp-decode -m "$data/good-tiny.model" "$data/bad-range.ids"
check 2 "bp-count: 阶数必须在 1 到 255 之间
请运行 'bp-count --help' 获取更多信息。" bp-count -n 256
check 1 "bp-prune: （标准输入）:1: 缺少文件头（应为 '#bytepiece-counts 1 ...'）" \
  bp-prune
check 2 "bp-stats: 既未指定模型，也未指定计数文件
请运行 'bp-stats --help' 获取更多信息。" bp-stats
check 1 "bp-stats: $data/bad-counts-duplicate:5: 键重复" \
  bp-stats "$data/bad-counts-duplicate"

# Files never depend on the language: the same bytes in both.
printf 'the cat abthe 你好\nab ab the\n' > text
for args in "bp-encode -m $data/good-tiny.model text" \
            "bp-encode -m $data/good-tiny.model -f pieces text" \
            "bp-count -n 3 text" \
            "bp-stats --json -m $data/good-tiny.model text" \
            "bp-stats --json $data/good-counts-ngrams"; do
  # shellcheck disable=SC2086 # the words of a command
  en $args > en.out 2>&1 || bad "$args failed in English"
  # shellcheck disable=SC2086
  zh $args > zh.out 2>&1 || bad "$args failed in Chinese"
  compare en.out zh.out || bad "$args: the output depends on the language"
done

# bp-stats's Chinese tables: the headings end where their numbers do
# (widths counted in columns, not bytes).  Each table's heading and first
# row, cut after the last number, have the same width.
if test $have_width = yes; then
  zh bp-stats -n 1 -m "$data/good-tiny.model" text > stats.txt \
    || bad "bp-stats on a model failed in Chinese"
  zh bp-stats -n 1 "$data/good-counts-ngrams" >> stats.txt \
    || bad "bp-stats on counts failed in Chinese"
  # The heading of a list follows its title (a line ending in the name).
  LC_ALL=C awk '/：/ && / \// { getline h; getline r;
                  sub (/  [^ ]+$/, "", h); sub (/  "[^"]*"$/, "", r);
                  print h; print r }' stats.txt > tables
  test "$(wc -l < tables)" = 6 || bad "bp-stats: not three tables in Chinese"
  # The table by vocabulary size, its model column cut off.
  zh bp-stats -n 0 -m "$data/good-tiny.model" -m "$data/good-tiny.json" \
    text > stats2.txt || bad "bp-stats with two models failed in Chinese"
  sed -n '/^各词表大小的压缩效果$/{n;p;n;p;}' stats2.txt \
    | LC_ALL=C sed 's/  [^ ]*$//' >> tables
  test "$(wc -l < tables)" = 8 || bad "bp-stats: no table by vocabulary in Chinese"
  while IFS= read -r h && IFS= read -r r; do
    test "$(printf '%s\n' "$h" | width)" = "$(printf '%s\n' "$r" | width)" \
      || bad "bp-stats: heading '$h' not aligned with '$r'"
  done < tables
fi

finish
