//! Lending solvency: the pool stays whole against a market it does not control. One test per
//! finding of the lending review, each written as the attacker's sequence with its amounts.
use mock_lending::errors::LendingError;
use solana_signer::Signer;
use stakepool_client::lending_instructions as lx;
use stakepool_tests::tokens::{MintExtension, TOKEN_2022};
use stakepool_tests::*;
use staking_pool::errors::StakingError;
use staking_pool::state::PoolLimits;

const UNIT: u64 = 1_000_000;

/// A 6-decimal pool with a 20 % reserve on an 800 bps market whose interest nobody funds (as
/// `migrations/localnet.toml` deploys it), and Alice staking `stake` whole tokens.
async fn unfunded_pool(bank: &mut Bank, stake: u64) -> (TestPool, TestMarket, User) {
    let (pool, market) = bank.create_lending_pool(800).await;
    bank.fund_rewards(&pool, 10_000 * UNIT).await.unwrap();
    let alice = bank.new_user(&pool.mint, stake * UNIT).await;
    bank.stake(&pool, &alice, stake * UNIT).await.unwrap();
    (pool, market, alice)
}

/// Finding 1 (high): Mallory deposits straight into the market the pool lends to and, a year
/// later, withdraws the unfunded interest, which was Alice's principal. The market now pays
/// only what it holds, so Mallory gets back exactly what she put in and Alice leaves whole.
#[tokio::test]
async fn a_stranger_in_the_market_cannot_take_lent_principal() {
    for mallory_deposit in [80_000, 1_000_000] {
        let mut bank = Bank::start().await;
        let (pool, market, alice) = unfunded_pool(&mut bank, 100_000).await;
        bank.rebalance(&pool).await.unwrap();
        assert_eq!(bank.pool_state(&pool).await.lent_principal, 80_000 * UNIT);
        let mallory = bank
            .new_market_user(&market, &pool.mint, mallory_deposit * UNIT)
            .await;
        bank.market_deposit(&market, &mallory, mallory_deposit * UNIT)
            .await
            .unwrap();
        bank.advance(YEAR).await;

        // The index says 1.08; Mallory's 8 % would be 6,400 (or 80,000) of Alice's principal.
        let greedy = mallory_deposit * UNIT * 108 / 100;
        let before = bank.snapshot(&[market.keys.liquidity_vault]).await;
        assert_eq!(
            custom_code(&bank.market_withdraw(&market, &mallory, greedy).await, 0),
            Some(lending_code(LendingError::InsufficientShares))
        );
        bank.assert_unchanged(&[market.keys.liquidity_vault], before)
            .await;
        bank.market_withdraw(&market, &mallory, mallory_deposit * UNIT)
            .await
            .unwrap();
        assert_eq!(
            bank.token_balance(mallory.token).await,
            mallory_deposit * UNIT
        );

        bank.withdraw(&pool, &alice, 100_000 * UNIT).await.unwrap();
        assert_eq!(bank.token_balance(alice.token).await, 100_000 * UNIT);
        let state = bank.pool_state(&pool).await;
        assert_eq!((state.total_staked(), state.lent_principal), (0, 0));
        assert_eq!(state.total_lending_costs, 0);
    }
}

/// Finding 1, the pool's own defence: against a market that pays its index whether or not it
/// holds it (switched on with the mock's lever), `rebalance` lends nothing more and recalls
/// all lent principal, whatever the reserve target, and says so in its event. Mallory, who
/// would have drained the market, finds the pool's principal already gone.
#[tokio::test]
async fn the_pool_never_lends_into_a_market_with_a_deficit_and_leaves_it() {
    let mut bank = Bank::start().await;
    let (pool, market, alice) = unfunded_pool(&mut bank, 100_000).await;
    bank.rebalance(&pool).await.unwrap();
    let mallory = bank
        .new_market_user(&market, &pool.mint, 80_000 * UNIT)
        .await;
    bank.market_deposit(&market, &mallory, 80_000 * UNIT)
        .await
        .unwrap();
    bank.advance(YEAR).await;
    bank.market_set_unbacked(&market, true).await.unwrap();
    // 160,000 of shares worth 172,800 at the index, against 160,000 held: a 12,800 deficit.
    assert_eq!(
        bank.receipt_value(&market, &pool.keys.pool).await,
        86_400 * UNIT
    );

    // Alice's deposit would be lent at once into a sound market; here it stays idle and the
    // 80,000 already lent comes home (less than an interval after the last move: fleeing a
    // deficit is never delayed).
    let bob = bank.new_user(&pool.mint, 50_000 * UNIT).await;
    bank.stake(&pool, &bob, 50_000 * UNIT).await.unwrap();
    bank.rebalance(&pool).await.unwrap();
    let state = bank.pool_state(&pool).await;
    assert_eq!(state.lent_principal, 0);
    assert_eq!(bank.token_balance(pool.keys.vault).await, 150_000 * UNIT);
    assert_eq!(
        state.total_interest_harvested, 0,
        "the deficit is never taken"
    );
    // A second crank changes nothing: nothing lent, nothing to lend into this market.
    let before = bank.snapshot(&[pool.keys.pool, pool.keys.vault]).await;
    bank.rebalance(&pool).await.unwrap();
    bank.assert_unchanged(&[pool.keys.pool, pool.keys.vault], before)
        .await;

    // Mallory's "interest" has nothing behind it any more: the pool left first.
    assert_eq!(
        custom_code(
            &bank.market_withdraw(&market, &mallory, 86_400 * UNIT).await,
            0
        ),
        Some(lending_code(LendingError::InsufficientLiquidity))
    );
    bank.market_withdraw(&market, &mallory, 80_000 * UNIT)
        .await
        .unwrap();
    bank.withdraw(&pool, &alice, 100_000 * UNIT).await.unwrap();
    bank.withdraw(&pool, &bob, 50_000 * UNIT).await.unwrap();
    assert_eq!(bank.token_balance(alice.token).await, 100_000 * UNIT);
    assert_eq!(bank.token_balance(bob.token).await, 50_000 * UNIT);
}

/// Two pools on one market for `recall_all`: each with 80,000 lent.
async fn two_pools_on_one_market(bank: &mut Bank) -> (TestPool, TestPool, TestMarket, User, User) {
    let (first, market, alice) = unfunded_pool(bank, 100_000).await;
    let mut second = bank
        .create_pool_for_mint(
            first.mint,
            PoolSetup {
                pool_id: 1,
                limits: PoolLimits {
                    reserve_bps: 2_000,
                    ..PoolLimits::default()
                },
                ..PoolSetup::default()
            },
        )
        .await;
    let admin = second.admin.insecure_clone();
    bank.set_lending_market(&mut second, &admin, &market.keys.market)
        .await
        .unwrap();
    bank.fund_rewards(&second, 10_000 * UNIT).await.unwrap();
    let bob = bank.new_user(&second.mint, 100_000 * UNIT).await;
    bank.stake(&second, &bob, 100_000 * UNIT).await.unwrap();
    bank.rebalance(&first).await.unwrap();
    bank.rebalance(&second).await.unwrap();
    (first, second, market, alice, bob)
}

/// Finding 2 (medium): two pools on one unfunded market. The first admin to `recall_all` used
/// to book the receipt's unfunded "interest" as its stakers' rewards, paid with the other
/// pool's principal. Now it recalls its principal and takes only backed interest, and the
/// other pool's principal stays whole and recallable.
#[tokio::test]
async fn recall_all_never_realises_unfunded_interest() {
    for unbacked in [false, true] {
        let mut bank = Bank::start().await;
        let (first, second, market, alice, bob) = two_pools_on_one_market(&mut bank).await;
        bank.advance(YEAR).await;
        if unbacked {
            bank.market_set_unbacked(&market, true).await.unwrap();
        }
        let admin = first.admin.insecure_clone();
        bank.recall_all(&first, &admin).await.unwrap();
        let state = bank.pool_state(&first).await;
        assert_eq!(state.lent_principal, 0);
        assert_eq!(state.total_interest_harvested, 0, "unbacked = {unbacked}");
        assert_eq!(bank.token_balance(first.keys.vault).await, 100_000 * UNIT);
        // What the first pool did not take is still in the market for the second.
        assert_eq!(
            bank.token_balance(market.keys.liquidity_vault).await,
            80_000 * UNIT
        );
        bank.withdraw(&second, &bob, 100_000 * UNIT).await.unwrap();
        assert_eq!(bank.token_balance(bob.token).await, 100_000 * UNIT);
        bank.withdraw(&first, &alice, 100_000 * UNIT).await.unwrap();
        assert_eq!(bank.token_balance(alice.token).await, 100_000 * UNIT);
    }
}

/// Finding 2, the sole depositor: with unfunded interest (and an unbacked index) `recall_all`
/// used to ask for the receipt's whole value and always failed, although every unit of
/// principal was liquid. Now principal comes back, interest stays in the receipt, and funded
/// interest is taken exactly.
#[tokio::test]
async fn recall_all_brings_principal_back_first_and_interest_as_far_as_it_is_backed() {
    let mut bank = Bank::start().await;
    let (pool, market, alice) = unfunded_pool(&mut bank, 100_000).await;
    bank.rebalance(&pool).await.unwrap();
    bank.advance(YEAR).await;
    bank.market_set_unbacked(&market, true).await.unwrap();
    bank.market_fund_interest(&market, 2_000 * UNIT)
        .await
        .unwrap();
    let admin = pool.admin.insecure_clone();
    bank.recall_all(&pool, &admin).await.unwrap();
    let state = bank.pool_state(&pool).await;
    assert_eq!(state.lent_principal, 0);
    assert_eq!(bank.token_balance(pool.keys.vault).await, 100_000 * UNIT);
    // 6,400 promised, 2,000 funded: the 4,400 deficit stays; 2,000 less a unit of rounding
    // (the receipt keeps what its shares are worth) is harvested.
    let harvested = state.total_interest_harvested;
    assert!(
        (2_000 * UNIT - 2..=2_000 * UNIT).contains(&harvested),
        "{harvested}"
    );
    bank.withdraw(&pool, &alice, 100_000 * UNIT).await.unwrap();

    // Fully illiquid: nothing can come back, so recall_all refuses and changes nothing.
    let mut bank = Bank::start().await;
    let (pool, market, _alice) = unfunded_pool(&mut bank, 100_000).await;
    bank.rebalance(&pool).await.unwrap();
    bank.market_borrow(&market, 80_000 * UNIT).await.unwrap();
    let watched = [pool.keys.pool, pool.keys.vault, market.keys.liquidity_vault];
    let before = bank.snapshot(&watched).await;
    let admin = pool.admin.insecure_clone();
    assert_staking_error(
        bank.recall_all(&pool, &admin).await,
        StakingError::LendingIlliquid,
    );
    bank.assert_unchanged(&watched, before).await;
    // Partly liquid: what the vault holds comes back, the rest stays lent and is reported.
    bank.market_repay(&market, 30_000 * UNIT).await.unwrap();
    bank.recall_all(&pool, &admin).await.unwrap();
    assert_eq!(bank.pool_state(&pool).await.lent_principal, 50_000 * UNIT);
}

/// Finding 3 (low): deposit → rebalance → withdraw → rebalance, all permissionless, each cost
/// the reward books a market share of rounding. On a 0-decimal mint at rate 1.08 that was
/// 5–15 base units a cycle. Now a withdrawal pays its own recall's rounding and `rebalance`
/// moves tokens at most once an interval: 1,000 cycles by one wallet move the books by at
/// most a handful of units.
#[tokio::test]
async fn churning_permissionless_instructions_cannot_drain_the_reward_books() {
    let mut bank = Bank::start().await;
    let mut pool = bank
        .create_pool(PoolSetup {
            decimals: 0,
            // No reserve: every deposit is lendable and every withdrawal of it needs a recall.
            limits: PoolLimits {
                reserve_bps: 0,
                ..PoolLimits::default()
            },
            ..PoolSetup::default()
        })
        .await;
    let market = bank.attach_market(&mut pool, 800).await;
    bank.market_fund_interest(&market, 1_000_000).await.unwrap();
    bank.fund_rewards(&pool, 1_000_000).await.unwrap();
    let alice = bank.new_user(&pool.mint, 10_000).await;
    bank.stake(&pool, &alice, 10_000).await.unwrap();
    bank.advance(YEAR).await; // the market's rate is 1.08
    bank.rebalance(&pool).await.unwrap();
    let books = bank.pool_state(&pool).await.reward_balance().unwrap();
    bank.advance(REBALANCE_INTERVAL).await;

    let mallory = bank.new_user(&pool.mint, 1_000).await;
    let (mut too_soon, mut charged) = (0, 0);
    for _ in 0..1_000 {
        bank.stake(&pool, &mallory, 997).await.unwrap();
        match bank.rebalance(&pool).await {
            Ok(()) => {}
            Err(e) => {
                assert_staking_error(Err(e), StakingError::RebalanceTooSoon);
                too_soon += 1;
            }
        }
        let wallet = bank.token_balance(mallory.token).await;
        bank.withdraw(&pool, &mallory, 997).await.unwrap();
        charged += 997 - (bank.token_balance(mallory.token).await - wallet);
        let _ = bank.rebalance(&pool).await;
        bank.advance(1).await;
    }
    // Only the first cycle's crank lent Mallory's deposit (and her withdrawal recalled it).
    assert_eq!(too_soon, 999, "no crank moved tokens within the interval");
    let spent = books - bank.pool_state(&pool).await.reward_balance().unwrap();
    assert!(spent <= 2, "the books paid {spent} for 1,000 cycles");
    // Mallory paid her recall's rounding herself: at most one share at 1.08, plus one.
    assert!((1..=2).contains(&charged), "charged {charged}");
    bank.assert_invariants(&pool, &[&alice, &mallory], Some(&market), &[])
        .await;
}

/// Finding 6 (mock hygiene): the market refuses mints whose transfers move a different amount
/// (the pool's mint policy), and lamports sent to its future addresses cannot block a market
/// or a receipt (it creates accounts the way the pool does).
#[tokio::test]
async fn the_market_has_the_pools_mint_policy_and_account_creation() {
    let mut bank = Bank::start().await;
    let fee_mint = bank
        .create_mint_with(TOKEN_2022, 6, MintExtension::TransferFee)
        .await;
    let keys = stakepool_client::MarketKeys::derive(&fee_mint.address, 0, &TOKEN_2022);
    let authority = bank.fresh_wallet().await;
    let result = bank
        .send(
            &[lx::init_market(&keys, &authority.pubkey(), 0, 800)],
            &[&authority],
        )
        .await;
    assert_eq!(
        custom_code(&result, 0),
        Some(lending_code(LendingError::UnsupportedMintExtension))
    );
    assert!(bank.account(keys.market).await.is_none());

    let mint = bank
        .create_mint(stakepool_tests::tokens::SPL_TOKEN, 6)
        .await;
    let keys = stakepool_client::MarketKeys::derive(&mint.address, 7, &mint.token_program);
    bank.airdrop(&keys.market, 1_000_000).await;
    bank.airdrop(&keys.liquidity_vault, 1_000_000).await;
    let authority = bank.new_user(&mint, 1_000).await;
    bank.send(
        &[lx::init_market(&keys, &authority.key(), 7, 800)],
        &[&authority.wallet],
    )
    .await
    .unwrap();
    let depositor = bank.new_user(&mint, 1_000).await;
    bank.airdrop(&keys.receipt(&depositor.key()), 1_000_000)
        .await;
    bank.send(
        &[lx::open_receipt(&keys, &depositor.key(), &depositor.key())],
        &[&depositor.wallet],
    )
    .await
    .unwrap();
    let market = TestMarket { keys, authority };
    bank.market_deposit(&market, &depositor, 1_000)
        .await
        .unwrap();
    assert_eq!(bank.receipt_value(&market, &depositor.key()).await, 1_000);
}

/// Review of the rebalance interval: a wallet deposits, cranks a lend and withdraws again in
/// one go, leaving the pool with no idle principal. A lend must not hold off the recall that
/// restores the reserve: the next crank recalls at once.
#[tokio::test]
async fn a_forced_lend_does_not_hold_off_the_recall_that_restores_the_reserve() {
    let mut bank = Bank::start().await;
    let (pool, market, alice) = unfunded_pool(&mut bank, 100_000).await;
    // Interest backed ahead, so the market pays its index and the pool keeps lending to it.
    bank.market_fund_interest(&market, 10_000 * UNIT)
        .await
        .unwrap();
    bank.rebalance(&pool).await.unwrap();
    bank.advance(REBALANCE_INTERVAL).await;
    // 20 % reserve of 100,000: a deposit of 25,000 leaves 20,000 + 25,000 idle, of which 20,000
    // is lent; withdrawing the 25,000 again would take the idle down to nothing, so the
    // withdrawal recalls the reserve back itself (keeping its own recall's rounding).
    let mallory = bank.new_user(&pool.mint, 25_000 * UNIT).await;
    bank.stake(&pool, &mallory, 25_000 * UNIT).await.unwrap();
    bank.rebalance(&pool).await.unwrap();
    bank.withdraw(&pool, &mallory, 25_000 * UNIT).await.unwrap();
    let state = bank.pool_state(&pool).await;
    let idle = state.idle_principal().unwrap();
    assert_eq!(idle, 20_000 * UNIT);
    assert!(bank.token_balance(pool.keys.vault).await >= idle);
    assert!(bank.token_balance(mallory.token).await >= 25_000 * UNIT - 2);
    // And a second lend still waits for its own interval.
    bank.stake(&pool, &mallory, 25_000 * UNIT).await.unwrap();
    assert_staking_error(bank.rebalance(&pool).await, StakingError::RebalanceTooSoon);
    bank.assert_invariants(&pool, &[&alice, &mallory], Some(&market), &[])
        .await;
}
