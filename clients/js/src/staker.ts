/**
 * A staker's instructions built from the pool account alone: the position by its seeds, the
 * vaults, mint, token program and lending accounts from the pool's fields. What the caller
 * gives is what only they know: the owner, their token account and the amount.
 *
 * `pool` is a decoded pool account with its address, as `fetchPool(rpc, address)` (or
 * `decodePool`) returns it. While the pool has a lending market its three accounts, as the
 * pool stores them, are always passed: the program needs them whenever principal is lent,
 * which a crank can change between reading the pool and the transaction landing. A pool
 * without a market gets none, which the program reads as absent.
 */
import type { Account, Address, TransactionSigner } from '@solana/kit';

import { MOCK_LENDING_PROGRAM_ADDRESS } from './generated/mock-lending/index';
import {
  findPositionPda,
  getClaimInstruction,
  getClosePositionInstruction,
  getCompoundInstruction,
  getDepositInstruction,
  getOpenPositionInstruction,
  getRequestUnbondInstruction,
  getWithdrawInKindInstruction,
  getWithdrawInstruction,
  STAKING_POOL_PROGRAM_ADDRESS,
  type Pool,
} from './generated/staking-pool/index';

/** The programs' ids; a deployment under other ids passes its own. */
export type ProgramIds = { stakingPool: Address; lending: Address };
export const DEFAULT_PROGRAM_IDS: ProgramIds = {
  stakingPool: STAKING_POOL_PROGRAM_ADDRESS,
  lending: MOCK_LENDING_PROGRAM_ADDRESS,
};

export type PoolAccount = Account<Pool>;

/**
 * Whether the pool lends to a market. Without one the pool stores its own program's id as
 * its market, receipt and market vault (the program's `Pool::NO_MARKET`).
 */
export function hasLendingMarket(pool: PoolAccount): boolean {
  return pool.data.lendingMarket !== pool.programAddress;
}

/** The owner's position in the pool: `[POSITION_SEED, pool, owner]`. */
export async function positionAddress(pool: Address, owner: Address, programs = DEFAULT_PROGRAM_IDS): Promise<Address> {
  const [address] = await findPositionPda({ pool, owner }, { programAddress: programs.stakingPool });
  return address;
}

/**
 * The pool's market, its receipt in it and the market's vault, as the pool stores them; none
 * for a pool without a market (the generated builders then put the program's id in each
 * slot, read-only, which the program reads as absent).
 */
export function lendingAccounts(pool: PoolAccount): { lendingMarket?: Address; receipt?: Address; marketVault?: Address } {
  if (!hasLendingMarket(pool)) return {};
  return { lendingMarket: pool.data.lendingMarket, receipt: pool.data.receipt, marketVault: pool.data.marketVault };
}

/** The accounts every position instruction shares: pool, position, owner, mint, program. */
async function positionAccounts(pool: PoolAccount, owner: TransactionSigner, programs: ProgramIds) {
  return {
    pool: pool.address,
    position: await positionAddress(pool.address, owner.address, programs),
    owner,
    stakeMint: pool.data.stakeMint,
    tokenProgram: pool.data.tokenProgram,
  };
}

type Common = { pool: PoolAccount; owner: TransactionSigner; programs?: ProgramIds };

/** Opens the owner's position (the owner pays its rent). */
export async function buildOpenPosition({ pool, owner, programs = DEFAULT_PROGRAM_IDS }: Common) {
  return getOpenPositionInstruction(
    { pool: pool.address, position: await positionAddress(pool.address, owner.address, programs), owner },
    { programAddress: programs.stakingPool },
  );
}

/** Moves `amount` base units from `ownerToken` into the pool. */
export async function buildDeposit({ pool, owner, ownerToken, amount, programs = DEFAULT_PROGRAM_IDS }: Common & { ownerToken: Address; amount: bigint }) {
  return getDepositInstruction(
    {
      ...(await positionAccounts(pool, owner, programs)),
      vault: pool.data.vault,
      ownerToken,
      amount,
      ...lendingAccounts(pool),
    },
    { programAddress: programs.stakingPool },
  );
}

/** Moves `amount` base units of earning principal to unbonding. */
export async function buildRequestUnbond({ pool, owner, amount, programs = DEFAULT_PROGRAM_IDS }: Common & { amount: bigint }) {
  return getRequestUnbondInstruction(
    { pool: pool.address, position: await positionAddress(pool.address, owner.address, programs), owner, amount },
    { programAddress: programs.stakingPool },
  );
}

/** Takes `amount` base units of principal to `ownerToken`, recalling lent principal as needed. */
export async function buildWithdraw({ pool, owner, ownerToken, amount, programs = DEFAULT_PROGRAM_IDS }: Common & { ownerToken: Address; amount: bigint }) {
  const withLending = hasLendingMarket(pool);
  return getWithdrawInstruction(
    {
      ...(await positionAccounts(pool, owner, programs)),
      vault: pool.data.vault,
      ownerToken,
      amount,
      // Without a market the lending program is absent too (the program's id stands for an
      // absent account), not the generated default id.
      ...(withLending
        ? { rewardVault: pool.data.rewardVault, lendingProgram: programs.lending }
        : { lendingProgram: programs.stakingPool }),
      ...lendingAccounts(pool),
    },
    { programAddress: programs.stakingPool },
  );
}

/**
 * Takes `amount` of principal in kind: the lent part as shares into `toReceipt` (the owner's
 * receipt in the pool's market), the rest in tokens to `ownerToken`. Needs a lending market.
 */
export async function buildWithdrawInKind({
  pool,
  owner,
  ownerToken,
  toReceipt,
  amount,
  programs = DEFAULT_PROGRAM_IDS,
}: Common & { ownerToken: Address; toReceipt: Address; amount: bigint }) {
  if (!hasLendingMarket(pool)) {
    throw new Error('the pool has no lending market: nothing is lent, so withdraw in tokens (buildWithdraw)');
  }
  return getWithdrawInKindInstruction(
    {
      ...(await positionAccounts(pool, owner, programs)),
      vault: pool.data.vault,
      ownerToken,
      toReceipt,
      lendingProgram: programs.lending,
      amount,
      ...lendingAccounts(pool),
    },
    { programAddress: programs.stakingPool },
  );
}

/** Pays the rewards owed now (as far as the reward books hold them) to `ownerToken`. */
export async function buildClaim({ pool, owner, ownerToken, programs = DEFAULT_PROGRAM_IDS }: Common & { ownerToken: Address }) {
  return getClaimInstruction(
    { ...(await positionAccounts(pool, owner, programs)), rewardVault: pool.data.rewardVault, ownerToken },
    { programAddress: programs.stakingPool },
  );
}

/** Adds the rewards payable now to the owner's principal. */
export async function buildCompound({ pool, owner, programs = DEFAULT_PROGRAM_IDS }: Common) {
  return getCompoundInstruction(
    {
      ...(await positionAccounts(pool, owner, programs)),
      vault: pool.data.vault,
      rewardVault: pool.data.rewardVault,
      ...lendingAccounts(pool),
    },
    { programAddress: programs.stakingPool },
  );
}

/** Closes the owner's empty position; its rent goes to `rentTo` (by default the owner). */
export async function buildClosePosition({ pool, owner, rentTo, programs = DEFAULT_PROGRAM_IDS }: Common & { rentTo?: Address }) {
  return getClosePositionInstruction(
    {
      pool: pool.address,
      position: await positionAddress(pool.address, owner.address, programs),
      owner,
      rentTo: rentTo ?? owner.address,
    },
    { programAddress: programs.stakingPool },
  );
}
