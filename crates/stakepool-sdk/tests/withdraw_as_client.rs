//! Which withdrawal the client sends: without the lending accounts only when it fits in what
//! stays idle whatever a rebalance does, with a tenth to spare.
use anchor_lang::prelude::Pubkey;
use stakepool_sdk::instructions::{fits_in_reserve, withdraw, withdraw_as_client};
use stakepool_sdk::PoolKeys;
use staking_pool::state::{Pool, PoolLimits};

/// A pool of 200 staked with a 20 % reserve, lending to a market, `lent` of it lent.
fn pool(lent: u64) -> Pool {
    let mut pool = zeroed_pool();
    pool.total_staked = 200;
    pool.lent_principal = lent;
    pool.lending_market = Pubkey::new_unique();
    pool.limits = PoolLimits {
        reserve_bps: 2_000,
        ..PoolLimits::default()
    };
    pool
}

fn zeroed_pool() -> Pool {
    use anchor_lang::AnchorDeserialize;
    let zeros = vec![0u8; Pool::SPACE];
    Pool::deserialize(&mut &zeros[..]).expect("an all-zero pool decodes")
}

#[test]
fn only_a_withdrawal_well_inside_the_reserve_goes_without_the_lending_accounts() {
    // Nothing lent yet: 200 idle, but a rebalance may lend down to the 40 reserve.
    assert!(fits_in_reserve(&pool(0), 36));
    assert!(!fits_in_reserve(&pool(0), 37));
    // 170 lent: 30 idle, below the reserve; a tenth of it spare.
    assert!(fits_in_reserve(&pool(170), 27));
    assert!(!fits_in_reserve(&pool(170), 28));
    // Everything lent: every withdrawal may need a recall.
    assert!(!fits_in_reserve(&pool(200), 1));

    let state = pool(0);
    let keys = PoolKeys::from_pool(Pubkey::new_unique(), &state);
    let (owner, token) = (Pubkey::new_unique(), Pubkey::new_unique());
    let full = withdraw(&keys, &owner, &token, 37);
    let lean = withdraw_as_client(&state, &keys, &owner, &token, 36);
    assert!(full.accounts.iter().any(|m| m.pubkey == mock_lending::ID));
    assert!(!lean.accounts.iter().any(|m| m.pubkey == mock_lending::ID));
    assert_eq!(withdraw_as_client(&state, &keys, &owner, &token, 37), full);
}
