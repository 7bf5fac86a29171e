/**
 * The cluster's time, which is what the program accrues to (not the browser's clock): the
 * Clock sysvar's `unix_timestamp`, for the projections' `now`.
 */
import { address, fetchEncodedAccount, getI64Decoder, type GetAccountInfoApi, type ReadonlyUint8Array, type Rpc } from '@solana/kit';

export const SYSVAR_CLOCK_ADDRESS = address('SysvarC1ock11111111111111111111111111111111');

/** `unix_timestamp` of the Clock sysvar's data: slot, epoch start, epoch, leader schedule epoch, then it. */
export function clockUnixTimestamp(data: ReadonlyUint8Array): bigint {
  return getI64Decoder().decode(data, 32);
}

/** The cluster's current unix time. */
export async function clusterNow(rpc: Rpc<GetAccountInfoApi>): Promise<bigint> {
  const clock = await fetchEncodedAccount(rpc, SYSVAR_CLOCK_ADDRESS);
  if (!clock.exists) throw new Error('the cluster has no Clock sysvar account');
  return clockUnixTimestamp(clock.data);
}
