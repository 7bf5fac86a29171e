// Anchor's own TypeScript client (@anchor-lang/core) on the committed IDL: it must resolve a
// staker's accounts from (pool, owner, owner token account) as the package's builders do, and
// decode the zero-copy accounts at the offsets the program asserts at compile time
// (programs/staking-pool/src/state). Its account fetches read the LiteSVM world.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';

import anchor from '@anchor-lang/core';
import BN from 'bn.js';
import { Keypair, PublicKey, type TransactionInstruction } from '@solana/web3.js';
import { AccountRole, address, type Address, type Instruction, type KeyPairSigner } from '@solana/kit';

import {
  buildClaim,
  buildCompound,
  buildDeposit,
  buildOpenPosition,
  SECONDS_PER_YEAR,
  STAKING_POOL_PROGRAM_ADDRESS,
} from '../src/index';
import { haveSbfBuild, SO_FILES, World } from './world';

const { AnchorProvider, Program, Wallet } = anchor;
type Idl = anchor.Idl;

const idl = JSON.parse(readFileSync(new URL('../../../idl/staking_pool.json', import.meta.url), 'utf8')) as Idl;
const UNITS = 1_000_000n;

/** Anchor's program over a connection that reads accounts from the LiteSVM world. */
function anchorProgram(world: World) {
  const connection = {
    async getAccountInfo(key: PublicKey) {
      const account = world.svm.getAccount(address(key.toBase58()));
      if (!account.exists) return null;
      return {
        data: Buffer.from(account.data),
        owner: new PublicKey(account.programAddress),
        lamports: Number(account.lamports),
        executable: account.executable,
      };
    },
  };
  // The wallet only names a default signer; every instruction here names its owner.
  const provider = new AnchorProvider(connection as never, new Wallet(Keypair.generate()), {});
  return new Program(idl, provider);
}

/** A web3.js instruction as @solana/kit's, with `signer` attached to its signing account. */
function toKit(ix: TransactionInstruction, signer: KeyPairSigner): Instruction {
  return {
    programAddress: address(ix.programId.toBase58()),
    accounts: ix.keys.map((key) => {
      const at = address(key.pubkey.toBase58());
      const role = key.isSigner
        ? key.isWritable ? AccountRole.WRITABLE_SIGNER : AccountRole.READONLY_SIGNER
        : key.isWritable ? AccountRole.WRITABLE : AccountRole.READONLY;
      return at === signer.address ? { address: at, role, signer } : { address: at, role };
    }),
    data: new Uint8Array(ix.data),
  };
}

const keysOf = (ix: Instruction) => (ix.accounts ?? []).map((a) => `${a.address}:${a.role}`);
const pubkey = (at: Address) => new PublicKey(at);

describe("Anchor's TypeScript client on the IDL", { skip: haveSbfBuild ? false : `no SBF build: ${SO_FILES.stakingPool}` }, () => {
  test('deposit, claim and compound need only pool, owner and owner token account', async () => {
    const world = await World.create();
    const admin = await world.signer();
    const pool = await world.createPool(admin, { limits: { reserveBps: 2_000 }, lending: true });
    const staker = await world.signer();
    const wallet = await world.tokenAccount(staker.address, 100n * UNITS);
    await world.send(staker, [await buildOpenPosition({ pool: world.pool(pool), owner: staker })]);
    const program = anchorProgram(world);
    const given = { pool: pubkey(pool), owner: pubkey(staker.address), ownerToken: pubkey(wallet) };

    const deposit = toKit(await program.methods.deposit(new BN(100_000_000)).accounts(given).instruction(), staker);
    // The same accounts, in the same order and roles, as the package's own builder gives.
    assert.deepEqual(keysOf(deposit), keysOf(await buildDeposit({ pool: world.pool(pool), owner: staker, ownerToken: wallet, amount: 100n * UNITS })));
    await world.send(staker, [deposit]);
    assert.equal(world.balance(wallet), 0n);

    world.setTime(world.now() + SECONDS_PER_YEAR);
    const claim = toKit(await program.methods.claim().accounts(given).instruction(), staker);
    assert.deepEqual(keysOf(claim), keysOf(await buildClaim({ pool: world.pool(pool), owner: staker, ownerToken: wallet })));
    await world.send(staker, [claim]);
    assert.equal(world.balance(wallet), 10n * UNITS);

    world.setTime(world.now() + SECONDS_PER_YEAR);
    const { ownerToken: _, ...noToken } = given;
    const compound = toKit(await program.methods.compound().accounts(noToken).instruction(), staker);
    assert.deepEqual(keysOf(compound), keysOf(await buildCompound({ pool: world.pool(pool), owner: staker })));
    await world.send(staker, [compound]);
    assert.equal(world.pool(pool).data.principal, 110n * UNITS);
  });

  test('in a pool without a lending market, deposit and compound need only the same three', async () => {
    const world = await World.create();
    const admin = await world.signer();
    const pool = await world.createPool(admin, { limits: { reserveBps: 2_000 } });
    const staker = await world.signer();
    const wallet = await world.tokenAccount(staker.address, 5n * UNITS);
    await world.send(staker, [await buildOpenPosition({ pool: world.pool(pool), owner: staker })]);
    const program = anchorProgram(world);
    const given = { pool: pubkey(pool), owner: pubkey(staker.address), ownerToken: pubkey(wallet) };
    const deposit = toKit(await program.methods.deposit(new BN(5_000_000)).accounts(given).instruction(), staker);
    // The pool's lending fields hold the staking program's id: the three accounts are absent.
    assert.deepEqual(keysOf(deposit), keysOf(await buildDeposit({ pool: world.pool(pool), owner: staker, ownerToken: wallet, amount: 5n * UNITS })));
    assert.deepEqual(deposit.accounts!.slice(7).map((a) => a.address), Array(3).fill(STAKING_POOL_PROGRAM_ADDRESS));
    await world.send(staker, [deposit]);
    assert.equal(world.balance(wallet), 0n);
    assert.equal(world.pool(pool).data.principal, 5n * UNITS);

    world.setTime(world.now() + SECONDS_PER_YEAR);
    const { ownerToken: _, ...noToken } = given;
    const compound = toKit(await program.methods.compound().accounts(noToken).instruction(), staker);
    assert.deepEqual(keysOf(compound), keysOf(await buildCompound({ pool: world.pool(pool), owner: staker })));
    await world.send(staker, [compound]);
    assert.equal(world.pool(pool).data.principal, 55n * UNITS / 10n);
  });
});

test('decodes Pool and Position at the offsets the program asserts', () => {
  const coder = new Program(idl, new AnchorProvider({} as never, new Wallet(Keypair.generate()), {})).coder.accounts;
  const key = (byte: number) => new PublicKey(Buffer.alloc(32, byte));
  const account = (name: string, size: number) => {
    const data = Buffer.alloc(size);
    Buffer.from(idl.accounts!.find((a) => a.name === name)!.discriminator).copy(data, 0);
    return data;
  };
  // Known values at the program's offsets (after the 8-byte discriminator).
  const pool = account('Pool', 8 + 784);
  key(21).toBuffer().copy(pool, 8 + 32); // admin
  pool.writeBigUInt64LE(7n, 8 + 320); // index_checkpoint, low half
  pool.writeBigUInt64LE(1n, 8 + 320 + 8); // index_checkpoint, high half: 2^64 + 7
  pool.writeBigUInt64LE(123456789n, 8 + 368 + 16); // total_owed.frac
  pool.writeUInt16LE(2500, 8 + 496 + 32); // limits.reserve_bps
  pool.writeUInt32LE(1234, 8 + 704); // apr_bps
  pool.writeUInt16LE(9, 8 + 708); // pool_id
  const position = account('Position', 8 + 176);
  key(22).toBuffer().copy(position, 8); // owner
  position.writeBigUInt64LE(55n, 8 + 80 + 16); // owed.frac
  position.writeUInt8(254, 8 + 136); // bump

  assert.equal(coder.size('pool'), pool.length);
  assert.equal(coder.size('position'), position.length);
  const bytesToBig = (bytes: number[]) => bytes.reduceRight((n, byte) => (n << 8n) | BigInt(byte), 0n);
  const p = coder.decode('pool', pool);
  assert.equal(p.admin.toBase58(), key(21).toBase58());
  assert.equal(bytesToBig(p.indexCheckpoint.leBytes), (1n << 64n) + 7n);
  assert.equal(p.totalOwed.frac.toString(), '123456789');
  assert.equal(p.limits.reserveBps, 2500);
  assert.equal(p.aprBps, 1234);
  assert.equal(p.poolId, 9);
  const q = coder.decode('position', position);
  assert.equal(q.owner.toBase58(), key(22).toBase58());
  assert.equal(q.owed.frac.toString(), '55');
  assert.equal(q.bump, 254);
});
