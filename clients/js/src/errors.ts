/**
 * A refusal by name: the program's custom error code (6000 and up, as the IDL numbers them)
 * to the name the programs give it, e.g. 6001 → `BelowMinimumDeposit`. Codama's generated
 * messages are left out of production bundles; the names here are not, so a frontend can
 * always say which rule refused a transaction.
 */
import type { Address } from '@solana/kit';

import * as lendingErrors from './generated/mock-lending/errors/mockLending';
import * as poolErrors from './generated/staking-pool/errors/stakingPool';
import { DEFAULT_PROGRAM_IDS } from './staker';

/** `STAKING_POOL_ERROR__BELOW_MINIMUM_DEPOSIT` → `BelowMinimumDeposit`, by code. */
function namesByCode(constants: Record<string, unknown>, prefix: string): Map<number, string> {
  const names = new Map<number, string>();
  for (const [key, value] of Object.entries(constants)) {
    if (!key.startsWith(prefix) || typeof value !== 'number') continue;
    const name = key
      .slice(prefix.length)
      .toLowerCase()
      .split('_')
      .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
      .join('');
    names.set(value, name);
  }
  return names;
}

const POOL_NAMES = namesByCode(poolErrors, 'STAKING_POOL_ERROR__');
const LENDING_NAMES = namesByCode(lendingErrors, 'MOCK_LENDING_ERROR__');

/** The staking pool's name for a custom error code, if it is one of its own. */
export function stakingPoolErrorName(code: number): string | undefined {
  return POOL_NAMES.get(code);
}

/** The lending program's name for a custom error code, if it is one of its own. */
export function mockLendingErrorName(code: number): string | undefined {
  return LENDING_NAMES.get(code);
}

/**
 * The name of `code` raised by `program`, when that program is one of the two (at `programs`,
 * for a deployment under other ids). Both number their errors from 6000: the program is what
 * tells them apart.
 */
export function programErrorName(program: Address, code: number, programs = DEFAULT_PROGRAM_IDS): string | undefined {
  if (program === programs.stakingPool) return stakingPoolErrorName(code);
  if (program === programs.lending) return mockLendingErrorName(code);
  return undefined;
}
