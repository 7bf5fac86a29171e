//! One world's run: set up, a sequence of drawn operations each checked against the model,
//! then the exit every depositor must be able to make.
use anchor_lang::prelude::Pubkey;
use staking_pool::state::{Change, PoolLimits};

use super::checks::{
    check_invariants, check_leaving_principal_is_idle, check_loss_shared_pro_rata,
};
use super::choices::Choices;
use super::observe::{diff, observe, refresh};
use super::ops::{by_the_rules, expect, hostile_plan, pick, resolve, Op, UNIT};
use super::send::send;
use super::{World, ADMINS};
use crate::model::{Model, Outcome};
use crate::{custom_code, Bank, PoolSetup, DAY};

/// What a world is made of.
pub struct WorldConfig {
    /// Names the run in every failure message ("seed 7", "fuzz input").
    pub label: String,
    pub users: usize,
    /// The most operations drawn (fewer when a byte source runs out first).
    pub ops: usize,
    /// Whether part of the market's interest is backed up front; without it the market's
    /// index runs ahead of what it holds (unfunded interest) for the whole run.
    pub funded: bool,
    /// A notice period makes changes against depositors wait (proposals, executions, lapses).
    pub notice: i64,
    /// SPL Token or Token-2022, for the pool's mint.
    pub token_program: Pubkey,
    /// Whether the clock may step back as well as forward.
    pub clock_back: bool,
}

/// A finished world: its bank (to run the next world in), what it counted, the tokens
/// unaccounted for, and the highest compute units per instruction (VM backend only).
pub struct WorldRun {
    pub bank: Bank,
    pub tally: Tally,
    pub unaccounted: u128,
    pub peaks: Option<ComputePeaks>,
}

/// The most operations a drawn world runs: enough for a loss, a notice window and a depositor
/// on the way out, few enough that a fuzzer runs many worlds.
pub const DRAWN_OPS: usize = 48;

impl WorldConfig {
    /// A world whose first decisions pick the mint's token program, two to four depositors,
    /// whether the market's interest is backed, the notice period, and whether the clock may
    /// step back: what a fuzz input describes.
    pub fn drawn(choices: &mut Choices) -> Self {
        WorldConfig {
            label: "drawn world".into(),
            token_program: if choices.chance(30) {
                crate::tokens::TOKEN_2022
            } else {
                crate::tokens::SPL_TOKEN
            },
            users: 2 + choices.below(3) as usize,
            ops: DRAWN_OPS,
            funded: choices.chance(50),
            notice: [0, DAY, 3 * DAY][choices.below(3) as usize],
            clock_back: choices.chance(50),
        }
    }
}

pub type ComputePeaks = std::collections::BTreeMap<String, u64>;

/// A new pool with its own mint and market in `bank`, and its depositors, donor, stranger and
/// admin candidates.
async fn set_up(mut bank: Bank, choices: &mut Choices, config: &WorldConfig) -> World {
    let mut pool = bank
        .create_pool(PoolSetup {
            token_program: config.token_program,
            apr_bps: 1_200,
            limits: PoolLimits {
                reserve_bps: 2_000,
                ..PoolLimits::default()
            },
            ..PoolSetup::default()
        })
        .await;
    let market = bank.attach_market(&mut pool, 800).await;
    // Longer notice is for depositors: it applies at once.
    let admin = pool.admin.insecure_clone();
    let limits = PoolLimits {
        reserve_bps: 2_000,
        notice_period: config.notice,
        ..PoolLimits::default()
    };
    bank.set_params(&pool, &admin, limits).await.unwrap();
    if config.funded {
        bank.market_fund_interest(&market, 200_000 * UNIT)
            .await
            .unwrap();
    }
    let stranger = bank
        .new_market_user(&market, &pool.mint, 2_000_000 * UNIT)
        .await;
    bank.fund_rewards(&pool, 20_000 * UNIT).await.unwrap();
    let mut users = Vec::new();
    for _ in 0..config.users {
        let user = bank
            .new_user(&pool.mint, (choices.below(100_000) + 1) * UNIT)
            .await;
        bank.open_position(&pool, &user).await.unwrap();
        users.push(user);
    }
    let donor = bank.new_user(&pool.mint, 1_000_000 * UNIT).await;
    let mut admins = vec![pool.admin.insecure_clone()];
    for _ in 1..ADMINS {
        admins.push(bank.fresh_wallet().await);
    }
    World {
        bank,
        pool,
        market,
        users,
        donor,
        stranger,
        admins,
    }
}

/// What one world has counted.
#[derive(Default, Debug, PartialEq)]
pub struct Tally {
    pub refusals: usize,
    pub checks: usize,
    /// Announced changes that were executed (the notice worlds' proposals reaching their time).
    pub executed: usize,
    /// The hostile admin's moves that the programs carried out.
    pub hostile: usize,
    /// Depositors who had started to leave, and the unbonding principal they took out in full
    /// from a market its authority had just emptied.
    pub leavers: usize,
    pub left: u64,
    /// Losses recognised, and depositors checked to have borne their pro-rata share of one.
    pub losses: usize,
    pub shared: usize,
    /// Withdrawals in kind carried out.
    pub in_kind: usize,
    /// Principal moves (deposits, compounds, withdrawals) made while a share was worth less
    /// than a base unit: each can leave the pool up to two base units of share rounding.
    pub rounded: usize,
}

/// Runs `op` against the model and the programs, and checks they agree: the outcome (with the
/// exact refusal code), every account the op can touch, and every invariant. `full` re-reads
/// every account instead of only those the op references.
async fn step(
    w: &mut World,
    model: &mut Model,
    observed: &mut Model,
    op: Op,
    full: bool,
    context: &str,
    tally: &mut Tally,
) -> Outcome {
    let supply = w.bank.mint_supply(&w.pool.mint.address).await;
    let before = model.clone();
    let op = resolve(op, &before);
    let expected = expect(model, op);
    let (result, index) = send(w, &before, op).await;
    if trace() {
        eprintln!(
            "{context} (resolved {op:?}, clock {}): {expected:?}",
            model.clock
        );
    }
    match (&expected, &result) {
        (Ok(()), Ok(())) => {
            if matches!(op, Op::Execute(_)) {
                tally.executed += 1;
            }
        }
        (Err(code), Err(_)) => {
            assert_eq!(
                custom_code(&result, index),
                Some(*code),
                "{context}: got {result:?}"
            );
            tally.refusals += 1;
        }
        _ => panic!("{context}: model {expected:?}, programs {result:?}"),
    }
    observed.clock = model.clock;
    if full {
        *observed = observe(w, model.clock).await;
    } else {
        refresh(w, observed, op).await;
    }
    if observed != model {
        panic!(
            "{context}: accounts differ from the model:{}",
            diff(observed, model)
        );
    }
    let pool = w.bank.pool_state(&w.pool).await;
    // Valued at the pool's time, which never runs backwards.
    let receipt_value = w
        .bank
        .receipt_value_at(
            &w.market,
            &w.pool.keys.pool,
            pool.last_update_ts.max(model.clock),
        )
        .await;
    tally.checks += check_invariants(pool, observed, supply, receipt_value, context);
    if expected.is_ok() {
        check_leaving_principal_is_idle(&before, model, op, context);
        let shared = check_loss_shared_pro_rata(&before, model, op, context);
        tally.losses += usize::from(model.pool.losses > before.pool.losses);
        tally.shared += shared;
        tally.in_kind += usize::from(matches!(op, Op::WithdrawInKind(..)));
        let moves_principal = matches!(
            op,
            Op::Deposit(..) | Op::Compound(_) | Op::Withdraw(..) | Op::WithdrawInKind(..)
        );
        let written_down = before.pool.principal_index < staking_pool::constants::SCALE
            || model.pool.losses > before.pool.losses;
        tally.rounded += usize::from(moves_principal && written_down);
    }
    expected
}

/// `STAKEPOOL_WORLD_TRACE=1` prints every step with the model's outcome, to read how a
/// failing world got where it failed.
fn trace() -> bool {
    static TRACE: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *TRACE.get_or_init(|| std::env::var_os("STAKEPOOL_WORLD_TRACE").is_some())
}

/// `step` for an operation that must succeed (the final exit).
async fn must(
    w: &mut World,
    model: &mut Model,
    observed: &mut Model,
    tally: &mut Tally,
    op: Op,
    context: &str,
) {
    let before = model.clone();
    let outcome = step(w, model, observed, op, true, context, tally).await;
    assert_eq!(
        outcome,
        Ok(()),
        "{context}: idle {} lent {} principal {} market vault {} pool {:?}",
        before.idle(),
        before.pool.lent,
        before.principal(),
        before.tokens.market_vault,
        before.pool
    );
}

/// `ops` in turn at the end of a run; each must succeed when `required`.
async fn exit(
    w: &mut World,
    model: &mut Model,
    observed: &mut Model,
    tally: &mut Tally,
    ops: Vec<Op>,
    context: String,
    required: bool,
) {
    for op in ops {
        let what = format!("{context}: {op:?}");
        let outcome = step(w, model, observed, op, true, &what, tally).await;
        assert!(!required || outcome.is_ok(), "{what}: {outcome:?}");
    }
}

/// Sets up a world in `bank` and runs up to `config.ops` operations drawn from `choices`, then
/// has the borrowers repay and every user withdraw all principal (each must succeed). Every
/// token of the world's mint must be accounted for at the end.
pub async fn run_world(bank: Bank, choices: &mut Choices, config: &WorldConfig) -> WorldRun {
    let label = &config.label;
    let users = config.users;
    let mut w = set_up(bank, choices, config).await;
    let clock = w.bank.now().await;
    let mut model = observe(&mut w, clock).await;
    let mut observed = model.clone();
    let supply = w.bank.mint_supply(&w.pool.mint.address).await;
    let mut tally = Tally::default();
    let ops = config.ops;
    for n in 1..=ops {
        if choices.exhausted() {
            break;
        }
        // In the notice worlds, now and then the admin turns hostile for a move.
        if config.notice > 0 && choices.chance(3) {
            for op in hostile_plan(choices, &model) {
                let context = format!("{label}, step {n}, hostile: {op:?}");
                let outcome = step(
                    &mut w,
                    &mut model,
                    &mut observed,
                    op,
                    false,
                    &context,
                    &mut tally,
                )
                .await;
                tally.hostile += usize::from(outcome.is_ok() && !matches!(op, Op::TimeTo(..)));
            }
        }
        let op = pick(choices, &model, config.clock_back);
        let context = format!("{label}, step {n}: {op:?}");
        let full = n % 100 == 0 || n == ops;
        // A refusal is fine here, as long as the programs refuse it the same way.
        let _ = step(
            &mut w,
            &mut model,
            &mut observed,
            op,
            full,
            &context,
            &mut tally,
        )
        .await;
    }
    // The end. First the leavers, against the admin's best move: with loans repaid and an
    // unbonding period in force (a day, made by the rules: at once without a notice period,
    // announced and executed at its first instant with one), every third depositor asks to
    // leave with half their stake. Then the admin cuts the reserve to nothing by the same
    // rules, a crank lends all it may, and the market's authority borrows everything it holds.
    // Every leaver must still take out all their unbonding principal.
    let context = |what: &str| format!("{label}, exit: {what}");
    let (world, m, seen, t) = (&mut w, &mut model, &mut observed, &mut tally);
    // A clock that stepped back catches up first. A cluster's clock lags only for a while, and
    // until it catches up the market prices shares at its older index: the pool's receipt is
    // worth less than was lent (drift the pool does not book as a loss), so the last of lent
    // principal cannot be recalled yet (`LendingIlliquid`: retry later, or leave in kind).
    let behind = m.pool.last_update_ts - m.clock;
    if behind > 0 {
        let catch_up = vec![Op::Time(behind)];
        exit(
            world,
            m,
            seen,
            t,
            catch_up,
            context("the clock catches up"),
            true,
        )
        .await;
    }
    // A loss the market shows is recognised first, so every amount below is what it will be.
    let recognise = vec![Op::RecogniseLoss];
    exit(world, m, seen, t, recognise, context("recognise"), true).await;
    if m.loans > 0 {
        let repay = vec![Op::Repay(m.loans)];
        exit(world, m, seen, t, repay, context("repay"), true).await;
    }
    if m.pool.unbonding_period == 0 {
        let rules = by_the_rules(m, Change::UnbondingPeriod(DAY));
        exit(
            world,
            m,
            seen,
            t,
            rules,
            context("an unbonding period"),
            false,
        )
        .await;
    }
    if m.pool.unbonding_period > 0 {
        for u in (0..users).step_by(3) {
            let half = m.value(m.positions[u].staked) / 2;
            if half > 0 {
                let leave = vec![Op::RequestUnbond(u, half)];
                exit(
                    world,
                    m,
                    seen,
                    t,
                    leave,
                    context("a depositor starts to leave"),
                    true,
                )
                .await;
            }
        }
    }
    let rules = by_the_rules(m, Change::Reserve(0));
    exit(world, m, seen, t, rules, context("no reserve"), false).await;
    let crank = vec![
        Op::Time(staking_pool::constants::REBALANCE_INTERVAL),
        Op::Rebalance,
    ];
    exit(world, m, seen, t, crank, context("an hour, a crank"), true).await;
    if m.tokens.market_vault > 0 {
        exit(
            world,
            m,
            seen,
            t,
            vec![Op::BorrowAll],
            context("borrow all"),
            true,
        )
        .await;
    }
    let unlocked = model.positions.iter().map(|p| p.unlock_ts).max();
    let wait = vec![Op::Time((unlocked.unwrap_or(0) - model.clock).max(0))];
    exit(
        &mut w,
        &mut model,
        &mut observed,
        &mut tally,
        wait,
        context("unlock"),
        true,
    )
    .await;
    for u in 0..users {
        let unbonding = model.value(model.positions[u].unbonding);
        if unbonding == 0 {
            continue;
        }
        let wallet = model.tokens.wallets[u];
        let what = context(&format!(
            "leaver {u} withdraws {unbonding} from a drained market"
        ));
        let op = Op::Withdraw(u, unbonding);
        must(&mut w, &mut model, &mut observed, &mut tally, op, &what).await;
        assert_eq!(model.tokens.wallets[u] - wallet, unbonding, "{what}");
        tally.leavers += 1;
        tally.left += unbonding;
    }
    // Then the borrowers repay, the pool drops its unbonding period (an admin change for
    // depositors), and every position leaves with all its principal. Each of these must
    // succeed, in the model and in the programs alike.
    if model.loans > 0 {
        let op = Op::Repay(model.loans);
        must(
            &mut w,
            &mut model,
            &mut observed,
            &mut tally,
            op,
            &context("repay"),
        )
        .await;
    }
    let op = Op::SetParams(model.pool.reserve_bps, 0, model.pool.notice_period);
    must(
        &mut w,
        &mut model,
        &mut observed,
        &mut tally,
        op,
        &context("no unbonding"),
    )
    .await;
    for u in 0..users {
        let principal = model.worth(u);
        if principal == 0 {
            continue;
        }
        let wallet = model.tokens.wallets[u];
        let what = context(&format!("user {u} withdraws {principal}"));
        let op = Op::Withdraw(u, principal);
        must(&mut w, &mut model, &mut observed, &mut tally, op, &what).await;
        // Principal leaves whole, but for the share rounding of a recall it caused.
        let received = model.tokens.wallets[u] - wallet;
        assert!(principal - received <= 3, "{what}: received {received}");
    }
    // Every share is gone or worth nothing; what the pool still books is the rounding it
    // kept, two base units per principal move and per loss at most.
    assert!((0..users).all(|u| model.worth(u) == 0));
    let kept = 2 * (tally.rounded + tally.losses) as u64;
    assert!(
        model.principal() <= kept,
        "{label}: {} base units booked after every exit, more than the {kept} of rounding",
        model.principal()
    );
    let unaccounted = u128::from(supply).abs_diff(model.total_tokens());
    let peaks = w.bank.compute_peaks();
    WorldRun {
        bank: w.bank,
        tally,
        unaccounted,
        peaks,
    }
}
