// SPDX-License-Identifier: Apache-2.0
// bytepiece's unigram Viterbi (DESIGN.md 1.6) in JavaScript, to explain a
// difference between tokenizers and bp-encode (tests/export-hf.sh).
//
// Usage: node hf-viterbi.js TOKENIZER.json SAVED.json DOC
// DOC holds one document, already normalised (bp-decode's output).  Prints
// two lines: its ids under the scores of TOKENIZER.json (what bp-encode
// uses) and under those of SAVED.json (what tokenizers holds after reading
// TOKENIZER.json: it writes them so when it saves itself).  The document
// is cut into bytepiece's chunks, and each chunk segmented on its bytes:
// start positions in increasing order, a path replaced only by a strictly
// greater score, scores added left to right.
'use strict';
const fs = require('fs');

// GPT-2's byte-level alphabet, from character back to byte.
const charByte = new Map();
let next = 256;
for (let b = 0; b < 256; b++) {
  const self = (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || b >= 0xae;
  charByte.set(String.fromCharCode(self ? b : next++), b);
}

function scores(file) {
  const vocab = JSON.parse(fs.readFileSync(file, 'utf8')).model.vocab;
  const m = new Map();
  let maxlen = 0;
  for (let id = 3; id < vocab.length; id++) {
    let key = '';
    for (const c of vocab[id][0]) key += String.fromCharCode(charByte.get(c));
    m.set(key, [id, vocab[id][1]]);
    maxlen = Math.max(maxlen, key.length);
  }
  return { m, maxlen };
}

function encode(model, bytes) {
  const ids = [];
  // Chunks: a run of non-LF bytes and the LFs after it.
  const chunks = bytes.match(/[^\n]*\n+|[^\n]+/g) || [];
  for (const t of chunks) {
    const n = t.length;
    const best = new Array(n + 1).fill(null);
    best[0] = [0, -1, -1];
    for (let s = 0; s < n; s++) {
      for (let e = s + 1; e <= Math.min(n, s + model.maxlen); e++) {
        const p = model.m.get(t.slice(s, e));
        if (!p) continue;
        const v = best[s][0] + p[1];
        if (best[e] === null || v > best[e][0]) best[e] = [v, s, p[0]];
      }
    }
    const path = [];
    for (let e = n; e > 0; e = best[e][1]) path.push(best[e][2]);
    ids.push(...path.reverse());
  }
  return ids.join(' ');
}

const [tfile, saved, doc] = process.argv.slice(2);
const bytes = fs.readFileSync(doc).toString('latin1');
process.stdout.write(encode(scores(tfile), bytes) + '\n' +
                     encode(scores(saved), bytes) + '\n');
