#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Build (once) and describe the benchmark corpora: a mix of Chinese
# prose, classical Chinese poetry, English prose and code, one document
# per line, taken from Debian packages only (installed here if missing).
#
# Usage: bench/corpus.sh [--force]
#
# Writes $BP_BENCH_DIR/corpus/ (default bench/data/corpus/):
#   train-10m.txt  10,000,000 bytes  (a prefix of train-50m: the same mix)
#   train-50m.txt  50,000,000 bytes
#   test-same.txt   5,000,000 bytes  held-out units of the same sources
#   test-other.txt  5,000,000 bytes  other sources (other Chinese manuals,
#                                    GNU and Debian developer docs, Perl)
#   composition.tsv, stamp
# The files are a pure function of bench/corpus.py and the versions of
# the packages it reads (both recorded in stamp); with the same Debian
# release they are byte-identical on every machine.  A quick small
# alternative: $BP_SHARED/vectors/train/t1/corpus.txt (2 MB, zh/en).

. "$(dirname "$0")/common.sh"

force=0
case ${1:-} in
  --force) force=1 ;;
  "") ;;
  *) echo "usage: $me [--force]" >&2; exit 2 ;;
esac

[ -x "$PY" ] || need_pkgs python3-minimal
mapfile -t pkgs < <("$PY" "$BENCH_SRC/corpus.py" --packages)
[ ${#pkgs[@]} -gt 0 ] || die "corpus.py --packages failed"
need_pkgs "${pkgs[@]}"

stamp=$BENCH_TMP/stamp
{
  echo "corpus.py $(sha256sum < "$BENCH_SRC/corpus.py" | cut -d' ' -f1)"
  dpkg-query -W -f='${Package} ${Version}\n' "${pkgs[@]}" | sort
} > "$stamp"

if [ $force = 0 ] && [ -s "$CORPUS_DIR/stamp" ] && cmp -s "$stamp" "$CORPUS_DIR/stamp"; then
  note "cached in $CORPUS_DIR"
else
  note "building the corpora in $CORPUS_DIR (about a minute)"
  rm -rf "$CORPUS_DIR.new"
  mkdir -p "$CORPUS_DIR.new"
  "$PY" "$BENCH_SRC/corpus.py" "$CORPUS_DIR.new" || die "corpus.py failed"
  cp "$stamp" "$CORPUS_DIR.new/stamp"
  rm -rf "$CORPUS_DIR"
  mv "$CORPUS_DIR.new" "$CORPUS_DIR"
fi

# The composition: per file, the share of each kind and of each source.
echo "Corpora in $CORPUS_DIR"
echo
for f in train-10m train-50m test-same test-other; do
  printf '%-15s %11d bytes %8d lines  sha256 %.16s\n' "$f.txt" \
    "$(fsize "$CORPUS_DIR/$f.txt")" "$(wc -l < "$CORPUS_DIR/$f.txt")" \
    "$(sha256sum < "$CORPUS_DIR/$f.txt")"
done
echo
awk -F '\t' 'NR > 1 {
    f = $1; sub(/\.txt$/, "", f); kind = $2; sub(/-.*/, "", kind)
    tot[f] += $4; k[f, kind] += $4; s[f, $2] += $4
    if (!(f in seenf)) { seenf[f] = 1; files[++nf] = f }
    if (!(($2) in seens)) { seens[$2] = 1; srcs[++ns] = $2 }
  }
  END {
    printf "%-26s", "share of bytes (%)"
    for (i = 1; i <= nf; i++) printf " %10s", files[i]
    printf "\n"
    split("zh en code", kinds, " ")
    name["zh"] = "Chinese (all)"; name["en"] = "English (all)"; name["code"] = "code (all)"
    for (j = 1; j <= 3; j++) {
      printf "%-26s", name[kinds[j]]
      for (i = 1; i <= nf; i++) printf " %10.1f", 100 * k[files[i], kinds[j]] / tot[files[i]]
      printf "\n"
    }
    for (j = 1; j <= ns; j++) {
      printf "  %-24s", srcs[j]
      for (i = 1; i <= nf; i++)
        if ((files[i], srcs[j]) in s) printf " %10.1f", 100 * s[files[i], srcs[j]] / tot[files[i]]
        else printf " %10s", "-"
      printf "\n"
    }
  }' "$CORPUS_DIR/composition.tsv"
