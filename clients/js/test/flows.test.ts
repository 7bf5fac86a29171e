// The package against the programs' SBF builds in LiteSVM: a staker's year, an admin's
// changes under a notice period, and a pool that lends, each through the package alone (the
// generated builders, the hand-written ones and the projections). No address is derived by
// hand here: the builders and the generated async builders find every PDA.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { TOKEN_PROGRAM_ADDRESS } from '@solana-program/token';

import {
  buildClaim,
  buildClosePosition,
  buildCompound,
  buildDeposit,
  buildOpenPosition,
  buildRequestUnbond,
  buildWithdraw,
  buildWithdrawInKind,
  ChangeKind,
  clockUnixTimestamp,
  getAcceptAdminInstruction,
  getExecuteChangeInstruction,
  getPauseInstruction,
  getProposeChangeInstruction,
  getRebalanceInstruction,
  getSetLendingMarketInstructionAsync,
  getTransferAdminInstruction,
  getUnpauseInstruction,
  hasLendingMarket,
  mockLending,
  positionAddress,
  positionFigures,
  resolveAmount,
  SECONDS_PER_YEAR,
  SYSVAR_CLOCK_ADDRESS,
  withdrawableNow,
} from '../src/index';
import { haveSbfBuild, Refused, SO_FILES, World } from './world';

const UNITS = 1_000_000n; // one token of the 6-decimal test mint
const DAY = 86_400n;

async function rejection(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof Refused) return e.rule;
    throw e;
  }
  assert.fail('the transaction was expected to be refused');
}

describe('through the package on the SBF build (LiteSVM)', { skip: haveSbfBuild ? false : `no SBF build: ${SO_FILES.stakingPool} (bash scripts/build-sbf.sh)` }, () => {
  test("a staker's year: open, deposit, a year, the exact claim, withdraw ALL, close", async () => {
    const world = await World.create();
    const admin = await world.signer();
    const address = await world.createPool(admin);
    const staker = await world.signer();
    const wallet = await world.tokenAccount(staker.address, 1_000n * UNITS);
    const pool = () => world.pool(address);

    await world.send(staker, [await buildOpenPosition({ pool: pool(), owner: staker })]);
    // Below the pool's minimum: refused, and the refusal reads by name.
    assert.equal(await rejection(world.send(staker, [await buildDeposit({ pool: pool(), owner: staker, ownerToken: wallet, amount: UNITS - 1n })])), 'BelowMinimumDeposit');

    const amount = resolveAmount('1000', world.decimals, () => 0n, 'unused');
    await world.send(staker, [await buildDeposit({ pool: pool(), owner: staker, ownerToken: wallet, amount })]);
    assert.equal(world.balance(wallet), 0n);
    assert.equal(world.balance(pool().data.vault), amount);

    world.setTime(world.now() + SECONDS_PER_YEAR);
    // The projection's `now` is the cluster's, read from the Clock sysvar as `clusterNow` does.
    const clock = world.svm.getAccount(SYSVAR_CLOCK_ADDRESS);
    assert.ok(clock.exists);
    const now = clockUnixTimestamp(clock.data);
    assert.equal(now, world.now());
    const position = await positionAddress(address, staker.address);
    const figures = positionFigures(pool().data, world.position(position), now)!;
    // 10 % of 1,000 tokens for 365 days, to the base unit.
    assert.equal(figures.owed, 100n * UNITS);
    assert.equal(figures.claimable, 100n * UNITS);
    await world.send(staker, [await buildClaim({ pool: pool(), owner: staker, ownerToken: wallet })]);
    assert.equal(world.balance(wallet), 100n * UNITS);

    const all = resolveAmount('ALL', world.decimals, () => withdrawableNow(pool().data, world.position(position), world.now()), 'nothing to withdraw');
    assert.equal(all, amount);
    await world.send(staker, [await buildWithdraw({ pool: pool(), owner: staker, ownerToken: wallet, amount: all })]);
    assert.equal(world.balance(wallet), 1_100n * UNITS);
    assert.equal(world.balance(pool().data.vault), 0n);

    await world.send(staker, [await buildClosePosition({ pool: pool(), owner: staker })]);
    assert.equal(world.exists(position), false);
  });

  test('unbonding and compounding: ALL unbonds what earns, the compound adds what is owed', async () => {
    const world = await World.create();
    const admin = await world.signer();
    const address = await world.createPool(admin, { limits: { unbondingPeriod: 7n * DAY } });
    const staker = await world.signer();
    const wallet = await world.tokenAccount(staker.address, 500n * UNITS);
    const pool = () => world.pool(address);
    const position = await positionAddress(address, staker.address);

    await world.send(staker, [
      await buildOpenPosition({ pool: pool(), owner: staker }),
      await buildDeposit({ pool: pool(), owner: staker, ownerToken: wallet, amount: 500n * UNITS }),
    ]);
    world.setTime(world.now() + SECONDS_PER_YEAR / 2n);
    const owed = positionFigures(pool().data, world.position(position), world.now())!.owed;
    assert.equal(owed, 25n * UNITS); // 10 % of 500 for half a year of 365 days
    await world.send(staker, [await buildCompound({ pool: pool(), owner: staker })]);
    assert.equal(positionFigures(pool().data, world.position(position), world.now())!.staked, 500n * UNITS + owed);

    // Withdrawing before unbonding is refused by name; ALL of nothing is refused before sending.
    assert.equal(await rejection(world.send(staker, [await buildWithdraw({ pool: pool(), owner: staker, ownerToken: wallet, amount: UNITS })])), 'StillUnbonding');
    assert.throws(() => resolveAmount('ALL', world.decimals, () => withdrawableNow(pool().data, world.position(position), world.now()), 'nothing unlocked yet'), /nothing unlocked yet/);

    await world.send(staker, [await buildRequestUnbond({ pool: pool(), owner: staker, amount: 500n * UNITS + owed })]);
    world.setTime(world.now() + 7n * DAY);
    const all = withdrawableNow(pool().data, world.position(position), world.now());
    assert.equal(all, 500n * UNITS + owed);
    await world.send(staker, [await buildWithdraw({ pool: pool(), owner: staker, ownerToken: wallet, amount: all })]);
    assert.equal(world.balance(wallet), 500n * UNITS + owed);
  });

  test("an admin's changes: a notice period enforced, pause, the admin handed over", async () => {
    const world = await World.create();
    const admin = await world.signer();
    const address = await world.createPool(admin, { limits: { noticePeriod: 2n * DAY } });
    // A lower rate is against depositors: it waits out the notice.
    const apr = { __kind: 'Apr' as const, fields: [500] as const };

    await world.send(admin, [getProposeChangeInstruction({ pool: address, admin, change: apr })]);
    const execute = getExecuteChangeInstruction({ pool: address, payer: admin, kind: ChangeKind.Apr });
    assert.equal(await rejection(world.send(admin, [execute])), 'NoticeNotElapsed');
    world.setTime(world.now() + 2n * DAY);
    await world.send(admin, [execute]);
    assert.equal(world.pool(address).data.aprBps, 500);

    const staker = await world.signer();
    const wallet = await world.tokenAccount(staker.address, 10n * UNITS);
    await world.send(staker, [await buildOpenPosition({ pool: world.pool(address), owner: staker })]);
    await world.send(admin, [getPauseInstruction({ pool: address, admin })]);
    assert.equal(await rejection(world.send(staker, [await buildDeposit({ pool: world.pool(address), owner: staker, ownerToken: wallet, amount: UNITS })])), 'PoolPaused');
    await world.send(admin, [getUnpauseInstruction({ pool: address, admin })]);
    await world.send(staker, [await buildDeposit({ pool: world.pool(address), owner: staker, ownerToken: wallet, amount: UNITS })]);
    assert.equal(world.balance(wallet), 9n * UNITS);

    // A stranger cannot act as the admin.
    assert.equal(await rejection(world.send(staker, [getPauseInstruction({ pool: address, admin: staker })])), 'Unauthorized');
    const next = await world.signer();
    await world.send(admin, [getTransferAdminInstruction({ pool: address, admin, newAdmin: next.address })]);
    await world.send(next, [getAcceptAdminInstruction({ pool: address, newAdmin: next })]);
    assert.equal(world.pool(address).data.admin, next.address);
  });

  test('a pool that lends: the market accounts come from the pool, a withdrawal recalls', async () => {
    const world = await World.create();
    const admin = await world.signer();
    const address = await world.createPool(admin, { limits: { reserveBps: 2_000 } });
    assert.ok(!hasLendingMarket(world.pool(address)));
    const initMarket = await mockLending.getInitMarketInstructionAsync({
      authority: admin,
      mint: world.mint,
      tokenProgram: TOKEN_PROGRAM_ADDRESS,
      marketId: 0,
      supplyAprBps: 0,
    });
    await world.send(admin, [initMarket]);
    const [market] = await mockLending.findMarketPda({ mint: world.mint, marketId: 0 });
    await world.send(admin, [await getSetLendingMarketInstructionAsync({ pool: address, admin, market })]);
    assert.equal(world.pool(address).data.lendingMarket, market);

    const staker = await world.signer();
    const wallet = await world.tokenAccount(staker.address, 1_000n * UNITS);
    await world.send(staker, [
      await buildOpenPosition({ pool: world.pool(address), owner: staker }),
      await buildDeposit({ pool: world.pool(address), owner: staker, ownerToken: wallet, amount: 1_000n * UNITS }),
    ]);
    const pool = world.pool(address).data;
    await world.send(admin, [
      getRebalanceInstruction({
        pool: address,
        vault: pool.vault,
        rewardVault: pool.rewardVault,
        lendingMarket: pool.lendingMarket,
        receipt: pool.receipt,
        marketVault: pool.marketVault,
        stakeMint: pool.stakeMint,
        tokenProgram: pool.tokenProgram,
      }),
    ]);
    assert.equal(world.pool(address).data.lentPrincipal, 800n * UNITS);
    assert.equal(world.balance(pool.vault), 200n * UNITS);

    // In kind: of 500, the lent share (800 of 1,000) leaves as 400 of the market's shares into
    // the staker's own receipt, the rest as 100 in tokens; the market's liquidity is not needed.
    const openReceipt = await mockLending.getOpenReceiptInstructionAsync({ market, owner: staker.address, payer: staker });
    await world.send(staker, [openReceipt]);
    const [ownReceipt] = await mockLending.findReceiptPda({ market, owner: staker.address });
    await world.send(staker, [
      await buildWithdrawInKind({ pool: world.pool(address), owner: staker, ownerToken: wallet, toReceipt: ownReceipt, amount: 500n * UNITS }),
    ]);
    const receipt = world.svm.getAccount(ownReceipt);
    assert.ok(receipt.exists);
    assert.equal(mockLending.decodeReceipt(receipt).data.shares, 400n * UNITS);
    assert.equal(world.balance(wallet), 100n * UNITS);
    assert.equal(world.pool(address).data.lentPrincipal, 400n * UNITS);

    // More than the idle 100 left: the withdrawal recalls the rest in the same instruction.
    await world.send(staker, [await buildWithdraw({ pool: world.pool(address), owner: staker, ownerToken: wallet, amount: 500n * UNITS })]);
    assert.equal(world.balance(wallet), 600n * UNITS);
    assert.equal(world.pool(address).data.lentPrincipal, 0n);
    assert.equal(world.pool(address).data.principal, 0n);
  });
});
