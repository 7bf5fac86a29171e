/**
 * A pool's and a position's reward figures at a moment, exactly as the program would settle
 * them then: the same integer formulas as the program's `rewards.rs` and the Rust client's
 * `projection.rs`, in bigint, so every figure equals the Rust one to the base unit (the shared
 * vectors in test/vectors.json check it). Pure functions over decoded accounts.
 *
 * Rounding is the program's: the index floors once per checkpoint, an owed amount keeps its
 * fraction of a base unit, a claim pays whole units (the fraction stays owed), the pool's
 * liability is reported rounded up, and the runway rounded down. Where the Rust arithmetic is
 * checked (a u64 or u128 that would overflow, a subtraction below zero) these return
 * `undefined` as the Rust returns `None`: accounts no program state produces, read as such.
 */
import type { Pool, Position, PodOwed, PodU128 } from './generated/staking-pool/index';

/** Fixed-point scale of the reward and principal indexes (the program's `SCALE`). */
export const SCALE = 1_000_000_000_000_000_000n;
/** Basis points in 100 %. */
export const BPS_DENOMINATOR = 10_000n;
/** A year of 365 days in seconds: the rate is "apr_bps per 365 days". */
export const SECONDS_PER_YEAR = 31_536_000n;
const U64_MAX = (1n << 64n) - 1n;
const U128_MAX = (1n << 128n) - 1n;

/** `value` if it fits a u64 (`0 ≤ value ≤ 2^64 − 1`), as Rust's checked u64 arithmetic. */
const u64 = (value: bigint): bigint | undefined => (value >= 0n && value <= U64_MAX ? value : undefined);
/** `value` if it fits a u128, as Rust's checked u128 arithmetic. */
const u128Checked = (value: bigint): bigint | undefined => (value >= 0n && value <= U128_MAX ? value : undefined);
const max = (a: bigint, b: bigint) => (a > b ? a : b);
const min = (a: bigint, b: bigint) => (a < b ? a : b);

/** A `u128` stored as 16 little-endian bytes in a zero-copy account. */
export function u128(pod: PodU128): bigint {
  let value = 0n;
  for (let i = pod.leBytes.length - 1; i >= 0; i--) {
    value = (value << 8n) | BigInt(pod.leBytes[i]);
  }
  return value;
}

/** An owed reward: whole base units plus `frac / SCALE` of one. */
export type Owed = { units: bigint; frac: bigint };

export function owedFromPod(pod: PodOwed): Owed {
  return { units: u128(pod.units), frac: pod.frac };
}

function addOwed(a: Owed, b: Owed): Owed | undefined {
  const frac = u64(a.frac + b.frac);
  if (frac === undefined) return undefined;
  const [carry, rest] = frac >= SCALE ? [1n, frac - SCALE] : [0n, frac];
  const units = u128Checked(a.units + b.units + carry);
  return units === undefined ? undefined : { units, frac: rest };
}

/**
 * The index at `now` from the checkpoint `(indexCp, tCp)`, per share worth
 * `principalIndex / SCALE` base units: whole years plus the rest, each floored once.
 */
export function shareIndexAt(
  indexCp: bigint,
  tCp: bigint,
  aprBps: number,
  principalIndex: bigint,
  now: bigint,
): bigint | undefined {
  if (now <= tCp) return indexCp;
  const elapsed = now - tCp;
  const years = elapsed / SECONDS_PER_YEAR;
  const rest = elapsed % SECONDS_PER_YEAR;
  const perShare = u128Checked(BigInt(aprBps) * principalIndex);
  if (perShare === undefined) return undefined;
  const wholeYears = u128Checked(perShare * years);
  const partYear = u128Checked(perShare * rest);
  if (wholeYears === undefined || partYear === undefined) return undefined;
  const growth = u128Checked(wholeYears / BPS_DENOMINATOR + partYear / (BPS_DENOMINATOR * SECONDS_PER_YEAR));
  return growth === undefined ? undefined : u128Checked(indexCp + growth);
}

/** Rewards `staked` shares earned while the index moved from `snapshot` to `index`, exactly. */
export function earned(staked: bigint, snapshot: bigint, index: bigint): Owed | undefined {
  const delta = index - snapshot;
  if (delta < 0n) return undefined;
  const scaledPart = staked * (delta % SCALE);
  const whole = u128Checked(staked * (delta / SCALE));
  if (whole === undefined) return undefined;
  const units = u128Checked(whole + scaledPart / SCALE);
  return units === undefined ? undefined : { units, frac: scaledPart % SCALE };
}

/** Base units `shares` of the pool's principal are worth (rounded down, at most a u64). */
export function principalValue(pool: Pool, shares: bigint): bigint {
  const index = u128(pool.principalIndex);
  return index === SCALE ? shares : min((shares * index) / SCALE, U64_MAX);
}

/** The pool's index at `now`; the pool never runs its clock backwards. */
export function indexAt(pool: Pool, now: bigint): bigint | undefined {
  return shareIndexAt(
    u128(pool.indexCheckpoint),
    pool.checkpointTs,
    pool.aprBps,
    u128(pool.principalIndex),
    max(now, pool.lastUpdateTs),
  );
}

/** What `position` is owed at `now`, as a settle then would make it. */
export function owedAt(pool: Pool, position: Position, now: bigint): Owed | undefined {
  const index = indexAt(pool, now);
  if (index === undefined) return undefined;
  const gained = earned(position.stakedShares, u128(position.indexSnapshot), index);
  return gained === undefined ? undefined : addOwed(owedFromPod(position.owed), gained);
}

/** Everything the pool owes at `now`, exactly, in O(1) from the pool account. */
export function liabilityAt(pool: Pool, now: bigint): Owed | undefined {
  const index = indexAt(pool, now);
  if (index === undefined) return undefined;
  const gained = earned(pool.totalStakedShares, u128(pool.accruedIndex), index);
  return gained === undefined ? undefined : addOwed(owedFromPod(pool.totalOwed), gained);
}

/** What the reward books hold for payouts: funded plus harvested, less paid and lending costs. */
export function rewardBalance(pool: Pool): bigint | undefined {
  const held = u64(pool.totalRewardsFunded + pool.totalInterestHarvested);
  const afterPaid = held === undefined ? undefined : u64(held - pool.totalRewardsPaid);
  return afterPaid === undefined ? undefined : u64(afterPaid - pool.totalLendingCosts);
}

/**
 * Seconds until the reward books no longer cover what is owed at the current rate: `null`
 * means never (nothing earns, or the APR is zero), 0 means they are short already. Rounded
 * down: never longer than the real runway.
 */
export function runwaySeconds(
  balance: bigint,
  liabilityUnits: bigint,
  totalStaked: bigint,
  aprBps: number,
): bigint | null {
  if (balance < liabilityUnits) return 0n;
  const perYear = totalStaked * BigInt(aprBps);
  if (perYear === 0n) return null;
  // A surplus too large to scale is more seconds than a u64 holds either way.
  const scaled = u128Checked((balance - liabilityUnits) * BPS_DENOMINATOR * SECONDS_PER_YEAR);
  return scaled === undefined ? U64_MAX : min(scaled / perYear, U64_MAX);
}

/** A position's figures at `now`, all in base units. */
export type PositionFigures = {
  staked: bigint;
  unbonding: bigint;
  unlockTs: bigint;
  /** Owed at `now`, whole base units (rounded down, as a claim pays). */
  owed: bigint;
  /** What a claim at `now` pays: owed, at most what the reward books hold; the rest stays owed. */
  claimable: bigint;
  claimed: bigint;
  /** Whether the unbonding amount can be withdrawn now. */
  unlocked: boolean;
};

export function positionFigures(pool: Pool, position: Position, now: bigint): PositionFigures | undefined {
  const owed = owedAt(pool, position, now)?.units;
  const balance = rewardBalance(pool);
  if (owed === undefined || balance === undefined) return undefined;
  return {
    staked: principalValue(pool, position.stakedShares),
    unbonding: principalValue(pool, position.unbondingShares),
    unlockTs: position.unlockTs,
    owed,
    claimable: min(min(owed, U64_MAX), balance),
    claimed: position.totalClaimed,
    unlocked: max(now, pool.lastUpdateTs) >= position.unlockTs || pool.limits.unbondingPeriod === 0n,
  };
}

/** The pool's reward and allocation figures at `now`, all in base units. */
export type PoolFigures = {
  totalStaked: bigint;
  totalUnbonding: bigint;
  /** Σ market losses written off principal. */
  losses: bigint;
  /** What a base unit deposited before any loss is worth now, in millionths (rounded down). */
  principalPpm: bigint;
  idle: bigint;
  lent: bigint;
  rewardBalance: bigint;
  /** Owed to every position at `now`, whole base units rounded up (never understated). */
  liability: bigint;
  /** Seconds until the reward books run short; `null` = never. */
  runwaySeconds: bigint | null;
  rewardsPaid: bigint;
};

export function poolFigures(pool: Pool, now: bigint): PoolFigures | undefined {
  const owed = liabilityAt(pool, now);
  const balance = rewardBalance(pool);
  const idle = u64(pool.principal - pool.lentPrincipal);
  if (owed === undefined || balance === undefined || idle === undefined) return undefined;
  // Saturating, as Rust's `units_rounded_up`.
  const liability = min(owed.units + (owed.frac > 0n ? 1n : 0n), U128_MAX);
  const totalStaked = principalValue(pool, pool.totalStakedShares);
  return {
    totalStaked,
    totalUnbonding: principalValue(pool, pool.totalUnbondingShares),
    losses: pool.totalLosses,
    principalPpm: min(u128(pool.principalIndex) / (SCALE / 1_000_000n), U64_MAX),
    idle,
    lent: pool.lentPrincipal,
    rewardBalance: balance,
    liability,
    runwaySeconds: runwaySeconds(balance, min(liability, U64_MAX), totalStaked, pool.aprBps),
    rewardsPaid: pool.totalRewardsPaid,
  };
}
