/**
 * UI amounts ("1.5" of a 6-decimal mint is 1_500_000 base units) and `ALL`, as the CLI reads
 * and prints them. Parsing refuses anything that would lose precision or is not a plain
 * non-negative decimal number; formatting works on the digits, so it is exact at any size.
 */
import type { Pool, Position } from './generated/staking-pool/index';
import { principalValue } from './rewards';

const U64_MAX = 0xffff_ffff_ffff_ffffn;
// Rust's `char::is_whitespace` (Unicode White_Space), which `str::trim` strips: JavaScript's
// `trim()` differs (it strips U+FEFF, keeps U+0085).
const WHITESPACE = '\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const EDGES = new RegExp(`^[${WHITESPACE}]+|[${WHITESPACE}]+$`, 'g');
const trim = (text: string) => text.replace(EDGES, '');

export type AmountErrorKind = 'empty' | 'negative' | 'notANumber' | 'tooPrecise' | 'tooLarge' | 'nothingAvailable';

/** Why an amount was refused; `message` says it the way the CLI does. */
export class AmountError extends Error {
  constructor(
    readonly kind: AmountErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'AmountError';
  }
}

function splitUiAmount(input: string): [string, string] {
  const text = trim(input);
  if (text === '') throw new AmountError('empty', 'the amount is empty');
  if (text.startsWith('-')) throw new AmountError('negative', `'${text}' is negative: amounts are never below zero`);
  const dot = text.indexOf('.');
  const [whole, fraction] = dot < 0 ? [text, ''] : [text.slice(0, dot), text.slice(dot + 1)];
  const digitsOnly = (s: string) => /^[0-9]*$/.test(s);
  if ((whole === '' && fraction === '') || !digitsOnly(whole) || !digitsOnly(fraction)) {
    throw new AmountError('notANumber', `'${text}' is not a number (use digits and at most one '.', like 1.5)`);
  }
  return [whole, fraction];
}

/** Parses a UI amount into base units of a mint with `decimals` decimals (at most u64). */
export function parseUiAmount(input: string, decimals: number): bigint {
  checkDecimals(decimals);
  const text = trim(input);
  const [whole, rawFraction] = splitUiAmount(input);
  const fraction = rawFraction.replace(/0+$/, '');
  if (fraction.length > decimals) {
    throw new AmountError('tooPrecise', `'${text}' has more than ${decimals} decimals, the mint's precision`);
  }
  // Above 10^38 the scale itself overflows the u128 the Rust client computes in.
  if (decimals > 38) {
    throw new AmountError('tooLarge', `'${text}' is larger than the largest token amount (u64 base units)`);
  }
  const raw = BigInt(whole || '0') * 10n ** BigInt(decimals) + BigInt(fraction.padEnd(decimals, '0') || '0');
  if (raw > U64_MAX) {
    throw new AmountError('tooLarge', `'${text}' is larger than the largest token amount (u64 base units)`);
  }
  return raw;
}

/** A mint's decimals are a u8. */
function checkDecimals(decimals: number): void {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 255) {
    throw new RangeError(`decimals must be an integer from 0 to 255 (a mint's u8), not ${decimals}`);
  }
}

/** Formats base units as a UI amount: no trailing zeros, no exponent ("1.5", "100", "0.000001"). */
export function formatUiAmount(raw: bigint, decimals: number): string {
  checkDecimals(decimals);
  const padded = raw.toString().padStart(decimals + 1, '0');
  const whole = padded.slice(0, padded.length - decimals);
  const fraction = padded.slice(padded.length - decimals).replace(/0+$/, '');
  return fraction === '' ? whole : `${whole}.${fraction}`;
}

/** Formats base units with thousands separators, for people ("1,234.5"). */
export function formatUiAmountGrouped(raw: bigint, decimals: number): string {
  const plain = formatUiAmount(raw, decimals);
  const [whole, fraction] = plain.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

/**
 * An amount as a user types it: `ALL` (any case, as the CLI reads it) is what `all()` says can
 * move now, anything else a UI amount. `ALL` of nothing is refused with `nothing` as the reason,
 * rather than sending a transaction the program would refuse.
 */
export function resolveAmount(input: string, decimals: number, all: () => bigint, nothing: string): bigint {
  if (input.toUpperCase() !== 'ALL') return parseUiAmount(input, decimals);
  const amount = all();
  if (amount === 0n) throw new AmountError('nothingAvailable', nothing);
  return amount;
}

/**
 * What a withdrawal may take now, as the program splits it: unbonding principal that has
 * unlocked, and in a pool without an unbonding period all that is staked. `ALL` for `withdraw`.
 */
export function withdrawableNow(pool: Pool, position: Position, now: bigint): bigint {
  const direct = pool.limits.unbondingPeriod === 0n;
  const unbonding = principalValue(pool, position.unbondingShares);
  const unlocked = direct || now >= position.unlockTs ? unbonding : 0n;
  const staked = direct ? principalValue(pool, position.stakedShares) : 0n;
  return unlocked + staked;
}

/** All that the position still earns on: `ALL` for `request_unbond`. */
export function unbondableNow(pool: Pool, position: Position): bigint {
  return principalValue(pool, position.stakedShares);
}
