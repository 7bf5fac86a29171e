//! The benchmark's measured sequence: every instruction of the pool (and the floor program's
//! deposit), run once in a world that already holds `existing` positions, with the compute
//! units each used and how many of those were spent inside the programs it called.
use anchor_lang::prelude::Pubkey;
use stakepool_sdk::{instructions, lending_instructions, PoolKeys};
use staking_pool::state::PoolLimits;

use crate::floor;
use crate::svm::Outcome;
use crate::world::{open_limits, World, TOKEN};

const DAY: i64 = 24 * 60 * 60;
/// Stake held by the existing positions in every world, so both worlds run the same amounts
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

struct Recorder(Vec<Measured>);

impl Recorder {
    fn record(&mut self, label: &'static str, outcome: Outcome) {
        let outcome = outcome.expect_ok(label);
        self.0.push(Measured {
            label,
            units: outcome.compute_units,
            cpi_units: cpi_units(&outcome.logs),
        });
    }
}

/// A world whose pool holds `existing` positions sharing `EXISTING_STAKE`, built through real
/// `open_position` and `deposit` instructions. `progress` is called every 1,000 positions.
pub fn populated_world(existing: u64, mut progress: impl FnMut(u64)) -> World {
    let mut world = World::new(1_000, open_limits());
    assert!(existing > 0 && EXISTING_STAKE.is_multiple_of(existing));
    let each = EXISTING_STAKE / existing;
    for n in 1..=existing {
        let user = world.user(each);
        world.stake(&user, each);
        if n % 1_000 == 0 {
            progress(n);
        }
    }
    world
}

/// Runs every instruction once, in an order that makes each one do its real work (the
/// withdrawal with recall finds idle funds short, the recalling rebalance finds the reserve
/// raised, and so on).
pub fn measure(world: &mut World) -> Vec<Measured> {
    let mut r = Recorder(Vec::new());
    let admin = world.admin;
    let mint = world.mint;
    let token_program = world.keys.token_program;

    let second = PoolKeys::derive(&admin, &mint, 1, &token_program);
    let create = instructions::initialize_pool(&admin, &second, 1, 1_000, open_limits());
    r.record("initialize_pool", world.svm.send(&create));
    let [init_market, set_market] = world.attach_market(500);
    r.record("mock: init_market", init_market);
    r.record("set_lending_market", set_market);
    r.record("fund_rewards", world.fund_rewards(1_000_000 * TOKEN));
    r.record(
        "mock: fund_interest",
        world.fund_market_interest(100_000 * TOKEN),
    );

    let keys = world.keys;
    let user = world.user_at(Pubkey::new_from_array([0xB0; 32]), 1_000_000 * TOKEN);
    let (owner, token) = (user.owner, user.token);
    r.record(
        "open_position",
        world.svm.send(&instructions::open_position(&keys, &owner)),
    );
    // Nothing lent yet: as the client sends them, without the lending accounts.
    let lean = keys.moving_principal(&world.pool());
    let deposit = instructions::deposit(&lean, &owner, &token, 100_000 * TOKEN);
    r.record("deposit (first)", world.svm.send(&deposit));
    r.record("deposit", world.svm.send(&deposit));
    let idle_withdrawal = instructions::withdraw(&lean, &owner, &token, TOKEN);
    r.record("withdraw (nothing lent)", world.svm.send(&idle_withdrawal));
    world.send(
        &instructions::deposit(&lean, &owner, &token, TOKEN),
        "deposit (put back)",
    );
    r.record(
        "rebalance (lending)",
        world.svm.send(&instructions::rebalance(&keys)),
    );
    // Lent now: principal moves carry the lending accounts, and read the market for a loss.
    let deposit = instructions::deposit(&keys, &owner, &token, TOKEN);
    r.record("deposit (reads the market)", world.svm.send(&deposit));
    r.record(
        "recognise_loss (none)",
        world.svm.send(&instructions::recognise_loss(&keys)),
    );
    // Paid from idle, but it would leave the reserve short: it recalls the reserve back in the
    // same instruction.
    let small =
        instructions::withdraw_as_client(&world.pool(), &keys, &owner, &token, 10_000 * TOKEN);
    r.record(
        "withdraw (from idle, restores reserve)",
        world.svm.send(&small),
    );
    world.svm.advance(30 * DAY);
    r.record("harvest", world.svm.send(&instructions::harvest(&keys)));
    r.record(
        "claim",
        world.svm.send(&instructions::claim(&keys, &owner, &token)),
    );
    world.svm.advance(30 * DAY);
    r.record(
        "compound",
        world.svm.send(&instructions::compound(&keys, &owner)),
    );
    let large = instructions::withdraw(&keys, &owner, &token, 150_000 * TOKEN);
    r.record("withdraw (with recall)", world.svm.send(&large));

    let raised = PoolLimits {
        reserve_bps: 5_000,
        ..open_limits()
    };
    r.record(
        "set_params",
        world
            .svm
            .send(&instructions::set_params(&keys, &admin, raised)),
    );
    r.record(
        "rebalance (recalling)",
        world.svm.send(&instructions::rebalance(&keys)),
    );
    r.record(
        "set_apr",
        world.svm.send(&instructions::set_apr(&keys, &admin, 1_500)),
    );
    r.record("pause", world.svm.send(&instructions::pause(&keys, &admin)));
    r.record(
        "unpause",
        world.svm.send(&instructions::unpause(&keys, &admin)),
    );
    let new_admin = Pubkey::new_from_array([0xB1; 32]);
    let transfer = instructions::transfer_admin(&keys, &admin, &new_admin);
    r.record("transfer_admin", world.svm.send(&transfer));
    r.record(
        "accept_admin",
        world
            .svm
            .send(&instructions::accept_admin(&keys, &new_admin)),
    );
    r.record(
        "recall_all",
        world.svm.send(&instructions::recall_all(&keys, &new_admin)),
    );

    let unbonding = PoolLimits {
        unbonding_period: DAY,
        ..raised
    };
    let set = instructions::set_params(&keys, &new_admin, unbonding);
    world.send(&set, "set_params (unbonding)");
    let staked = world
        .pool()
        .principal_value(world.position(&owner).staked_shares);
    let unbond = instructions::request_unbond(&keys, &owner, staked);
    r.record("request_unbond", world.svm.send(&unbond));
    world.svm.advance(DAY);
    let rest = instructions::withdraw(&keys, &owner, &token, staked);
    r.record("withdraw (after unbonding)", world.svm.send(&rest));
    world.send(&instructions::claim(&keys, &owner, &token), "claim (final)");
    let close = instructions::close_position(&keys, &owner);
    r.record("close_position", world.svm.send(&close));

    // The market fails: a quarter of what the pool lent is written off, and a depositor who
    // asked to leave takes the lent part of their principal in kind.
    let user = world.user_at(Pubkey::new_from_array([0xB2; 32]), 100_000 * TOKEN);
    world.stake(&user, 100_000 * TOKEN);
    world.svm.advance(DAY);
    world.send(&instructions::rebalance(&keys), "rebalance (lend again)");
    let unbond = instructions::request_unbond(&keys, &user.owner, 100_000 * TOKEN);
    world.send(&unbond, "request_unbond (the leaver)");
    let lent = world.pool().lent_principal;
    let liquid = world.balance(&world.market.liquidity_vault);
    let borrow =
        lending_instructions::simulate_borrow(&world.market, &admin, &world.admin_token, liquid);
    world.send(&borrow, "simulate_borrow (all)");
    let default = lending_instructions::simulate_default(&world.market, &admin, lent / 4);
    r.record("mock: simulate_default", world.svm.send(&default));
    r.record(
        "recognise_loss (a loss)",
        world.svm.send(&instructions::recognise_loss(&keys)),
    );
    let open = lending_instructions::open_receipt(&world.market, &user.owner, &user.owner);
    world.send(&open, "open_receipt (the leaver's)");
    world.svm.advance(DAY);
    let worth = world
        .pool()
        .principal_value(world.position(&user.owner).unbonding_shares);
    let to = world.market.receipt(&user.owner);
    let in_kind = instructions::withdraw_in_kind(&keys, &user.owner, &user.token, &to, worth);
    r.record("withdraw_in_kind", world.svm.send(&in_kind));

    let payer = world.payer;
    let init = floor::initialize(&payer, &mint, &token_program);
    r.record("floor: initialize", world.svm.send(&init));
    let floor_deposit = floor::deposit(&owner, &token, &mint, &token_program, 1_000 * TOKEN);
    r.record("floor: deposit (first)", world.svm.send(&floor_deposit));
    r.record("floor: deposit", world.svm.send(&floor_deposit));
    r.0
}
