// SPDX-License-Identifier: Apache-2.0
// Encode files with a HuggingFace tokenizer.json through the npm package
// "tokenizers" (tests/export-hf.sh), and decode the ids again.
//
// Usage: node hf-encode.js TOKENIZERS_DIR TOKENIZER.json OUTDIR [-l] FILE...
// For each FILE, OUTDIR/NAME.ids gets its ids and OUTDIR/NAME.dec what
// they decode to.  A FILE is one document (ids one per line), or after
// -l one document per line (a line of ids per line, the decoded lines
// each followed by a LF), the conventions of ../shared/vectors.
// OUTDIR/saved.json is what the tokenizer writes when it saves itself,
// which shows the scores it holds; OUTDIR/misread.ids the ids whose score
// it holds other than TOKENIZER.json says, one a line (both read by
// JavaScript's correctly rounded parser; tokenizers parses numbers with
// serde_json, whose default parser is not correctly rounded).
'use strict';
const fs = require('fs');
const path = require('path');

async function main() {
  const [dir, tfile, outdir, ...rest] = process.argv.slice(2);
  const { Tokenizer } = require(dir);
  const tok = Tokenizer.fromFile(tfile);
  const saved = path.join(outdir, 'saved.json');
  tok.save(saved, false);
  const want = JSON.parse(fs.readFileSync(tfile, 'utf8')).model.vocab;
  const held = JSON.parse(fs.readFileSync(saved, 'utf8')).model.vocab;
  let misread = '';
  for (let i = 0; i < want.length; i++)
    if (held[i][0] !== want[i][0] || held[i][1] !== want[i][1]) misread += i + '\n';
  fs.writeFileSync(path.join(outdir, 'misread.ids'), misread);
  const opts = { addSpecialTokens: false };
  let lines = false;
  for (const f of rest) {
    if (f === '-l') { lines = true; continue; }
    const name = path.join(outdir, path.basename(f));
    const text = fs.readFileSync(f, 'utf8');
    let ids = '', dec = '';
    if (lines) {
      const docs = text.split('\n');
      if (docs.length && docs[docs.length - 1] === '') docs.pop();
      for (const d of docs) {
        const e = await tok.encode(d, null, opts);
        ids += e.getIds().join(' ') + '\n';
        dec += (await tok.decode(e.getIds(), false)) + '\n';
      }
    } else {
      const e = await tok.encode(text, null, opts);
      for (const id of e.getIds()) ids += id + '\n';
      dec = await tok.decode(e.getIds(), false);
    }
    fs.writeFileSync(name + '.ids', ids);
    fs.writeFileSync(name + '.dec', dec);
  }
}

main().catch((e) => { process.stderr.write(String(e) + '\n'); process.exit(1); });
