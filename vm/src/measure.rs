//! The benchmark's measured sequence: every instruction of the pool (and the floor program's
//! deposit), run once on a ledger that already holds `existing` positions, with the compute
//! units each used and how many of those were spent inside the programs it called. It runs on
//! the test suite's VM bank, so every instruction measured also passes the suite's event audit
//! and compute-unit ceiling.
use solana_keypair::Keypair;
use solana_signer::Signer;
use stakepool_client::{instructions as ix, pda, token_setup};
use stakepool_tests::{Bank, PoolSetup, TestPool, TxResult, User, DAY, USER_SOL};
use staking_pool::state::PoolLimits;

use crate::floor;

/// One whole token in base units (6 decimals).
pub const TOKEN: u64 = 1_000_000;
/// Stake held by the existing positions in every ledger, so both ledgers run the same amounts
/// through the same math and any difference in units can only come from the position count.
pub const EXISTING_STAKE: u64 = 10_000 * TOKEN;

pub struct Measured {
    pub label: &'static str,
    pub units: u64,
    /// Units spent in invoked programs (SPL Token, the lending market, System).
    pub cpi_units: u64,
}

/// Units consumed by programs the top-level program invoked, read from the runtime's
/// `Program <id> invoke [n]` / `Program <id> consumed N of M compute units` log lines.
pub fn cpi_units(logs: &[String]) -> u64 {
    let mut depth = 0usize;
    let mut total = 0u64;
    for line in logs {
        if line.starts_with("Program ") && line.contains(" invoke [") {
            depth += 1;
        } else if let Some(rest) = line.strip_prefix("Program ") {
            if let Some((_, consumed)) = rest.split_once(" consumed ") {
                if depth == 2 {
                    total += consumed
                        .split_whitespace()
                        .next()
                        .and_then(|n| n.parse::<u64>().ok())
                        .unwrap_or(0);
                }
            }
            if rest.ends_with(" success") || rest.contains(" failed: ") {
                depth = depth.saturating_sub(1);
            }
        }
    }
    total
}

/// Limits the benchmark starts from: a 20 % reserve, no cap, no unbonding, no notice.
pub fn open_limits() -> PoolLimits {
    PoolLimits {
        reserve_bps: 2_000,
        min_deposit: 1,
        deposit_cap: u64::MAX,
        unbonding_period: 0,
        notice_period: 0,
    }
}

struct Recorder(Vec<Measured>);

impl Recorder {
    /// Records what the bank's last send cost; it must have landed.
    fn record(&mut self, bank: &Bank, label: &'static str, result: TxResult) {
        let cost = bank.last_cost();
        if let Err(error) = result {
            panic!(
                "{label} failed in the VM: {error}\n{}",
                cost.logs.join("\n")
            );
        }
        self.0.push(Measured {
            label,
            units: cost.units,
            cpi_units: cpi_units(&cost.logs),
        });
    }
}

/// A VM ledger with the floor program beside the pool and the market, and a pool at 10 %
/// holding `existing` positions that share `EXISTING_STAKE`, opened and funded through real
/// instructions. `progress` is called every 1,000 positions.
///
/// Every key the measured instructions see comes from the bank's key sequence, the same in
/// every ledger: the pool, its funder, the market's authority and the measured users sit at
/// the same addresses whatever the population, so their units may differ only through the
/// number of positions. The population's keys are random and outside that sequence.
pub async fn populated_ledger(existing: u64, mut progress: impl FnMut(u64)) -> (Bank, TestPool) {
    assert!(existing > 0 && EXISTING_STAKE.is_multiple_of(existing));
    let mut bank = Bank::start_with(&[floor::PROGRAM]).await;
    let setup = PoolSetup {
        limits: open_limits(),
        ..PoolSetup::default()
    };
    let pool = bank.create_pool(setup).await;
    let each = EXISTING_STAKE / existing;
    for n in 1..=existing {
        let user = random_user(&mut bank, &pool, each).await;
        bank.stake(&pool, &user, each).await.expect("stake");
        if n % 1_000 == 0 {
            progress(n);
        }
    }
    (bank, pool)
}

/// A user outside the bank's key sequence: a random wallet with SOL and its associated token
/// account holding `amount`.
async fn random_user(bank: &mut Bank, pool: &TestPool, amount: u64) -> User {
    let wallet = Keypair::new();
    bank.airdrop(&wallet.pubkey(), USER_SOL).await;
    let (token, create) = token_setup::associated_account(
        &bank.payer(),
        &wallet.pubkey(),
        &pool.mint.address,
        &pool.mint.token_program,
    );
    bank.send(&[create], &[])
        .await
        .expect("create token account");
    bank.mint_to(&pool.mint, &token, amount).await;
    User { wallet, token }
}

/// Runs every instruction once, in an order that makes each one do its real work (the
/// withdrawal with recall finds idle funds short, the recalling rebalance finds the reserve
/// raised, and so on).
pub async fn measure(bank: &mut Bank, pool: &mut TestPool) -> Vec<Measured> {
    let mut r = Recorder(Vec::new());
    let admin = pool.admin.insecure_clone();

    let second = PoolSetup {
        pool_id: 1,
        limits: open_limits(),
        ..PoolSetup::default()
    };
    let result = bank.initialize_pool(&admin, &pool.mint, &second).await;
    r.record(bank, "initialize_pool", result.map(|_| ()));
    let market = bank.create_market(&pool.mint.clone(), 0, 500).await;
    r.record(bank, "mock: init_market", Ok(()));
    let result = bank
        .set_lending_market(pool, &admin, &market.keys.market)
        .await;
    r.record(bank, "set_lending_market", result);
    let result = bank.fund_rewards(pool, 1_000_000 * TOKEN).await;
    r.record(bank, "fund_rewards", result);
    let result = bank.market_fund_interest(&market, 100_000 * TOKEN).await;
    r.record(bank, "mock: fund_interest", result);

    let user = first_try_owner(bank, pool, 1_000_000 * TOKEN).await;
    let result = bank.open_position(pool, &user).await;
    r.record(bank, "open_position", result);
    // Nothing lent yet: as the client sends them, without the lending accounts.
    let lean = pool.keys.moving_principal(&bank.pool_state(pool).await);
    let deposit = ix::deposit(&lean, &user.key(), &user.token, 100_000 * TOKEN);
    let result = bank
        .send(std::slice::from_ref(&deposit), &[&user.wallet])
        .await;
    r.record(bank, "deposit (first)", result);
    let result = bank.send(&[deposit], &[&user.wallet]).await;
    r.record(bank, "deposit", result);
    let idle_withdrawal = ix::withdraw(&lean, &user.key(), &user.token, TOKEN);
    let result = bank.send(&[idle_withdrawal], &[&user.wallet]).await;
    r.record(bank, "withdraw (nothing lent)", result);
    let put_back = ix::deposit(&lean, &user.key(), &user.token, TOKEN);
    let result = bank.send(&[put_back], &[&user.wallet]).await;
    result.expect("deposit (put back)");
    let result = bank.rebalance(pool).await;
    r.record(bank, "rebalance (lending)", result);
    // Lent now: principal moves carry the lending accounts, and read the market for a loss.
    let result = bank.deposit(pool, &user, TOKEN).await;
    r.record(bank, "deposit (reads the market)", result);
    let result = bank.recognise_loss(pool).await;
    r.record(bank, "recognise_loss (none)", result);
    // Paid from idle, but it would leave the reserve short: it recalls the reserve back in the
    // same instruction.
    let state = bank.pool_state(pool).await;
    let small =
        ix::withdraw_as_client(&state, &pool.keys, &user.key(), &user.token, 10_000 * TOKEN);
    let result = bank.send(&[small], &[&user.wallet]).await;
    r.record(bank, "withdraw (from idle, restores reserve)", result);
    bank.advance(30 * DAY).await;
    let result = bank.harvest(pool).await;
    r.record(bank, "harvest", result);
    let result = bank.claim(pool, &user).await;
    r.record(bank, "claim", result);
    bank.advance(30 * DAY).await;
    let result = bank.compound(pool, &user).await;
    r.record(bank, "compound", result);
    let result = bank.withdraw(pool, &user, 150_000 * TOKEN).await;
    r.record(bank, "withdraw (with recall)", result);

    let raised = PoolLimits {
        reserve_bps: 5_000,
        ..open_limits()
    };
    let result = bank.set_params(pool, &admin, raised).await;
    r.record(bank, "set_params", result);
    let result = bank.rebalance(pool).await;
    r.record(bank, "rebalance (recalling)", result);
    let result = bank.set_apr(pool, &admin, 1_500).await;
    r.record(bank, "set_apr", result);
    let result = bank.pause(pool, &admin).await;
    r.record(bank, "pause", result);
    let result = bank.unpause(pool, &admin).await;
    r.record(bank, "unpause", result);
    let new_admin = bank.new_keypair();
    let result = bank.transfer_admin(pool, &admin, &new_admin.pubkey()).await;
    r.record(bank, "transfer_admin", result);
    let result = bank.accept_admin(pool, &new_admin).await;
    r.record(bank, "accept_admin", result);
    let result = bank.recall_all(pool, &new_admin).await;
    r.record(bank, "recall_all", result);

    let unbonding = PoolLimits {
        unbonding_period: DAY,
        ..raised
    };
    let result = bank.set_params(pool, &new_admin, unbonding).await;
    result.expect("set_params (unbonding)");
    let staked = staked_principal(bank, pool, &user).await;
    let result = bank.request_unbond(pool, &user, staked).await;
    r.record(bank, "request_unbond", result);
    bank.advance(DAY).await;
    let result = bank.withdraw(pool, &user, staked).await;
    r.record(bank, "withdraw (after unbonding)", result);
    bank.claim(pool, &user).await.expect("claim (final)");
    let result = bank.close_position(pool, &user).await;
    r.record(bank, "close_position", result);

    // The market fails: a quarter of what the pool lent is written off, and a depositor who
    // asked to leave takes the lent part of their principal in kind.
    let leaver = bank.new_user(&pool.mint, 100_000 * TOKEN).await;
    let result = bank.stake(pool, &leaver, 100_000 * TOKEN).await;
    result.expect("stake (the leaver)");
    bank.advance(DAY).await;
    bank.rebalance(pool).await.expect("rebalance (lend again)");
    let result = bank.request_unbond(pool, &leaver, 100_000 * TOKEN).await;
    result.expect("request_unbond (the leaver)");
    let lent = bank.pool_state(pool).await.lent_principal;
    let liquid = bank.token_balance(market.keys.liquidity_vault).await;
    bank.market_borrow(&market, liquid)
        .await
        .expect("simulate_borrow (all)");
    let result = bank.market_default(&market, lent / 4).await;
    r.record(bank, "mock: simulate_default", result);
    let result = bank.recognise_loss(pool).await;
    r.record(bank, "recognise_loss (a loss)", result);
    let result = bank.open_receipt(&market, &leaver).await;
    result.expect("open_receipt (the leaver's)");
    bank.advance(DAY).await;
    let position = bank.position_state(pool, &leaver).await.expect("position");
    let worth = bank
        .pool_state(pool)
        .await
        .principal_value(position.unbonding_shares);
    let result = bank.withdraw_in_kind(pool, &market, &leaver, worth).await;
    r.record(bank, "withdraw_in_kind", result);

    let mint = pool.mint.address;
    let token_program = pool.mint.token_program;
    let init = floor::initialize(&bank.payer(), &mint, &token_program);
    let result = bank.send(&[init], &[]).await;
    r.record(bank, "floor: initialize", result);
    let floor_deposit = floor::deposit(
        &user.key(),
        &user.token,
        &mint,
        &token_program,
        1_000 * TOKEN,
    );
    let result = bank
        .send(std::slice::from_ref(&floor_deposit), &[&user.wallet])
        .await;
    r.record(bank, "floor: deposit (first)", result);
    let result = bank.send(&[floor_deposit], &[&user.wallet]).await;
    r.record(bank, "floor: deposit", result);
    r.0
}

/// The next user of the bank's key sequence whose position address is found at the first bump
/// tried (255), as half of all owners' are: `open_position` then costs what it costs at best,
/// and each further bump tried would add about 1,500 units (one more hash).
async fn first_try_owner(bank: &mut Bank, pool: &TestPool, amount: u64) -> User {
    loop {
        let wallet = bank.new_keypair();
        if pda::position(&pool.keys.pool, &wallet.pubkey()).1 == u8::MAX {
            return bank.new_user_with_wallet(wallet, &pool.mint, amount).await;
        }
    }
}

/// What `user`'s staked shares are worth now.
async fn staked_principal(bank: &mut Bank, pool: &TestPool, user: &User) -> u64 {
    let position = bank.position_state(pool, user).await.expect("position");
    bank.pool_state(pool)
        .await
        .principal_value(position.staked_shares)
}
