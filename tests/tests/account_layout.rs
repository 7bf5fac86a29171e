//! The program writes `Pool` and `Position` byte for byte where off-chain readers look: the
//! field offsets `state/pool.rs` and `state/position.rs` assert at compile time, checked here
//! on accounts the program itself wrote. In the VM this is the SBF build's layout (whose
//! alignment rules differ from the host's) read by the host.
use core::mem::offset_of;

use solana_signer::Signer;
use stakepool_tests::*;
use staking_pool::constants::SCALE;
use staking_pool::state::{Pool, Position};

/// `len` bytes at `offset` of a zero-copy account's body (after its 8-byte discriminator).
fn field(data: &[u8], offset: usize, len: usize) -> &[u8] {
    &data[8 + offset..8 + offset + len]
}

#[tokio::test]
async fn pool_and_position_sit_at_the_offsets_the_host_reads() {
    let mut bank = Bank::start().await;
    let pool = bank.create_pool(PoolSetup::default()).await;
    let alice = bank.new_user(&pool.mint, 10_000_000).await;
    bank.stake(&pool, &alice, 4_000_000).await.unwrap();

    let data = bank.account(pool.keys.pool).await.unwrap().data;
    assert_eq!(data.len(), Pool::SPACE);
    assert_eq!(
        field(&data, offset_of!(Pool, admin), 32),
        pool.admin.pubkey().as_ref()
    );
    assert_eq!(
        field(&data, offset_of!(Pool, apr_bps), 4),
        1_000u32.to_le_bytes()
    );
    assert_eq!(
        field(&data, offset_of!(Pool, principal_index), 16),
        SCALE.to_le_bytes()
    );
    assert_eq!(
        field(&data, offset_of!(Pool, total_staked_shares), 8),
        4_000_000u64.to_le_bytes()
    );
    assert_eq!(bank.pool_state(&pool).await.principal_index(), SCALE);

    let position = pool.keys.position(&alice.key());
    let data = bank.account(position).await.unwrap().data;
    assert_eq!(data.len(), Position::SPACE);
    assert_eq!(
        field(&data, offset_of!(Position, owner), 32),
        alice.key().as_ref()
    );
    assert_eq!(
        field(&data, offset_of!(Position, staked_shares), 8),
        4_000_000u64.to_le_bytes()
    );
    let (_, bump) = stakepool_client::pda::position(&pool.keys.pool, &alice.key());
    assert_eq!(field(&data, offset_of!(Position, bump), 1), [bump]);
}
