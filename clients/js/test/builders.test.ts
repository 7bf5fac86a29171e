// The hand-written builders and error names without a cluster: under other program ids every
// account they derive follows the ids given, and a pool without a lending market gets no
// lending accounts.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { AccountRole, address, generateKeyPairSigner, getAddressDecoder, getAddressEncoder, getProgramDerivedAddress, getUtf8Encoder, type Address } from '@solana/kit';

import {
  buildDeposit,
  buildWithdraw,
  DEFAULT_PROGRAM_IDS,
  getPoolDecoder,
  NO_ADDRESS,
  programErrorName,
  type PoolAccount,
} from '../src/index';

const OTHER = {
  stakingPool: address('Stake11111111111111111111111111111111111111'),
  lending: address('Lend111111111111111111111111111111111111111'),
};
const key = (n: number) => getAddressDecoder().decode(new Uint8Array(32).fill(n));

/** A decoded pool with the fields the builders read, at `at`. */
function poolAccount(at: Address, lendingMarket: Address): PoolAccount {
  const data = getPoolDecoder().decode(new Uint8Array(8 + 720));
  return {
    address: at,
    data: { ...data, stakeMint: key(4), tokenProgram: key(12), vault: key(5), rewardVault: key(6), lendingMarket },
    executable: false,
    lamports: 0n as never,
    programAddress: OTHER.stakingPool,
    space: 728n,
  };
}

const pda = async (program: Address, ...seeds: (string | Address)[]) =>
  (
    await getProgramDerivedAddress({
      programAddress: program,
      seeds: seeds.map((seed, i) => (i === 0 ? getUtf8Encoder().encode(seed) : getAddressEncoder().encode(seed as Address))),
    })
  )[0];

test('under other program ids, the position and the lending PDAs derive from those ids', async () => {
  const owner = await generateKeyPairSigner();
  const pool = poolAccount(key(3), key(7));
  const ix = await buildDeposit({ pool, owner, ownerToken: key(2), amount: 1n, programs: OTHER });
  assert.equal(ix.programAddress, OTHER.stakingPool);
  const [, position, , , , , , market, receipt, marketVault] = ix.accounts.map((a) => a.address);
  assert.equal(position, await pda(OTHER.stakingPool, 'position', key(3), owner.address));
  assert.equal(market, key(7));
  assert.equal(receipt, await pda(OTHER.lending, 'receipt', key(7), key(3)));
  assert.equal(marketVault, await pda(OTHER.lending, 'liquidity', key(7)));
});

test('a pool without a lending market gets none of its accounts, in a withdrawal either', async () => {
  const owner = await generateKeyPairSigner();
  const pool = poolAccount(key(3), NO_ADDRESS);
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
