//! Which accounts a client sends with an instruction that moves principal: the lending
//! accounts exactly while principal is lent (the program reads the market for a loss then),
//! none otherwise.
use anchor_lang::prelude::Pubkey;
use stakepool_sdk::instructions::{compound, deposit, withdraw, withdraw_as_client};
use stakepool_sdk::PoolKeys;
use staking_pool::state::Pool;

fn pool(lent: u64) -> Pool {
    let mut pool: Pool = bytemuck::Zeroable::zeroed();
    pool.principal_index = staking_pool::constants::SCALE.into();
    pool.total_staked_shares = 300;
    pool.lent_principal = lent;
    pool.lending_market = Pubkey::new_unique();
    pool
}

fn names_the_market(instruction: &solana_instruction::Instruction, keys: &PoolKeys) -> bool {
    let market = keys.lending().market;
    instruction.accounts.iter().any(|m| m.pubkey == market)
}

#[test]
fn the_lending_accounts_go_exactly_while_principal_is_lent() {
    let (owner, token) = (Pubkey::new_unique(), Pubkey::new_unique());
    for lent in [0, 1, 200] {
        let state = pool(lent);
        let keys = PoolKeys::from_pool(Pubkey::new_unique(), &state);
        let moving = keys.moving_principal(&state);
        assert_eq!(moving.lending.is_some(), lent > 0, "lent {lent}");
        let lean = withdraw_as_client(&state, &keys, &owner, &token, 100);
        assert_eq!(lean, withdraw(&moving, &owner, &token, 100));
        assert_eq!(names_the_market(&lean, &keys), lent > 0);
        assert_eq!(
            names_the_market(&deposit(&moving, &owner, &token, 5), &keys),
            lent > 0
        );
        assert_eq!(
            names_the_market(&compound(&moving, &owner), &keys),
            lent > 0
        );
        // The full builders always pass them: the program accepts them with nothing lent.
        assert!(names_the_market(
            &withdraw(&keys, &owner, &token, 100),
            &keys
        ));
        assert!(names_the_market(&deposit(&keys, &owner, &token, 5), &keys));
    }
}

#[test]
fn the_lending_keys_are_the_ones_the_pool_stores_and_none_without_a_market() {
    let address = Pubkey::new_unique();
    let mut state = pool(0);
    state.receipt = Pubkey::new_unique();
    state.market_vault = Pubkey::new_unique();
    let lending = PoolKeys::from_pool(address, &state).lending();
    assert_eq!(
        (lending.market, lending.receipt, lending.market_vault),
        (state.lending_market, state.receipt, state.market_vault)
    );
    state.lending_market = Pool::NO_MARKET;
    assert_eq!(PoolKeys::from_pool(address, &state).lending, None);
}
