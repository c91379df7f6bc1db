#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# Build the benchmark corpora from installed Debian packages (run by
# corpus.sh, which installs the packages and caches the result).
#
# Output, one document per line, valid UTF-8, no control bytes but TAB:
#   train-50m.txt   50,000,000 bytes  from the "same" sources
#   train-10m.txt   10,000,000 bytes  a prefix of train-50m (same mix)
#   test-same.txt    5,000,000 bytes  held-out units of the same sources
#   test-other.txt   5,000,000 bytes  other sources
#   composition.tsv                   file, source, documents, bytes
#
# Deterministic: files come from `dpkg -L` of named packages, sorted; each
# unit (a file, a chapter, 20 paragraphs) goes to test-same when a seeded
# SHA-256 of its name says so, and units are interleaved in seeded-hash
# order so that every prefix has the mix that WEIGHTS asks for.
#
# Usage: corpus.py OUTDIR      (or --packages: the Debian packages it reads)

import gzip
import hashlib
import html.parser
import os
import re
import subprocess
import sys

SEED = "bytepiece-bench-1"
TRAIN_BYTES = 50_000_000
TRAIN10_BYTES = 10_000_000
TEST_BYTES = 5_000_000
HOLDOUT_MOD = 10          # 1 unit in 10 is held out for test-same
PROSE_UNIT_DOCS = 20      # prose files are cut into units of 20 paragraphs
CODE_UNIT_BYTES = 262144  # a source file contributes at most 256 KiB

# ---------------------------------------------------------------- text utils

CTRL = re.compile("[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]")
ANSI = re.compile("\x1b\\[[0-9;]*[A-Za-z]")
WS = re.compile(r"\s+")


def wide(c):
    o = ord(c)
    return (0x2E80 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF
            or 0xFE30 <= o <= 0xFE4F or 0xFF00 <= o <= 0xFFEF
            or 0x20000 <= o <= 0x3FFFF)


def join_lines(lines):
    """Join wrapped lines of one paragraph: no space between two CJK
    characters (a line break there is not a word break), one otherwise."""
    out = ""
    for ln in lines:
        ln = WS.sub(" ", ln).strip()
        if not ln:
            continue
        if out and not (wide(out[-1]) and wide(ln[0])):
            out += " "
        out += ln
    return out


def clean(s):
    s = ANSI.sub("", s)
    s = s.replace("\r", "")
    return CTRL.sub("", s)


RULE = re.compile(r"^\s*([=\-^~*#+`'\"._:])\1{3,}\s*$")


def indent(ln):
    return len(ln) - len(ln.lstrip())


def paragraphs(text):
    """Blank-line separated blocks.  A literal block (after "::", or
    indented unevenly like code) keeps its lines; any other block, a
    wrapped paragraph or list item, is joined into one line."""
    docs, prev = [], ""
    for block in re.split(r"\n\s*\n", text):
        lines = [ln.rstrip() for ln in block.split("\n")
                 if ln.strip() and not RULE.match(ln)]
        if not lines:
            continue
        rest = {indent(ln) for ln in lines[1:]}
        literal = len(lines) > 1 and (
            prev.endswith("::") or len(rest) > 1
            or indent(lines[0]) > min(rest))
        if literal:
            docs.extend(ln.strip() for ln in lines)
        else:
            docs.append(join_lines(lines))
        prev = lines[-1]
    return docs


# ------------------------------------------------------------------- readers

def read_bytes(path):
    with open(path, "rb") as f:
        data = f.read()
    if path.endswith(".gz"):
        data = gzip.decompress(data)
    return data


def read_text(path):
    return clean(read_bytes(path).decode("utf-8", errors="replace")
                 .replace("\ufffd", ""))


def parse_text(path):
    return paragraphs(read_text(path))


TROFF_TEXT_MACROS = {"SH", "SS", "B", "I", "BR", "IR", "RB", "BI", "IB", "RI",
                     "SM", "SB", "TP", "IP", "HP", "UR", "MT", "Nm", "Nd"}
TROFF_BREAK = {"SH", "SS", "PP", "LP", "P", "TP", "IP", "HP", "br", "sp",
               "nf", "fi", "TH", "RS", "RE", "EX", "EE"}


def troff_unescape(s):
    s = re.sub(r"\\f(\(..|\[[^]]*\]|.)", "", s)
    s = re.sub(r"\\s[+-]?\d", "", s)
    s = re.sub(r"\\\((..)", lambda m: {"em": "—", "en": "–", "bu": "•",
                                        "lq": "“", "rq": "”", "co": "©",
                                        "aq": "'", "dq": '"'}.get(m.group(1), ""), s)
    s = re.sub(r"\\\*\(?..?", "", s)
    s = s.replace("\\-", "-").replace("\\e", "\\").replace("\\ ", " ")
    s = re.sub(r"\\[&|^/,:%~0]", "", s)
    s = s.replace("\\(", "(")
    return s


def parse_troff(path):
    docs, para, nofill = [], [], False

    def flush():
        if para:
            if nofill:
                docs.extend(p.strip() for p in para if p.strip())
            else:
                d = join_lines(para)
                if d:
                    docs.append(d)
            para.clear()

    for ln in read_text(path).split("\n"):
        if ln.startswith((".", "'")):
            parts = ln[1:].strip().split(None, 1)
            if not parts or parts[0].startswith('\\"'):
                continue
            mac = parts[0]
            if mac in TROFF_BREAK:
                flush()
            if mac == "nf" or mac == "EX":
                nofill = True
            elif mac == "fi" or mac == "EE":
                nofill = False
            if mac in TROFF_TEXT_MACROS and len(parts) > 1:
                arg = parts[1]
                if mac in ("TP", "IP", "HP"):
                    arg = arg.split(None, 1)[0] if mac == "IP" else ""
                arg = arg.replace('"', "")
                if arg:
                    para.append(troff_unescape(arg))
                if mac in ("SH", "SS"):
                    flush()
            continue
        if not ln.strip():
            flush()
            continue
        para.append(troff_unescape(ln))
    flush()
    return docs


BLOCK_TAGS = {"p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2",
              "h3", "h4", "h5", "h6", "pre", "table", "tr", "td", "th",
              "br", "title", "blockquote", "section", "article", "header",
              "footer", "nav", "hr", "caption", "figcaption", "body"}
SKIP_TAGS = {"script", "style", "head"}


class HTMLText(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.docs, self.buf, self.skip, self.pre = [], [], 0, 0

    def flush(self):
        text = "".join(self.buf)
        self.buf = []
        if self.pre:
            self.docs.extend(ln.rstrip() for ln in text.split("\n")
                             if ln.strip())
        else:
            d = join_lines(text.split("\n"))
            if d:
                self.docs.append(d)

    def handle_starttag(self, tag, attrs):
        if tag in SKIP_TAGS:
            self.skip += 1
        elif tag == "title" and self.skip:
            self.skip -= 1    # the title is text even inside <head>
            self.flush()
        elif tag in BLOCK_TAGS:
            self.flush()
            if tag == "pre":
                self.pre += 1

    def handle_endtag(self, tag):
        if tag in SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
        elif tag == "title":
            self.flush()
            self.skip += 1
        elif tag in BLOCK_TAGS:
            self.flush()
            if tag == "pre":
                self.pre = max(0, self.pre - 1)

    def handle_data(self, data):
        if not self.skip:
            self.buf.append(data)


def parse_html(path):
    p = HTMLText()
    p.feed(read_text(path))
    p.close()
    p.flush()
    return p.docs


def parse_fortune(path):
    docs = []
    for block in read_text(path).split("\n%\n"):
        d = join_lines(block.split("\n"))
        if d and d != "%":
            docs.append(d)
    return docs


def parse_code(path):
    data = read_bytes(path)[:CODE_UNIT_BYTES]
    docs = []
    for raw in data.split(b"\n"):
        try:
            ln = raw.decode("utf-8")
        except UnicodeDecodeError:
            continue
        ln = CTRL.sub("", ln.replace("\r", "")).rstrip()
        if ln.strip():
            docs.append(ln)
    return docs


def parse_info(path):
    text = read_text(path)
    return [d for node in text.split("\x1f") for d in paragraphs(node)
            if not d.startswith("File: ")]


def parse_pod(path):
    return [re.sub(r"^=\w+\s*", "", d) for d in parse_text(path)
            if not re.match(r"^=(cut|pod|over|back|begin|end|encoding)\b", d)]


def bible_units():
    """The KJV, one verse a document, one chapter a unit."""
    out = subprocess.run(["bible", "-l1000000", "Gen1:1-Rev22:21"],
                         stdin=subprocess.DEVNULL, capture_output=True,
                         check=True).stdout.decode("utf-8")
    units, name, verses = [], None, []
    for ln in out.split("\n"):
        m = re.match(r"^(\S.*\S) (\d+)$", ln)
        if m and not ln[0].isdigit():
            if name and verses:
                units.append((name, verses))
            name, verses = ln, []
            continue
        m = re.match(r"^\s*\d+ (.*)$", ln)
        if m and name:
            verses.append(clean(m.group(1)).strip())
        elif ln.strip() and verses:
            verses[-1] += " " + clean(ln).strip()
    if name and verses:
        units.append((name, verses))
    return units


# ------------------------------------------------------------------- sources

def pkg_files(pkgs, pattern, exclude=None):
    out = subprocess.run(["dpkg", "-L"] + pkgs, capture_output=True,
                         check=True, text=True).stdout.split("\n")
    rx, ex = re.compile(pattern), re.compile(exclude) if exclude else None
    files = sorted({f for f in out if rx.search(f) and not (ex and ex.search(f))
                    and os.path.isfile(f) and not os.path.islink(f)})
    return files


# name, set, packages, path pattern, exclude pattern, parser, prose?, weight
# A weight is the source's share of its set's bytes.  Debian has little
# Chinese prose, so the Chinese sources (and the small English ones) are
# weighted to use about 88% of what they have in train-50m, leaving the
# held-out tenth for test-same; the big sources fill the rest.
SOURCES = [
    ("zh-manpages", "same", ["manpages-zh"], r"^/usr/share/man/zh_CN/.*\.gz$",
     None, parse_troff, True, 0.0567),
    ("zh-debian-reference", "same", ["debian-reference-zh-cn"],
     r"\.zh-cn\.txt\.gz$", None, parse_text, True, 0.0112),
    ("zh-debian-handbook", "same", ["debian-handbook"],
     r"/html/zh-CN/.*\.html$", None, parse_html, True, 0.0119),
    ("zh-linux-doc", "same", ["linux-doc-6.1"],
     r"/translations/zh_(CN|TW)/.*\.rst\.gz$", None, parse_text, True, 0.0326),
    ("zh-fortunes", "same", ["fortunes-zh"], r"/fortunes/chinese$", None,
     parse_fortune, True, 0.0307),
    ("zh-classical-poetry", "same", ["fortunes-zh"],
     r"/fortunes/(tang300|song100)$", None, parse_fortune, True, 0.0019),
    ("en-bible-kjv", "same", ["bible-kjv-text"], None, None, None, True,
     0.0725),
    ("en-linux-doc", "same", ["linux-doc-6.1"],
     r"/Documentation/.*\.(rst|txt)\.gz$", r"/translations/", parse_text,
     True, 0.2376),
    ("en-python-doc", "same", ["python3.11-doc"], r"/_sources/.*\.txt$",
     None, parse_text, True, 0.168),
    ("en-debian-reference", "same", ["debian-reference-en"],
     r"\.en\.txt\.gz$", None, parse_text, True, 0.0118),
    ("en-fortunes", "same", ["fortunes", "fortunes-min"],
     r"/usr/share/games/fortunes/[a-z-]+$", None, parse_fortune, True, 0.0437),
    ("code-c-headers", "same", ["libc6-dev", "linux-libc-dev"], r"\.h$",
     None, parse_code, False, 0.1338),
    ("code-python", "same", ["libpython3.11-stdlib", "libpython3.11-minimal"],
     r"/usr/lib/python3\.11/.*\.py$", r"/test/", parse_code, False, 0.1676),

    ("zh-gimp-help", "other", ["gimp-help-zh-cn"], r"/zh_CN/.*\.html$", None,
     parse_html, True, 0.0683),
    ("zh-debian-edu", "other", ["debian-edu-doc-zh-cn"], r"\.html$", None,
     parse_html, True, 0.0219),
    ("zh-debian-edu-legacy", "other", ["debian-edu-doc-legacy-zh-cn"],
     r"\.html$", None, parse_html, True, 0.0411),
    ("zh-debian-faq", "other", ["debian-faq-zh-cn"], r"\.html$", None,
     parse_html, True, 0.0268),
    ("zh-maint-guide", "other", ["maint-guide-zh-cn"], r"\.html$", None,
     parse_html, True, 0.0276),
    ("zh-tw-maint-guide", "other", ["maint-guide-zh-tw"], r"\.html$", None,
     parse_html, True, 0.0273),
    ("zh-kicad-doc", "other", ["kicad-doc-zh"], r"/help/zh/.*\.html$", None,
     parse_html, True, 0.0418),
    ("en-gnu-standards", "other", ["gnu-standards"], r"\.info\.gz$", None,
     parse_info, True, 0.070),
    ("en-developers-reference", "other", ["developers-reference"],
     r"/_sources/.*\.txt$", None, parse_text, True, 0.0565),
    ("en-perl-pod", "other", ["perl-doc"], r"\.pod$", None, parse_pod,
     True, 0.30),
    ("code-perl", "other", ["perl-modules-5.36"], r"\.pm$", None,
     parse_code, False, 0.3187),
]


def h(s):
    return int.from_bytes(hashlib.sha256((SEED + "\0" + s).encode()).digest()[:8],
                          "big")


ENGLISH_RUN = re.compile(r"[A-Za-z]+(?:[ ,.;:'()-]+[A-Za-z]+){7}")


def untranslated(doc):
    """In a Chinese document set, an English paragraph with no CJK
    character is a translation left undone: it is not Chinese prose."""
    return not any(wide(c) for c in doc) and ENGLISH_RUN.search(doc)


def units_of(src):
    name, _, pkgs, pat, ex, parse, prose, _ = src
    if name == "en-bible-kjv":
        raw = bible_units()
    else:
        raw = [(f, parse(f)) for f in pkg_files(pkgs, pat, ex)]
    units, seen = [], set()
    for uname, docs in raw:
        if name.startswith("zh-"):
            docs = [d for d in docs if not untranslated(d)]
        if prose:   # boilerplate (navigation, licences) once per source
            docs = [d for d in docs if not (d in seen or seen.add(d))]
            for i in range(0, len(docs), PROSE_UNIT_DOCS):
                units.append(("%s#%d" % (uname, i), docs[i:i + PROSE_UNIT_DOCS]))
        elif docs:
            units.append((uname, docs))
    return [u for u in units if u[1]]


def interleave(streams, weights, limit):
    """Take whole units from each source's stream, always from the one
    furthest below its share, until LIMIT bytes; the last line is cut
    at a character boundary so the file is exactly LIMIT bytes."""
    out, sizes, pos = [], {s: 0 for s in streams}, {s: 0 for s in streams}
    total = 0
    while total < limit:
        live = [s for s in streams if pos[s] < len(streams[s])]
        if not live:
            sys.exit("corpus.py: sources exhausted at %d bytes" % total)
        s = min(live, key=lambda s: (sizes[s] / weights[s], s))
        _, docs = streams[s][pos[s]]
        pos[s] += 1
        for d in docs:
            b = d.encode("utf-8") + b"\n"
            if total + len(b) > limit:
                b = b[:limit - total - 1]
                while b and (b[-1] & 0xC0) == 0x80:
                    b = b[:-1]
                if b and b[-1] >= 0xC0:
                    b = b[:-1]
                b = b.rstrip(b" \t")
                b += b"\n"
                b += b"\n" * (limit - total - len(b))   # pad the rare cut
                out.append((s, b))
                total = limit
                break
            out.append((s, b))
            sizes[s] += len(b)
            total += len(b)
    return out


def write(path, lines):
    with open(path + ".tmp", "wb") as f:
        for _, b in lines:
            f.write(b)
    os.rename(path + ".tmp", path)


def composition(fname, lines, rows):
    per = {}
    for s, b in lines:
        n, sz = per.get(s, (0, 0))
        per[s] = (n + 1, sz + len(b))
    for s in sorted(per):
        rows.append((fname, s, per[s][0], per[s][1]))


def main():
    if sys.argv[1:] == ["--packages"]:
        # what corpus.sh must install: every source's packages, and the
        # program that reads the KJV's compressed text
        pkgs = {p for src in SOURCES for p in src[2]} | {"bible-kjv"}
        print("\n".join(sorted(pkgs)))
        return
    if len(sys.argv) != 2:
        sys.exit("usage: corpus.py OUTDIR | --packages")
    outdir = sys.argv[1]
    same, held, other = {}, {}, {}
    wsame, wother = {}, {}
    for src in SOURCES:
        name, set_, weight = src[0], src[1], src[7]
        units = sorted(units_of(src), key=lambda u: h(name + "/" + u[0]))
        size = sum(len(d.encode()) + 1 for _, docs in units for d in docs)
        print("%-24s %-5s %6d units %10d bytes" % (name, set_, len(units), size),
              file=sys.stderr)
        if set_ == "same":
            held[name] = [u for u in units if h("holdout/" + name + "/" + u[0])
                          % HOLDOUT_MOD == 0]
            same[name] = [u for u in units if h("holdout/" + name + "/" + u[0])
                          % HOLDOUT_MOD != 0]
            wsame[name] = weight
        else:
            other[name] = units
            wother[name] = weight
    rows = []
    train = interleave(same, wsame, TRAIN_BYTES)
    outputs = [("train-50m.txt", train),
               ("train-10m.txt", interleave(same, wsame, TRAIN10_BYTES)),
               ("test-same.txt", interleave(held, wsame, TEST_BYTES)),
               ("test-other.txt", interleave(other, wother, TEST_BYTES))]
    for fname, lines in outputs:
        write(os.path.join(outdir, fname), lines)
        composition(fname, lines, rows)
    with open(os.path.join(outdir, "composition.tsv"), "w") as f:
        f.write("file\tsource\tdocuments\tbytes\n")
        for r in rows:
            f.write("%s\t%s\t%d\t%d\n" % r)


if __name__ == "__main__":
    main()
