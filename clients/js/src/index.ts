/**
 * The staking pool's TypeScript client for @solana/kit.
 *
 * - Generated from the IDL by Codama (src/generated, do not edit): every instruction builder,
 *   account decoder and fetcher, type, PDA and error of the staking pool at the top level; the
 *   lending program's as `mockLending`.
 * - Written by hand: a staker's instructions built from the pool account (`buildDeposit`, …),
 *   the reward projection (`positionFigures`, `poolFigures`) at the cluster's time
 *   (`clusterNow`), UI amounts and `ALL`, and error names (`programErrorName`).
 */
export * from './generated/staking-pool/index';
export * as mockLending from './generated/mock-lending/index';
export * from './staker';
export * from './rewards';
export * from './amounts';
export * from './errors';
export * from './clock';
