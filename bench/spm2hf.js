#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
// Convert a SentencePiece unigram model (the protobuf that spm_train
// writes) into the JSON that HuggingFace tokenizers loads, so that both
// encoders can be timed on the very same vocabulary and scores.
//
// Usage: node spm2hf.js IN.model OUT.json
//
// The protobuf is read with a small hand-written decoder (no protobuf
// package needed); only the fields used below are interpreted:
//   ModelProto      1: pieces (repeated SentencePiece)  3: normalizer_spec
//   SentencePiece   1: piece (string)  2: score (float)  3: type (enum)
//   NormalizerSpec  2: precompiled_charsmap  3: add_dummy_prefix
//                   4: remove_extra_whitespaces
// Piece types: 1 normal, 2 unknown, 3 control, 4 user defined, 5 unused,
// 6 byte (<0xAB>, present with --byte_fallback).
'use strict';
const fs = require('fs');

function reader(buf) {
  let pos = 0;
  function varint() {
    let v = 0n, shift = 0n;
    for (;;) {
      if (pos >= buf.length) throw new Error('truncated varint');
      const b = buf[pos++];
      v |= BigInt(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
      shift += 7n;
    }
  }
  // Calls fn(field, wiretype, value) for each field; value is a Buffer
  // for length-delimited fields, a BigInt for varints, a Buffer of 4 or 8
  // bytes for fixed ones.
  return function each(fn) {
    while (pos < buf.length) {
      const key = Number(varint());
      const field = key >>> 3, wt = key & 7;
      let val;
      if (wt === 0) val = varint();
      else if (wt === 1) { val = buf.subarray(pos, pos + 8); pos += 8; }
      else if (wt === 2) {
        const n = Number(varint());
        val = buf.subarray(pos, pos + n); pos += n;
      } else if (wt === 5) { val = buf.subarray(pos, pos + 4); pos += 4; }
      else throw new Error('unsupported wire type ' + wt);
      if (pos > buf.length) throw new Error('truncated field');
      fn(field, wt, val);
    }
  };
}

function parseModel(buf) {
  const m = { pieces: [], charsmap: null, dummyPrefix: true, squeeze: true };
  reader(buf)((f, wt, v) => {
    if (f === 1 && wt === 2) {
      const p = { piece: '', score: 0, type: 1 };
      reader(v)((g, gw, gv) => {
        if (g === 1 && gw === 2) p.piece = gv.toString('utf8');
        else if (g === 2 && gw === 5) p.score = gv.readFloatLE(0);
        else if (g === 3 && gw === 0) p.type = Number(gv);
      });
      m.pieces.push(p);
    } else if (f === 3 && wt === 2) {
      reader(v)((g, gw, gv) => {
        if (g === 2 && gw === 2) m.charsmap = Buffer.from(gv);
        else if (g === 3 && gw === 0) m.dummyPrefix = gv !== 0n;
        else if (g === 4 && gw === 0) m.squeeze = gv !== 0n;
      });
    }
  });
  return m;
}

function convert(m) {
  const unk = m.pieces.findIndex((p) => p.type === 2);
  if (unk < 0) throw new Error('model has no <unk> piece');
  const special = [];
  m.pieces.forEach((p, id) => {
    if (p.type === 2 || p.type === 3 || p.type === 4)
      special.push({ id, content: p.piece, single_word: false, lstrip: false,
                     rstrip: false, normalized: false, special: p.type !== 4 });
  });
  // SentencePiece's normaliser: the character map, then (with
  // remove_extra_whitespaces) no leading/trailing spaces and no runs.
  const norms = [];
  if (m.charsmap && m.charsmap.length)
    norms.push({ type: 'Precompiled',
                 precompiled_charsmap: m.charsmap.toString('base64') });
  if (m.squeeze) {
    norms.push({ type: 'Strip', strip_left: true, strip_right: true });
    norms.push({ type: 'Replace', pattern: { Regex: ' {2,}' }, content: ' ' });
  }
  const meta = { type: 'Metaspace', replacement: '\u2581',
                 prepend_scheme: m.dummyPrefix ? 'always' : 'never',
                 split: true };
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: special,
    normalizer: norms.length ? { type: 'Sequence', normalizers: norms } : null,
    pre_tokenizer: meta,
    post_processor: null,
    decoder: meta,
    model: {
      type: 'Unigram',
      unk_id: unk,
      vocab: m.pieces.map((p) => [p.piece, p.score]),
      byte_fallback: m.pieces.some((p) => p.type === 6),
    },
  };
}

function main() {
  const [inp, out] = process.argv.slice(2);
  if (!inp || !out) {
    process.stderr.write('usage: node spm2hf.js IN.model OUT.json\n');
    process.exit(2);
  }
  const json = JSON.stringify(convert(parseModel(fs.readFileSync(inp))));
  fs.writeFileSync(out + '.tmp', json);
  fs.renameSync(out + '.tmp', out);
}

main();
