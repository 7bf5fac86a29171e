//! Which withdrawal the client sends: without the lending accounts only when it needs no
//! recall, for itself or to restore the reserve, whatever a rebalance does, with a tenth of
//! idle to spare.
use anchor_lang::prelude::Pubkey;
use stakepool_sdk::instructions::{fits_in_reserve, withdraw, withdraw_as_client};
use stakepool_sdk::PoolKeys;
use staking_pool::state::{Pool, PoolLimits};

/// A pool of 200 staked with a 20 % reserve and a day's unbonding, 100 more unbonding,
/// lending to a market, `lent` of it lent: its target is 40 + 100 idle.
fn pool(lent: u64) -> Pool {
    let mut pool = zeroed_pool();
    pool.total_staked = 200;
    pool.total_unbonding = 100;
    pool.lent_principal = lent;
    pool.lending_market = Pubkey::new_unique();
    pool.limits = PoolLimits {
        reserve_bps: 2_000,
        unbonding_period: 86_400,
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
fn only_a_withdrawal_that_needs_no_recall_goes_without_the_lending_accounts() {
    // Nothing lent yet: 300 idle, but a rebalance may lend down to the 140 target; a tenth
    // spare. Unbonding principal leaving takes its place in the target with it.
    assert!(fits_in_reserve(&pool(0), 100));
    assert!(!fits_in_reserve(&pool(0), 127));
    // 200 lent: 100 idle, 40 short of the target: any withdrawal restores it.
    assert!(!fits_in_reserve(&pool(200), 1));
    // Without an unbonding period the amount leaves earning principal: with 100 lent, 100 of
    // it leaves the reserve 80 short.
    let mut direct = pool(100);
    direct.limits.unbonding_period = 0;
    assert!(!fits_in_reserve(&direct, 100));

    let state = pool(0);
    let keys = PoolKeys::from_pool(Pubkey::new_unique(), &state);
    let (owner, token) = (Pubkey::new_unique(), Pubkey::new_unique());
    let full = withdraw(&keys, &owner, &token, 127);
    let lean = withdraw_as_client(&state, &keys, &owner, &token, 100);
    assert!(full.accounts.iter().any(|m| m.pubkey == mock_lending::ID));
    assert!(!lean.accounts.iter().any(|m| m.pubkey == mock_lending::ID));
    assert_eq!(withdraw_as_client(&state, &keys, &owner, &token, 127), full);
}
