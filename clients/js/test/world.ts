// A LiteSVM world for the package's tests: both programs' SBF builds (target/deploy, built by
// scripts/build-sbf.sh) loaded at their ids, a stake mint, funded signers, token accounts, a
// settable clock, and one `send` that turns a refusal into an error naming the program's rule.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { getCreateAccountInstruction } from '@solana-program/system';
import {
  findAssociatedTokenPda,
  getCreateAssociatedTokenIdempotentInstructionAsync,
  getInitializeMint2Instruction,
  getMintSize,
  getMintToInstruction,
  getTokenDecoder,
  TOKEN_PROGRAM_ADDRESS,
} from '@solana-program/token';
import {
  appendTransactionMessageInstructions,
  createTransactionMessage,
  generateKeyPairSigner,
  lamports,
  pipe,
  setTransactionMessageFeePayerSigner,
  setTransactionMessageLifetimeUsingBlockhash,
  signTransactionMessageWithSigners,
  type Address,
  type Instruction,
  type KeyPairSigner,
} from '@solana/kit';
import { FailedTransactionMetadata, LiteSVM } from 'litesvm';

import {
  decodePool,
  decodePosition,
  findPoolPda,
  getFundRewardsInstruction,
  getInitializePoolInstructionAsync,
  getSetLendingMarketInstructionAsync,
  mockLending,
  programErrorName,
  STAKING_POOL_PROGRAM_ADDRESS,
  type PoolAccount,
  type PoolLimitsArgs,
} from '../src/index';

const DEPLOY = fileURLToPath(new URL('../../../target/deploy/', import.meta.url));
export const SO_FILES = { stakingPool: `${DEPLOY}staking_pool.so`, lending: `${DEPLOY}mock_lending.so` };
export const haveSbfBuild = existsSync(SO_FILES.stakingPool) && existsSync(SO_FILES.lending);
// CI sets this once its SBF tier has built the .so files: then a missing file is a failure,
// not a reason to skip.
if (!haveSbfBuild && process.env.STAKEPOOL_REQUIRE_SBF === '1') {
  throw new Error(`STAKEPOOL_REQUIRE_SBF=1 but the SBF build is missing: ${SO_FILES.stakingPool}, ${SO_FILES.lending}`);
}

/** A transaction the programs refused: `rule` is the program's error name when it has one. */
export class Refused extends Error {
  constructor(
    readonly rule: string | undefined,
    readonly logs: string[],
    detail: string,
  ) {
    super(`refused${rule ? ` by ${rule}` : ''}: ${detail}`);
  }
}

export class World {
  readonly svm = new LiteSVM();
  readonly decimals = 6;
  mint!: Address;
  payer!: KeyPairSigner;

  static async create(): Promise<World> {
    const world = new World();
    world.svm.addProgramFromFile(STAKING_POOL_PROGRAM_ADDRESS, SO_FILES.stakingPool);
    world.svm.addProgramFromFile(mockLending.MOCK_LENDING_PROGRAM_ADDRESS, SO_FILES.lending);
    world.setTime(1_800_000_000n);
    world.payer = await world.signer();
    const mint = await generateKeyPairSigner();
    const space = BigInt(getMintSize());
    await world.send(world.payer, [
      getCreateAccountInstruction({
        payer: world.payer,
        newAccount: mint,
        lamports: world.svm.minimumBalanceForRentExemption(space),
        space,
        programAddress: TOKEN_PROGRAM_ADDRESS,
      }),
      getInitializeMint2Instruction({ mint: mint.address, decimals: world.decimals, mintAuthority: world.payer.address }),
    ]);
    world.mint = mint.address;
    return world;
  }

  /** A new signer with 10 SOL. */
  async signer(): Promise<KeyPairSigner> {
    const signer = await generateKeyPairSigner();
    this.svm.airdrop(signer.address, lamports(10_000_000_000n));
    return signer;
  }

  /** `owner`'s associated token account of the stake mint, created, holding `amount`. */
  async tokenAccount(owner: Address, amount = 0n): Promise<Address> {
    const [ata] = await findAssociatedTokenPda({ owner, mint: this.mint, tokenProgram: TOKEN_PROGRAM_ADDRESS });
    const create = await getCreateAssociatedTokenIdempotentInstructionAsync({ payer: this.payer, owner, mint: this.mint });
    const mintTo = getMintToInstruction({ mint: this.mint, token: ata, mintAuthority: this.payer, amount });
    await this.send(this.payer, amount > 0n ? [create, mintTo] : [create]);
    return ata;
  }

  balance(token: Address): bigint {
    const account = this.svm.getAccount(token);
    if (!account.exists) throw new Error(`token account ${token} does not exist`);
    return getTokenDecoder().decode(account.data).amount;
  }

  exists(address: Address): boolean {
    return this.svm.getAccount(address).exists;
  }

  pool(address: Address): PoolAccount {
    const account = this.svm.getAccount(address);
    if (!account.exists) throw new Error(`no pool at ${address}`);
    return decodePool(account);
  }

  position(address: Address) {
    const account = this.svm.getAccount(address);
    if (!account.exists) throw new Error(`no position at ${address}`);
    return decodePosition(account).data;
  }

  now(): bigint {
    return this.svm.getClock().unixTimestamp;
  }

  setTime(unix: bigint): void {
    const clock = this.svm.getClock();
    clock.unixTimestamp = unix;
    this.svm.setClock(clock);
  }

  /**
   * A pool of the world's mint created by `admin` (at `aprBps`, default 10 %; `limits` over a
   * 100 % reserve, a minimum deposit of one token and no cap, unbonding or notice), 1,000
   * tokens of rewards funded from the admin's 10,000, and with `lending` a market of the mint
   * (supply rate 0) set as its lending market. Returns the pool's address.
   */
  async createPool(
    admin: KeyPairSigner,
    { limits = {}, aprBps = 1_000, lending = false }: { limits?: Partial<PoolLimitsArgs>; aprBps?: number; lending?: boolean } = {},
  ): Promise<Address> {
    const unit = 10n ** BigInt(this.decimals);
    const initialize = await getInitializePoolInstructionAsync({
      creator: admin,
      stakeMint: this.mint,
      tokenProgram: TOKEN_PROGRAM_ADDRESS,
      poolId: 0,
      aprBps,
      limits: { reserveBps: 10_000, minDeposit: unit, depositCap: 0xffff_ffff_ffff_ffffn, unbondingPeriod: 0n, noticePeriod: 0n, ...limits },
    });
    await this.send(admin, [initialize]);
    const [address] = await findPoolPda({ creator: admin.address, stakeMint: this.mint, poolId: 0 });
    const pool = this.pool(address).data;
    const funderToken = await this.tokenAccount(admin.address, 10_000n * unit);
    await this.send(admin, [
      getFundRewardsInstruction({
        pool: address,
        rewardVault: pool.rewardVault,
        funderToken,
        funder: admin,
        stakeMint: pool.stakeMint,
        tokenProgram: pool.tokenProgram,
        amount: 1_000n * unit,
      }),
    ]);
    if (lending) {
      await this.send(admin, [
        await mockLending.getInitMarketInstructionAsync({ authority: admin, mint: this.mint, tokenProgram: TOKEN_PROGRAM_ADDRESS, marketId: 0, supplyAprBps: 0 }),
      ]);
      const [market] = await mockLending.findMarketPda({ mint: this.mint, marketId: 0 });
      await this.send(admin, [await getSetLendingMarketInstructionAsync({ pool: address, admin, market })]);
    }
    return address;
  }

  /** Signs with `feePayer` and every signer the instructions carry, and sends. */
  async send(feePayer: KeyPairSigner, instructions: Instruction[]): Promise<void> {
    const message = pipe(
      createTransactionMessage({ version: 0 }),
      (m) => setTransactionMessageFeePayerSigner(feePayer, m),
      (m) => setTransactionMessageLifetimeUsingBlockhash({ blockhash: this.svm.latestBlockhash(), lastValidBlockHeight: 0n }, m),
      (m) => appendTransactionMessageInstructions(instructions, m),
    );
    const result = this.svm.sendTransaction(await signTransactionMessageWithSigners(message));
    // A fresh blockhash: the same instructions may be sent again.
    this.svm.expireBlockhash();
    if (result instanceof FailedTransactionMetadata) {
      const logs = result.meta().logs();
      const err = result.err();
      // An instruction's error carries its index and, for a program's own error, the code.
      const failed = err as unknown as { index?: number; err?: () => unknown };
      const inner = failed.index !== undefined && failed.err ? failed.err() : undefined;
      const code = (inner as { code?: number } | undefined)?.code;
      const failing = failed.index !== undefined ? instructions[failed.index]?.programAddress : undefined;
      const rule = code !== undefined && failing !== undefined ? programErrorName(failing, code) : undefined;
      throw new Refused(rule, logs, `${err.toString()}\n${logs.join('\n')}`);
    }
  }
}
