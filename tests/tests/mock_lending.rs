//! The mock lending market on its own: index exactness, rounding direction, liquidity, and
//! the authority's exclusive levers.
use anchor_lang::error::ErrorCode as Anchor;
use mock_lending::errors::LendingError;
use solana_signer::Signer;
use stakepool_client::lending_instructions as lx;
use stakepool_tests::tokens::SPL_TOKEN;
use stakepool_tests::*;

fn lending_code(error: LendingError) -> u32 {
    anchor_lang::error::ERROR_CODE_OFFSET + error as u32
}

async fn market_with_depositor(
    bank: &mut Bank,
    apr: u32,
) -> (TestMarket, User, stakepool_tests::tokens::TestMint) {
    let mint = bank.create_mint(SPL_TOKEN, 6).await;
    let market = bank.create_market(&mint, 0, apr).await;
    let user = bank.new_market_user(&market, &mint, 10_000).await;
    (market, user, mint)
}

async fn deposit(bank: &mut Bank, market: &TestMarket, user: &User, amount: u64) -> TxResult {
    let instruction = lx::deposit(&market.keys, &user.key(), &user.token, amount);
    bank.send(&[instruction], &[&user.wallet]).await
}

async fn withdraw(bank: &mut Bank, market: &TestMarket, user: &User, amount: u64) -> TxResult {
    let instruction = lx::withdraw(&market.keys, &user.key(), &user.token, amount);
    bank.send(&[instruction], &[&user.wallet]).await
}

#[tokio::test]
async fn the_index_is_exact_over_a_year() {
    let mut bank = Bank::start().await;
    let (market, user, _) = market_with_depositor(&mut bank, 800).await;
    deposit(&mut bank, &market, &user, 800).await.unwrap();
    assert_eq!(
        bank.receipt_state(&market, &user.key())
            .await
            .unwrap()
            .shares,
        800
    );
    bank.advance(YEAR).await;
    let state = bank.market_state(&market).await;
    let now = bank.now().await;
    assert_eq!(
        state.index_rate(now).unwrap(),
        mock_lending::constants::RATE_SCALE * 108 / 100
    );
    // The index promises 864; the market pays what it holds: 800 until the interest is funded.
    assert_eq!(bank.receipt_value(&market, &user.key()).await, 800);
    bank.market_fund_interest(&market, 40).await.unwrap();
    assert_eq!(bank.receipt_value(&market, &user.key()).await, 840);
    bank.market_fund_interest(&market, 100).await.unwrap();
    assert_eq!(
        bank.receipt_value(&market, &user.key()).await,
        864,
        "never above the index"
    );
    withdraw(&mut bank, &market, &user, 864).await.unwrap();
    assert_eq!(bank.token_balance(user.token).await, 10_064);
}

#[tokio::test]
async fn shares_are_rounded_in_the_markets_favour() {
    let mut bank = Bank::start().await;
    let (market, user, _) = market_with_depositor(&mut bank, 800).await;
    bank.market_fund_interest(&market, 1_000).await.unwrap();
    bank.advance(YEAR).await; // rate 1.08
                              // 100 tokens buy floor(100 / 1.08) = 92 shares.
    deposit(&mut bank, &market, &user, 100).await.unwrap();
    assert_eq!(
        bank.receipt_state(&market, &user.key())
            .await
            .unwrap()
            .shares,
        92
    );
    // Withdrawing 10 burns ceil(10 / 1.08) = 10 shares (9.26 rounded up).
    withdraw(&mut bank, &market, &user, 10).await.unwrap();
    assert_eq!(
        bank.receipt_state(&market, &user.key())
            .await
            .unwrap()
            .shares,
        82
    );
    assert_eq!(bank.market_state(&market).await.total_shares, 82);
    // 82 shares are worth floor(82 × 1.08) = 88: less than the 90 put in net.
    assert_eq!(bank.receipt_value(&market, &user.key()).await, 88);
}

#[tokio::test]
async fn refusals_are_named_and_change_nothing() {
    let mut bank = Bank::start().await;
    let (market, user, mint) = market_with_depositor(&mut bank, 800).await;
    deposit(&mut bank, &market, &user, 1_000).await.unwrap();
    // Interest backed in advance, so a year on a share is worth 1.08.
    bank.market_fund_interest(&market, 80).await.unwrap();
    let watched = [
        market.keys.market,
        market.keys.liquidity_vault,
        market.keys.receipt(&user.key()),
        user.token,
    ];
    let before = bank.snapshot(&watched).await;

    assert_eq!(
        custom_code(&deposit(&mut bank, &market, &user, 0).await, 0),
        Some(lending_code(LendingError::ZeroAmount))
    );
    assert_eq!(
        custom_code(&withdraw(&mut bank, &market, &user, 1_001).await, 0),
        Some(lending_code(LendingError::InsufficientShares))
    );
    bank.advance(YEAR).await; // rate 1.08: one base unit buys no share
    assert_eq!(
        custom_code(&deposit(&mut bank, &market, &user, 1).await, 0),
        Some(lending_code(LendingError::DepositTooSmall))
    );

    // Another depositor's receipt: the seeds are the signer's.
    let other = bank.new_market_user(&market, &mint, 10).await;
    let steal = swap_account(
        lx::withdraw(&market.keys, &other.key(), &other.token, 5),
        &market.keys.receipt(&other.key()),
        &market.keys.receipt(&user.key()),
    );
    assert_eq!(
        custom_code(&bank.send(&[steal], &[&other.wallet]).await, 0),
        Some(Anchor::ConstraintSeeds as u32)
    );

    // Another market's vault and mint.
    let other_mint = bank.create_mint(SPL_TOKEN, 6).await;
    let other_market = bank.create_market(&other_mint, 0, 800).await;
    let wrong_vault = swap_account(
        lx::withdraw(&market.keys, &user.key(), &user.token, 5),
        &market.keys.liquidity_vault,
        &other_market.keys.liquidity_vault,
    );
    assert_eq!(
        custom_code(&bank.send(&[wrong_vault], &[&user.wallet]).await, 0),
        Some(lending_code(LendingError::InvalidVault))
    );
    let wrong_mint = swap_account(
        lx::deposit(&market.keys, &user.key(), &user.token, 5),
        &mint.address,
        &other_mint.address,
    );
    assert_eq!(
        custom_code(&bank.send(&[wrong_mint], &[&user.wallet]).await, 0),
        Some(lending_code(LendingError::InvalidMint))
    );
    let wrong_program = swap_account(
        lx::deposit(&market.keys, &user.key(), &user.token, 5),
        &SPL_TOKEN,
        &stakepool_tests::tokens::TOKEN_2022,
    );
    assert_eq!(
        custom_code(&bank.send(&[wrong_program], &[&user.wallet]).await, 0),
        Some(lending_code(LendingError::InvalidTokenProgram))
    );
    bank.assert_unchanged(&watched, before).await;

    let authority = bank.fresh_wallet().await;
    let keys = stakepool_client::MarketKeys::derive(&mint.address, 5, &SPL_TOKEN);
    let too_high = lx::init_market(
        &keys,
        &authority.pubkey(),
        5,
        mock_lending::constants::MAX_SUPPLY_APR_BPS + 1,
    );
    assert_eq!(
        custom_code(&bank.send(&[too_high], &[&authority]).await, 0),
        Some(lending_code(LendingError::InvalidApr))
    );
}

#[tokio::test]
async fn an_empty_vault_is_insufficient_liquidity() {
    let mut bank = Bank::start().await;
    let (market, user, _) = market_with_depositor(&mut bank, 800).await;
    deposit(&mut bank, &market, &user, 1_000).await.unwrap();
    bank.market_borrow(&market, 900).await.unwrap();
    assert_eq!(bank.market_state(&market).await.outstanding_loans, 900);
    let watched = [
        market.keys.market,
        market.keys.liquidity_vault,
        market.keys.receipt(&user.key()),
    ];
    let before = bank.snapshot(&watched).await;
    assert_eq!(
        custom_code(&withdraw(&mut bank, &market, &user, 101).await, 0),
        Some(lending_code(LendingError::InsufficientLiquidity))
    );
    assert_eq!(
        custom_code(&bank.market_borrow(&market, 101).await, 0),
        Some(lending_code(LendingError::InsufficientLiquidity))
    );
    bank.assert_unchanged(&watched, before).await;
    withdraw(&mut bank, &market, &user, 100).await.unwrap();
    assert_eq!(
        custom_code(&bank.market_repay(&market, 901).await, 0),
        Some(lending_code(LendingError::RepayExceedsLoans))
    );
    bank.market_repay(&market, 900).await.unwrap();
    withdraw(&mut bank, &market, &user, 900).await.unwrap();
    assert_eq!(bank.token_balance(user.token).await, 10_000);
}

#[tokio::test]
async fn only_the_authority_can_fund_borrow_and_repay() {
    let mut bank = Bank::start().await;
    let (market, user, _) = market_with_depositor(&mut bank, 800).await;
    deposit(&mut bank, &market, &user, 1_000).await.unwrap();
    bank.market_borrow(&market, 100).await.unwrap();
    let watched = [market.keys.market, market.keys.liquidity_vault, user.token];
    let before = bank.snapshot(&watched).await;
    for instruction in [
        lx::fund_interest(&market.keys, &user.key(), &user.token, 10),
        lx::simulate_borrow(&market.keys, &user.key(), &user.token, 10),
        lx::simulate_repay(&market.keys, &user.key(), &user.token, 10),
    ] {
        let result = bank.send(&[instruction], &[&user.wallet]).await;
        assert_eq!(
            custom_code(&result, 0),
            Some(lending_code(LendingError::Unauthorized)),
            "{result:?}"
        );
    }
    bank.assert_unchanged(&watched, before).await;
    bank.market_fund_interest(&market, 10).await.unwrap();
    assert_eq!(bank.token_balance(market.keys.liquidity_vault).await, 910);
}
