// The shared vectors (written by the Rust client's tests/ts_vectors.rs): the same account bytes
// must give the same figures here as in Rust, to the base unit, and amounts must parse and
// format the same.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import {
  AmountError,
  formatUiAmount,
  formatUiAmountGrouped,
  getPoolDecoder,
  getPositionDecoder,
  owedAt,
  parseUiAmount,
  poolFigures,
  positionFigures,
} from '../src/index';

const vectors = JSON.parse(readFileSync(new URL('./vectors.json', import.meta.url), 'utf8'));
const hex = (text: string) => Uint8Array.from(Buffer.from(text, 'hex'));
// Figures as the vectors write them: amounts as decimal strings, `None` as null.
const strings = (figures: Record<string, unknown> | undefined) =>
  figures === undefined
    ? null
    : Object.fromEntries(Object.entries(figures).map(([key, value]) => [key, typeof value === 'bigint' ? value.toString() : value]));
const camel = (figures: Record<string, unknown> | null) =>
  figures === null
    ? null
    : Object.fromEntries(Object.entries(figures).map(([key, value]) => [key.replace(/_([a-z])/g, (_, c) => c.toUpperCase()), value]));

test('reward projections equal the Rust client on every shared vector', () => {
  assert.ok(vectors.projection.length >= 60);
  for (const [i, vector] of vectors.projection.entries()) {
    const pool = getPoolDecoder().decode(hex(vector.pool));
    const position = getPositionDecoder().decode(hex(vector.position));
    const now = BigInt(vector.now);
    const owed = owedAt(pool, position, now);
    assert.deepEqual(owed === undefined ? null : { units: owed.units.toString(), frac: owed.frac.toString() }, vector.owed, `vector ${i}: owed`);
    assert.deepEqual(strings(positionFigures(pool, position, now)), camel(vector.position_figures), `vector ${i}: position`);
    assert.deepEqual(strings(poolFigures(pool, now)), camel(vector.pool_figures), `vector ${i}: pool`);
  }
});

test('UI amounts parse as the Rust client parses them, with the same refusals', () => {
  for (const { input, decimals, raw, error } of vectors.amounts.parse) {
    if (raw !== undefined) {
      assert.equal(parseUiAmount(input, decimals), BigInt(raw), `${JSON.stringify(input)} at ${decimals}`);
    } else {
      assert.throws(
        () => parseUiAmount(input, decimals),
        (e: unknown) => e instanceof AmountError && e.message === error,
        `${JSON.stringify(input)} at ${decimals} is refused with: ${error}`,
      );
    }
  }
});

test('UI amounts format as the Rust client formats them', () => {
  for (const { raw, decimals, plain, grouped } of vectors.amounts.format) {
    assert.equal(formatUiAmount(BigInt(raw), decimals), plain);
    assert.equal(formatUiAmountGrouped(BigInt(raw), decimals), grouped);
  }
});
