// The hand-written builders and error names without a cluster: under other program ids every
// account they derive follows the ids given, the lending accounts are the pool's own fields,
// and a pool without a lending market passes each as absent.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { AccountRole, address, generateKeyPairSigner, getAddressDecoder, getAddressEncoder, getProgramDerivedAddress, getUtf8Encoder, type Address } from '@solana/kit';

import { buildDeposit, buildWithdraw, DEFAULT_PROGRAM_IDS, getPoolSize, getPoolDecoder, hasLendingMarket, programErrorName, type PoolAccount } from '../src/index';

const OTHER = {
  stakingPool: address('Stake11111111111111111111111111111111111111'),
  lending: address('Lend111111111111111111111111111111111111111'),
};
const key = (n: number) => getAddressDecoder().decode(new Uint8Array(32).fill(n));

/** A decoded pool of the staking program deployed at `OTHER.stakingPool`, at `at`. */
function poolAccount(at: Address, lending: { lendingMarket: Address; receipt: Address; marketVault: Address }): PoolAccount {
  const data = getPoolDecoder().decode(new Uint8Array(getPoolSize()));
  return {
    address: at,
    data: { ...data, stakeMint: key(4), tokenProgram: key(12), vault: key(5), rewardVault: key(6), ...lending },
    executable: false,
    lamports: 0n as never,
    programAddress: OTHER.stakingPool,
    space: BigInt(getPoolSize()),
  };
}

/** What a pool without a market stores in its three lending fields: its program's id. */
const NO_MARKET = { lendingMarket: OTHER.stakingPool, receipt: OTHER.stakingPool, marketVault: OTHER.stakingPool };

const pda = async (program: Address, ...seeds: (string | Address)[]) =>
  (
    await getProgramDerivedAddress({
      programAddress: program,
      seeds: seeds.map((seed, i) => (i === 0 ? getUtf8Encoder().encode(seed) : getAddressEncoder().encode(seed as Address))),
    })
  )[0];

test('under other program ids, the position derives from those ids and the lending accounts are the pool\'s', async () => {
  const owner = await generateKeyPairSigner();
  const pool = poolAccount(key(3), { lendingMarket: key(7), receipt: key(8), marketVault: key(9) });
  assert.ok(hasLendingMarket(pool));
  const ix = await buildDeposit({ pool, owner, ownerToken: key(2), amount: 1n, programs: OTHER });
  assert.equal(ix.programAddress, OTHER.stakingPool);
  const [, position, , , , , , market, receipt, marketVault] = ix.accounts.map((a) => a.address);
  assert.equal(position, await pda(OTHER.stakingPool, 'position', key(3), owner.address));
  assert.deepEqual([market, receipt, marketVault], [key(7), key(8), key(9)]);
  for (const meta of ix.accounts.slice(7)) assert.equal(meta.role, AccountRole.WRITABLE);
});

test('a pool without a lending market passes none of its accounts, in a withdrawal either', async () => {
  const owner = await generateKeyPairSigner();
  const pool = poolAccount(key(3), NO_MARKET);
  assert.ok(!hasLendingMarket(pool));
  const ix = await buildWithdraw({ pool, owner, ownerToken: key(2), amount: 1n, programs: OTHER });
  // reward_vault, lending_program, lending_market, receipt, market_vault: all absent, which the
  // program reads from its own id in the slot, read-only.
  const absent = ix.accounts.slice(7);
  assert.equal(absent.length, 5);
  for (const meta of absent) {
    assert.equal(meta.address, OTHER.stakingPool);
    assert.equal(meta.role, AccountRole.READONLY);
  }
});

test('a refusal is named by the program that raised it, under any ids', () => {
  assert.equal(programErrorName(DEFAULT_PROGRAM_IDS.stakingPool, 6001), 'BelowMinimumDeposit');
  assert.equal(programErrorName(OTHER.stakingPool, 6001, OTHER), 'BelowMinimumDeposit');
  assert.equal(programErrorName(OTHER.stakingPool, 6001), undefined);
  // Both number from 6000: the same code is another rule in the lending program.
  assert.equal(programErrorName(DEFAULT_PROGRAM_IDS.lending, 6001), 'DepositTooSmall');
  assert.equal(programErrorName(DEFAULT_PROGRAM_IDS.lending, 6001, OTHER), undefined);
});
